import { parentPort, workerData } from 'node:worker_threads';
import { errorInfo } from '../errors/error-info';
import { runJob } from './job-definitions';
import type { ParentMessage, WorkerMessage, WorkerStart } from './worker-protocol';

/** Worker-thread entry: runs one job off the main thread and reports back. */
const port = parentPort!;
const start = workerData as WorkerStart;
const controller = new AbortController();
port.on('message', (message: ParentMessage) => {
  if (message.type === 'cancel') controller.abort();
});
const post = (message: WorkerMessage) => port.postMessage(message);

runJob(start.projectPath, start.job, {
  signal: controller.signal,
  progress: (phase, done, total) => post({ type: 'progress', phase, done, total }),
})
  .then((result) => post({ type: 'done', result }))
  .catch((error: unknown) => post({ type: 'failed', error: errorInfo(error) }))
  .finally(() => port.close());
