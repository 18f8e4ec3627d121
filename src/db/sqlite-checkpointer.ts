import { Worker } from 'node:worker_threads';

/**
 * Checkpoints off the request path (SQLite in WAL mode). A commit appends the transaction's pages
 * to the WAL; a checkpoint copies them into the database file and syncs it to disk. SQLite's own
 * auto-checkpoint runs inside the commit that crosses its threshold, on the writer's thread, so
 * every few thousand pages one answer batch waited for a whole checkpoint and its fsync (the
 * answers benchmark's commits averaged 8.9 ms, about half of all time spent in SQL).
 *
 * A worker thread with a connection of its own now runs PASSIVE checkpoints every `intervalMs`:
 * they copy what is committed without waiting for or blocking the writer. The writer keeps
 * SQLite's auto-checkpoint as a backstop: when it comes, the pages are mostly copied already, so
 * it is short, and it lets the WAL start over from its beginning (a concurrent checkpoint alone
 * may never catch up with a busy writer, and the WAL would grow).
 */
export interface Checkpointer {
  /** Stops the thread after its current checkpoint and closes its connection. */
  stop(): Promise<void>;
}

export function startCheckpointer(
  file: string,
  options: { intervalMs?: number } = {},
): Checkpointer {
  const worker = new Worker(new URL('./sqlite-checkpoint.worker.ts', import.meta.url), {
    workerData: { file, intervalMs: options.intervalMs ?? 200 },
  });
  // The thread never keeps the process alive; closing the database stops it.
  worker.unref();
  let failure: Error | undefined;
  worker.on('error', (error: Error) => {
    // A checkpoint that failed for another reason than a busy database: the writer's own
    // auto-checkpoint still keeps the WAL bounded, so the server goes on without the thread.
    failure = error;
    console.error(`SQLite background checkpoints stopped: ${error.message}`);
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      // Held while it stops, so that a closing process waits for the connection to close.
      worker.ref();
      if (!failure) worker.postMessage('stop');
      await exited;
    },
  };
}
