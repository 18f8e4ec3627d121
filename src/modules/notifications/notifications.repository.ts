import type { Executor } from '../../db/database.ts';
import { keysetList } from '../../db/keyset.ts';
import type { NotificationTable } from '../../db/schema.ts';
import type { Cursor } from '../../shared/cursor.ts';

/**
 * Which notes a reader sees: every note, or those about some employees and (for a team manager)
 * their team. The service decides; the repository only filters.
 */
export type NotificationVisibility =
  | { readonly kind: 'all' }
  | {
      readonly kind: 'some';
      readonly employeeIds: readonly string[];
      readonly team: string | null;
    };

/** Inserts new notes; a note for a subject and period that exists is left as it is. */
export async function insertNotifications(
  db: Executor,
  rows: readonly NotificationTable[],
): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += 500) {
    const result = await db
      .insertInto('notifications')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) =>
        oc.columns(['organisation_id', 'subject_kind', 'subject_key', 'period']).doNothing(),
      )
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}

/** A note as its reader sees it: the row, the employee's name and when this reader read it. */
export type NotificationRow = Omit<NotificationTable, 'organisation_id'> & {
  employee_name: string | null;
  read_at: number | null;
};

function visible(db: Executor, organisationId: string, v: NotificationVisibility, reader: string) {
  let q = db
    .selectFrom('notifications as n')
    .leftJoin('employees as e', (j) =>
      j
        .onRef('e.organisation_id', '=', 'n.organisation_id')
        .onRef('e.id', '=', 'n.subject_key')
        .on('n.subject_kind', '=', 'employee'),
    )
    .leftJoin('notification_reads as r', (j) =>
      j
        .onRef('r.organisation_id', '=', 'n.organisation_id')
        .onRef('r.notification_id', '=', 'n.id')
        .on('r.reader_id', '=', reader),
    )
    .select([
      'n.id',
      'n.kind',
      'n.subject_kind',
      'n.subject_key',
      'n.period',
      'n.period_from',
      'n.period_to',
      'n.previous_from',
      'n.answers_before',
      'n.answers_after',
      'n.nps_before',
      'n.nps_after',
      'n.probability_of_rise',
      'n.created_at',
      'e.name as employee_name',
      'r.read_at',
    ])
    .where('n.organisation_id', '=', organisationId);
  if (v.kind === 'some') {
    const { employeeIds, team } = v;
    q = q.where((eb) =>
      eb.or([
        ...(employeeIds.length > 0
          ? [
              eb.and([
                eb('n.subject_kind', '=', 'employee'),
                eb('n.subject_key', 'in', employeeIds),
              ]),
            ]
          : []),
        ...(team !== null
          ? [eb.and([eb('n.subject_kind', '=', 'team'), eb('n.subject_key', '=', team)])]
          : []),
      ]),
    );
  }
  return q;
}

/** Newest first, keyset on (created_at, id); `limit + 1` rows so the caller sees a next page. */
export async function listNotifications(
  db: Executor,
  organisationId: string,
  v: NotificationVisibility,
  reader: string,
  page: { status: 'unread' | 'all'; limit: number; cursor?: Cursor | undefined },
): Promise<NotificationRow[]> {
  let q = visible(db, organisationId, v, reader);
  if (page.status === 'unread') q = q.where('r.read_at', 'is', null);
  const { rows } = await keysetList(q, { limit: page.limit, cursor: page.cursor }, 'n');
  return rows;
}

export async function findNotification(
  db: Executor,
  organisationId: string,
  v: NotificationVisibility,
  reader: string,
  id: string,
): Promise<NotificationRow | null> {
  return (
    (await visible(db, organisationId, v, reader).where('n.id', '=', id).executeTakeFirst()) ?? null
  );
}

/** Marks a note read for one reader; reading it again keeps the first time. */
export async function markRead(
  db: Executor,
  organisationId: string,
  notificationId: string,
  reader: string,
  now: number,
): Promise<void> {
  await db
    .insertInto('notification_reads')
    .values({
      organisation_id: organisationId,
      notification_id: notificationId,
      reader_id: reader,
      read_at: now,
    })
    .onConflict((oc) => oc.columns(['organisation_id', 'notification_id', 'reader_id']).doNothing())
    .execute();
}

/** Deletes up to `limit` notes made before `cutoff` (and who read them); says how many. */
export async function deleteNotificationsBefore(
  db: Executor,
  organisationId: string,
  cutoff: number,
  limit: number,
): Promise<number> {
  const old = await db
    .selectFrom('notifications')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('created_at', '<', cutoff)
    .orderBy('created_at')
    .limit(limit)
    .execute();
  if (old.length === 0) return 0;
  const ids = old.map((o) => o.id);
  await db
    .deleteFrom('notification_reads')
    .where('organisation_id', '=', organisationId)
    .where('notification_id', 'in', ids)
    .execute();
  await db
    .deleteFrom('notifications')
    .where('organisation_id', '=', organisationId)
    .where('id', 'in', ids)
    .execute();
  return ids.length;
}
