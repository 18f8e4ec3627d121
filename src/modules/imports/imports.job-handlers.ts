import { handleJob, type JobContext } from '../../platform/jobs/define-job.ts';
import { importCleanupJob, importCommitJob, importValidateJob } from './imports.jobs.ts';
import { cleanUpAbandonedUploads } from './upload-housekeeping.ts';
import { updateImport } from './imports.repository.ts';
import { markFailed, runCommit, runValidation, type RunContext } from './imports.service.ts';

const runContext = (ctx: JobContext): RunContext => ({
  db: ctx.db,
  dataDir: ctx.config.DATA_DIR,
  now: ctx.now,
  deps: ctx,
});

/**
 * After the last attempt the user must see that the import stopped (and its upload is deleted),
 * whether the attempt threw or its worker died.
 */
const onFailed = async (payload: { importId: string }, ctx: JobContext): Promise<void> => {
  if (ctx.organisationId) await markFailed(runContext(ctx), ctx.organisationId, payload.importId);
};

/** Validation re-reads the import and its mapping; the payload is its id only. */
export const validateImportHandler = handleJob(importValidateJob, {
  async run({ importId }, ctx) {
    if (!ctx.organisationId) return { status: 'skipped', detail: 'no organisation' };
    const result = await runValidation(runContext(ctx), ctx.organisationId, importId);
    return result.status === 'skipped'
      ? { status: 'skipped', detail: 'import is not waiting for validation' }
      : { status: 'success', detail: result.status };
  },
  onFailed,
});

/**
 * The commit runs in one transaction, so a failed attempt wrote nothing and a retry starts from
 * the beginning. On PostgreSQL the progress is written from outside that transaction (another
 * pooled connection) so the progress bar moves; SQLite has one writer, held by the commit, so
 * there the counts appear when it ends (reads go on beside it).
 */
export const commitImportHandler = handleJob(importCommitJob, {
  async run({ importId }, ctx) {
    const organisationId = ctx.organisationId;
    if (!organisationId) return { status: 'skipped', detail: 'no organisation' };
    const onProgress =
      ctx.db.dialect === 'postgres'
        ? async (c: { processed: number }) =>
            updateImport(ctx.db.kysely, organisationId, importId, {
              processed_rows: c.processed,
              updated_at: ctx.now(),
            })
        : undefined;
    try {
      const result = await runCommit(runContext(ctx), organisationId, importId, {
        ...(onProgress ? { onProgress } : {}),
      });
      return result.status === 'skipped'
        ? { status: 'skipped', detail: 'import is not waiting to be committed' }
        : { status: 'success', detail: result.status };
    } catch (error) {
      if (ctx.attempt < ctx.maxAttempts) {
        // Shown while the worker retries; the last attempt's onFailed marks the import failed.
        const message = error instanceof Error ? error.message : String(error);
        await updateImport(ctx.db.kysely, organisationId, importId, {
          error: JSON.stringify({ code: 'internal', detail: message.slice(0, 500) }),
          updated_at: ctx.now(),
        });
      }
      throw error;
    }
  },
  onFailed,
});

/** The daily clean-up of abandoned uploads (installation-wide). */
export const cleanupImportsHandler = handleJob(importCleanupJob, {
  run: async (_payload, ctx) =>
    cleanUpAbandonedUploads(ctx.db.kysely, ctx.config.DATA_DIR, ctx.now()),
});
