// The job worker as the app runs it (a worker thread), loaded from the TypeScript sources:
// tsx's loader is registered for this thread first. Tests and benchmarks pass this file as `workerUrl`.
import { register } from 'tsx/esm/api';

register();
await import('../src/main/core/jobs/job-worker.ts');
