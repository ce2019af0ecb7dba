import cliProgress from 'cli-progress';

export type ProgressSink = (phase: string, done: number, total: number) => void;

/**
 * A progress bar with phase and ETA on stderr when it is a terminal and the output is not
 * JSON; nothing otherwise, so pipes and scripts see only the result.
 */
export function progressBar(label: string, quiet: boolean): { update: ProgressSink; stop(): void } {
  if (quiet || !process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { format: `${label} {phase} [{bar}] {percentage}% | ETA {eta_formatted}`, stream: process.stderr, hideCursor: true, clearOnComplete: true, etaBuffer: 40 },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let phaseShown = '';
  return {
    update(phase, done, total) {
      const scaled = total > 0 ? Math.min(1000, Math.round((1000 * done) / total)) : 0;
      if (!started) {
        bar.start(1000, scaled, { phase });
        started = true;
      } else if (phase !== phaseShown) {
        // A new phase restarts the estimate: its pace is its own.
        bar.start(1000, scaled, { phase });
      } else bar.update(scaled, { phase });
      phaseShown = phase;
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
