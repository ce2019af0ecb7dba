/**
 * Choosing an onnxruntime execution provider and falling back gracefully.
 *
 * onnxruntime-node rejects a whole session when any provider in
 * `executionProviders` fails to initialise (it does not skip to the next one), so
 * we create the session once per candidate and keep the first that succeeds,
 * remembering why the others were skipped so the UI can explain it.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as ort from 'onnxruntime-node';

export type SessionOptions = ort.InferenceSession.SessionOptions;

export interface SkippedProvider {
  provider: string;
  reason: string;
}

export interface SessionWithProvider {
  session: ort.InferenceSession;
  provider: string;
  skipped: SkippedProvider[];
}

export const CUDA_NOT_INSTALLED = 'CUDA provider not installed: run npm run setup:gpu';

/** Folder holding onnxruntime_binding.node, where the optional CUDA libraries get installed. */
export function onnxruntimeBinaryDir(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): string | null {
  try {
    const require = createRequire(import.meta.url);
    const pkgJson = require.resolve('onnxruntime-node/package.json');
    return path.join(path.dirname(pkgJson), 'bin', 'napi-v6', platform, arch);
  } catch {
    return null;
  }
}

/**
 * The CUDA provider ships separately from the npm package (its postinstall fetches it
 * from NuGet), and without it ORT fails only after logging a loud native error, so we
 * check the files ourselves first.
 */
export function cudaBinariesInstalled(platform: NodeJS.Platform = process.platform): boolean {
  if (platform !== 'linux' && platform !== 'win32') return false;
  const dir = onnxruntimeBinaryDir(platform);
  if (dir === null) return false;
  const files =
    platform === 'win32'
      ? ['onnxruntime_providers_shared.dll', 'onnxruntime_providers_cuda.dll']
      : ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so'];
  return files.every((f) => existsSync(path.join(dir, f)));
}

export interface ProviderPreferenceOptions {
  /** Defaults to probing the onnxruntime-node install folder. */
  cudaInstalled?: boolean;
  /**
   * WebGPU is opt-in. On a headless Linux box (this dev machine, CI, servers) Dawn
   * finds no adapter and session creation fails after printing a Vulkan warning;
   * where it does find one it may be a software rasteriser (SwiftShader/llvmpipe)
   * that is far slower than the CPU provider's MLAS kernels. For small pure-math
   * graphs (MatMul + TopK) the CPU provider is already close to the hardware's
   * GEMM peak, so the risk is not worth it unless the user asks for it.
   */
  includeWebgpu?: boolean;
}

/** Providers to try, best first. `cpu` always comes last and never fails. */
export function providerPreference(
  platform: NodeJS.Platform = process.platform,
  options: ProviderPreferenceOptions = {},
): string[] {
  const cuda = options.cudaInstalled ?? cudaBinariesInstalled(platform);
  const list: string[] = [];
  if (cuda && (platform === 'linux' || platform === 'win32')) list.push('cuda');
  if (platform === 'win32') list.push('dml');
  if (platform === 'darwin') list.push('coreml');
  if (options.includeWebgpu) list.push('webgpu');
  list.push('cpu');
  return list;
}

function backendsBuiltIn(): Set<string> {
  try {
    return new Set(ort.listSupportedBackends().map((b) => b.name));
  } catch {
    return new Set(['cpu']);
  }
}

/** ORT error messages start with a source path and C++ lambda signature; keep the human part. */
function summariseError(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  const firstLine = raw.split('\n').find((l) => l.trim() !== '') ?? raw;
  const tail = /was false\.\s*(.*)$/.exec(firstLine)?.[1] ?? firstLine;
  return tail.replace(/^\/onnxruntime_src\/\S+\s*/, '').trim().slice(0, 300);
}

/** Reason to skip a provider without even trying it, or null to go ahead and try. */
function precheck(provider: string, builtIn: Set<string>): string | null {
  if (provider === 'cuda' || provider === 'tensorrt') {
    if (!cudaBinariesInstalled()) {
      return provider === 'cuda'
        ? CUDA_NOT_INSTALLED
        : 'TensorRT provider not installed: it ships with the CUDA provider (npm run setup:gpu)';
    }
    return null;
  }
  if (!builtIn.has(provider)) {
    return `${provider} provider is not part of this onnxruntime-node build for ${process.platform}/${process.arch}`;
  }
  return null;
}

