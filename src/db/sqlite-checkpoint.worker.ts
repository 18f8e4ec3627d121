/**
 * The background checkpointer's thread (sqlite-checkpointer.ts): its own connection to the SQLite
 * file, copying the WAL's committed pages into the database file with PASSIVE checkpoints, which
 * never wait for and never block the writer or the readers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { file, intervalMs } = workerData as { file: string; intervalMs: number };
const sqlite = new Database(file);
sqlite.pragma('busy_timeout = 0');

const timer = setInterval(() => {
  try {
    sqlite.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    // SQLITE_BUSY: another checkpoint (the writer's own, or a backup) runs; try at the next turn.
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
  }
}, intervalMs);

parentPort?.on('message', (message: unknown) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  sqlite.close();
  parentPort?.close();
});
