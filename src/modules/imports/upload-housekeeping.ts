import fs from 'node:fs';
import path from 'node:path';
import type { Executor } from '../../db/database.ts';
import type { JobResult } from '../../platform/jobs/define-job.ts';
import { AppError } from '../../shared/errors.ts';
import { storeError } from './imports.presenter.ts';
import * as repo from './imports.repository.ts';
import { importFilePath } from './imports.service.ts';

/** An upload nobody touched for this long is abandoned: its import expires and its file goes. */
export const ABANDONED_AFTER_MS = 24 * 60 * 60 * 1000;

const UPLOAD_FILE =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(csv|xlsx|upload)$/;

async function listUploads(dataDir: string): Promise<string[]> {
  try {
    return await fs.promises.readdir(path.join(dataDir, 'imports'));
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * The daily clean-up of `<DATA_DIR>/imports`: an import left at its mapping or its result for a
 * day expires (status `failed`, reason `import_expired`, shown in the wizard) and its file is
 * deleted; a file without an import (an upload that crashed half-way) or of an import that ended is
 * deleted. Files of imports a job is working on are left alone, and so is anything touched within
 * the day (an upload arriving right now). Installation-wide: it runs for every organisation.
 */
export async function cleanUpAbandonedUploads(
  db: Executor,
  dataDir: string,
  now: number,
): Promise<JobResult> {
  const cutoff = now - ABANDONED_AFTER_MS;
  let removed = 0;
  let expired = 0;
  for (const name of await listUploads(dataDir)) {
    const match = UPLOAD_FILE.exec(name);
    if (!match?.[1]) continue;
    const file = path.join(dataDir, 'imports', name);
    const stat = await fs.promises.stat(file).catch(() => null);
    if (!stat || stat.mtimeMs > cutoff) continue;
    const imp = await repo.findImportForHousekeeping(db, match[1]);
    if (imp && (imp.status === 'validating' || imp.status === 'importing')) continue;
    if (imp && (imp.status === 'uploaded' || imp.status === 'validated')) {
      if (imp.updated_at > cutoff) continue;
      const changed = await repo.transitionImport(
        db,
        imp.organisation_id,
        imp.id,
        ['uploaded', 'validated'],
        { status: 'failed', error: storeError(new AppError('import_expired')), updated_at: now },
      );
      if (!changed) continue;
      expired++;
    }
    await fs.promises.rm(file, { force: true });
    removed++;
  }
  return { status: 'success', detail: `${removed} files removed, ${expired} imports expired` };
}

/**
 * Bytes of uploads an organisation has waiting (imports not yet ended): what its upload quota
 * counts. Ended imports have no file.
 */
export async function uploadBytesInUse(
  db: Executor,
  dataDir: string,
  organisationId: string,
): Promise<number> {
  let total = 0;
  for (const imp of await repo.listOpenImports(db, organisationId)) {
    const stat = await fs.promises
      .stat(importFilePath(dataDir, imp.id, imp.format))
      .catch(() => null);
    total += stat?.size ?? 0;
  }
  return total;
}
