import { keysetList } from '../../db/keyset.ts';
import type { ListPage } from '../../shared/cursor.ts';
import type { Executor } from '../../db/database.ts';
import { newId } from '../../shared/ids.ts';
import type { Actor } from '../auth/actor.ts';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | null;
  /** Never personal data beyond ids: the audit log outlives erasure. */
  data?: Record<string, unknown>;
}

export async function recordAudit(
  db: Executor,
  actor: Actor | { kind: 'system'; organisationId: string },
  entry: AuditEntry,
  now: number,
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: newId(),
      organisation_id: actor.organisationId,
      actor_type: actor.kind,
      actor_id: actor.kind === 'system' ? null : actor.id,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      data: JSON.stringify(entry.data ?? {}),
      created_at: now,
    })
    .execute();
}

export async function listAudit(db: Executor, organisationId: string, page: ListPage) {
  const q = db
    .selectFrom('audit_log')
    .select([
      'id',
      'actor_type',
      'actor_id',
      'action',
      'entity_type',
      'entity_id',
      'data',
      'created_at',
    ])
    .where('organisation_id', '=', organisationId);
  return keysetList(q, page);
}

/** The newest audit entry of an action in an organisation (e.g. the last retention run). */
export async function findLatestAudit(db: Executor, organisationId: string, action: string) {
  return db
    .selectFrom('audit_log')
    .select(['data', 'created_at'])
    .where('organisation_id', '=', organisationId)
    .where('action', '=', action)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
