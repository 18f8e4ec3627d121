import { registerJobHandler, type JobHandler } from '../../jobs/registry.ts';
import { updateImport } from './imports.repository.ts';
import {
  JOB_ATTEMPTS,
  JOB_COMMIT,
  JOB_VALIDATE,
  markFailed,
  runCommit,
  runValidation,
  type RunContext,
} from './imports.service.ts';

function ids(payload: Record<string, unknown>, organisationId: string | null) {
  const importId = payload.importId;
  if (typeof importId !== 'string' || !organisationId) return null;
  return { importId, organisationId };
}

/** Validation jobs carry the import id only; the handler re-reads the import and its mapping. */
const validate: JobHandler = async (payload, ctx) => {
  const job = ids(payload, ctx.organisationId);
  if (!job) return { status: 'skipped', detail: 'bad payload' };
  const run: RunContext = { db: ctx.db, dataDir: ctx.config.DATA_DIR, now: ctx.now };
  try {
    const result = await runValidation(run, job.organisationId, job.importId);
    return result.status === 'skipped'
      ? { status: 'skipped', detail: 'import is not waiting for validation' }
      : { status: 'success', detail: result.status };
  } catch (error) {
    // The worker retries; after the last attempt the user must see that it stopped.
    if (ctx.attempt >= JOB_ATTEMPTS) await markFailed(run, job.organisationId, job.importId);
    throw error;
  }
};

/**
 * The commit runs in one transaction, so a failed attempt wrote nothing and a retry starts from
 * the beginning. On PostgreSQL the progress is written from outside that transaction (another
 * pooled connection) so the progress bar moves; SQLite has one connection, held by the commit, so
 * there the counts appear when it ends.
 */
const commit: JobHandler = async (payload, ctx) => {
  const job = ids(payload, ctx.organisationId);
  if (!job) return { status: 'skipped', detail: 'bad payload' };
  const run: RunContext = { db: ctx.db, dataDir: ctx.config.DATA_DIR, now: ctx.now };
  const onProgress =
    ctx.db.dialect === 'postgres'
      ? async (c: { processed: number }) =>
          updateImport(ctx.db.kysely, job.organisationId, job.importId, {
            processed_rows: c.processed,
            updated_at: ctx.now(),
          })
      : undefined;
  try {
    const result = await runCommit(run, job.organisationId, job.importId, {
      ...(onProgress ? { onProgress } : {}),
    });
    return result.status === 'skipped'
      ? { status: 'skipped', detail: 'import is not waiting to be committed' }
      : { status: 'success', detail: result.status };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (ctx.attempt >= JOB_ATTEMPTS) {
      await markFailed(run, job.organisationId, job.importId);
    } else {
      await updateImport(ctx.db.kysely, job.organisationId, job.importId, {
        error: JSON.stringify({ code: 'internal', detail: message.slice(0, 500) }),
        updated_at: ctx.now(),
      });
    }
    throw error;
  }
};

/** Registers the validate and commit jobs with the worker. */
export function registerImportJobs(): void {
  registerJobHandler(JOB_VALIDATE, validate);
  registerJobHandler(JOB_COMMIT, commit);
}