function failureReason(provider: string, err: unknown): string {
  const detail = summariseError(err);
  if (provider === 'cuda') return `CUDA provider failed to initialise (driver, CUDA 12 or cuDNN 9 missing?): ${detail}`;
  if (provider === 'webgpu') return `WebGPU unavailable: ${detail}`;
  return `${provider} failed: ${detail}`;
}

/**
 * Create a session on the first provider in `preferred` that initialises.
 *
 * Each attempt lists only that provider: ORT implicitly keeps the CPU provider
 * behind it for any node the accelerator cannot run, so a "cuda" session may still
 * execute a few nodes on CPU. The caller's `executionProviders` option, if any, is
 * overridden. Throws (listing every reason) when no provider works; `preferred`
 * without 'cpu' is respected, so that failure is possible.
 */
export async function createSessionWithFallback(
  model: Uint8Array | string,
  preferred: string[] = providerPreference(),
  options: SessionOptions = {},
): Promise<SessionWithProvider> {
  const builtIn = backendsBuiltIn();
  const skipped: SkippedProvider[] = [];
  const tried = new Set<string>();
  const failed: string[] = [];
  for (const provider of preferred) {
    if (tried.has(provider)) continue;
    tried.add(provider);
    const pre = precheck(provider, builtIn);
    if (pre !== null) {
      skipped.push({ provider, reason: pre });
      continue;
    }
    try {
      const sessionOptions: SessionOptions = { ...options, executionProviders: [provider] };
      const session =
        typeof model === 'string'
          ? await ort.InferenceSession.create(model, sessionOptions)
          : await ort.InferenceSession.create(model, sessionOptions);
      return { session, provider, skipped };
    } catch (err) {
      failed.push(provider);
      skipped.push({ provider, reason: failureReason(provider, err) });
    }
  }
  throw new ProviderUnavailableError(skipped, failed);
}

/** No provider of the list could start a session; `skipped` says why for each. */
export class ProviderUnavailableError extends Error {
  constructor(
    readonly skipped: SkippedProvider[],
    /** Providers that were tried and failed to create the session (the others were not available at all). */
    readonly failed: string[] = [],
  ) {
    super(`no execution provider could run the model (${skipped.map((s) => `${s.provider}: ${s.reason}`).join('; ') || 'none requested'})`);
    this.name = 'ProviderUnavailableError';
  }
}

/**
 * Providers left out of `providerPreference()` on this machine, with the reason, so that a
 * run can say why it did not use the GPU.
 */
export function providersLeftOut(platform: NodeJS.Platform = process.platform): SkippedProvider[] {
  const left: SkippedProvider[] = [];
  if ((platform === 'linux' || platform === 'win32') && !cudaBinariesInstalled(platform)) left.push({ provider: 'cuda', reason: CUDA_NOT_INSTALLED });
  left.push({ provider: 'webgpu', reason: 'not tried by default: headless machines have no adapter, and software adapters are slower than the CPU provider' });
  return left;
}

/** onnxruntime-node's version, as the native binding reports it. */
export function onnxRuntimeVersion(): string {
  return ort.env.versions.node ?? ort.env.versions.common;
}

/**
 * Providers this installation can create a session on: those bundled in this build of
 * onnxruntime-node, and CUDA/TensorRT once their binaries are installed (npm run setup:gpu).
 * Whether a GPU and its driver are present is only known when a session is created.
 */
export function availableProviders(): string[] {
  let backends: { name: string; bundled: boolean }[];
  try {
    backends = ort.listSupportedBackends();
  } catch {
    backends = [{ name: 'cpu', bundled: true }];
  }
  const dir = onnxruntimeBinaryDir();
  const installed = (provider: string) =>
    dir !== null && existsSync(path.join(dir, process.platform === 'win32' ? `onnxruntime_providers_${provider}.dll` : `libonnxruntime_providers_${provider}.so`));
  const extra = (name: string) => (name === 'cuda' ? cudaBinariesInstalled() : name === 'tensorrt' ? cudaBinariesInstalled() && installed('tensorrt') : false);
  return backends.filter((b) => b.bundled || extra(b.name)).map((b) => b.name);
}
