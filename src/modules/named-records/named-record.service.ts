import type { Executor } from '../../db/database.ts';
import { notFound } from '../../shared/errors.ts';
import type { Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.repository.ts';

/**
 * The service side of a named record the organisation keeps (employees, accounts, locations):
 * every write is recorded in the audit log as `<entity>.<verb>`, a record of another organisation
 * reads as missing, and an archivable record is archived rather than deleted.
 */

/** The record, or `not_found` naming the entity: another organisation's id looks missing. */
export function found<R>(row: R | undefined, entity: string): R {
  if (!row) throw notFound(entity);
  return row;
}

/** Stores a new record and its audit entry `<entity>.created`, in the caller's transaction. */
export async function createRecord<R extends { id: string }>(
  db: Executor,
  actor: Actor,
  entity: string,
  row: R,
  insert: (db: Executor, row: R) => Promise<void>,
  now: number,
): Promise<R> {
  await insert(db, row);
  await recordAudit(
    db,
    actor,
    { action: `${entity}.created`, entityType: entity, entityId: row.id },
    now,
  );
  return row;
}

/** Stores a change and its audit entry `<entity>.<verb>` (updated, archived, restored …). */
export async function changeRecord(
  db: Executor,
  actor: Actor,
  change: { entity: string; id: string; verb: string; data?: Record<string, unknown> },
  write: () => Promise<void>,
  now: number,
): Promise<void> {
  await write();
  await recordAudit(
    db,
    actor,
    {
      action: `${change.entity}.${change.verb}`,
      entityType: change.entity,
      entityId: change.id,
      ...(change.data ? { data: change.data } : {}),
    },
    now,
  );
}

/**
 * What `archived: true | false` does to `archived_at`: archiving keeps the first moment (archiving
 * twice changes nothing), restoring clears it; and the audit verb it stands for.
 */
export function archiveChange(
  current: { archived_at: number | null },
  archived: boolean | undefined,
  now: number,
): { archived_at?: number | null; verb: 'archived' | 'restored' | 'updated' } {
  if (archived === undefined) return { verb: 'updated' };
  return archived
    ? { archived_at: current.archived_at ?? now, verb: 'archived' }
    : { archived_at: null, verb: 'restored' };
}
