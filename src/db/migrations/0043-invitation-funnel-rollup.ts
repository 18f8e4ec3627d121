import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * The response funnel's rollup (issue 10, the first screen's summary at 10 million answers): the
 * invitations counted per organisation × hour of their planned moment (UTC, so every local
 * midnight is a bound) × survey — invited (every invitation but the cancelled and skipped ones),
 * sent, in the outbox, sent and bounced, clicked, answered, answered after a delivered mail — the
 * same counts `funnelCounts` took from a range scan of the period's invitations (migration 0046),
 * which at a million invitations in 90 days cost over a second.
 *
 * Kept by triggers on `invitations`, in the transaction of every change: the funnel moves with
 * every path that writes an invitation (planning, sending, the outbox, bounces, cancellation, the
 * first click, the answer, the demo), and a trigger is the one place that sees them all, so the
 * counts cannot drift from the rows. Each change adds the new row's counts and takes away the
 * old row's. On PostgreSQL one statement-level trigger per operation sums its rows per key (a
 * batch of answers or a cancelled send is one upsert per key, in key order) into the shard of its
 * transaction (here 0–7 by transaction id; claimed since migration 0058, so that concurrent
 * transactions do not wait for each other's row). SQLite has one writer: shard 0, row triggers
 * (an update within its key one upsert of the difference). `loyaal rollups rebuild` recounts it
 * from the invitations (a detached partition's invitations leave with a rebuild).
 */
const COUNTS = [
  'invited',
  'sent',
  'outbox',
  'bounced',
  'clicked',
  'answered',
  'answered_delivered',
] as const;

/** The counts of one invitation row (`r`: new, old, or a transition table's alias), 1 or 0. */
function countsOf(r: string, pg: boolean) {
  const one = (condition: string) =>
    pg ? `(case when ${condition} then 1 else 0 end)` : `(${condition})`;
  return [
    '1',
    one(`${r}.sent_at is not null`),
    one(`${r}.status = 'outbox'`),
    one(`${r}.sent_at is not null and ${r}.bounced_at is not null`),
    one(`${r}.clicked_at is not null`),
    one(`${r}.responded_at is not null`),
    one(`${r}.responded_at is not null and ${r}.sent_at is not null and ${r}.bounced_at is null`),
  ];
}

const counted = (r: string) => `${r}.status not in ('cancelled', 'skipped')`;
const hourOf = (r: string) => `${r}.planned_at - ${r}.planned_at % 3600000`;
const addExcluded = COUNTS.map((c) => `${c} = rollup_invitation_funnel.${c} + excluded.${c}`).join(
  ', ',
);
const KEY = 'organisation_id, hour, survey_id, shard';

/** This migration's shard of a transaction (migration 0058 claims one instead). */
export const BLIND_SHARD = '(txid_current() % 8)::smallint';

export async function up(db: Kysely<unknown>): Promise<void> {
  let table = db.schema
    .createTable('rollup_invitation_funnel')
    .addColumn('organisation_id', 'text', (c) => c.notNull())
    .addColumn('hour', 'bigint', (c) => c.notNull())
    .addColumn('survey_id', 'text', (c) => c.notNull())
    .addColumn('shard', 'smallint', (c) => c.notNull().defaultTo(0));
  for (const c of COUNTS) table = table.addColumn(c, 'integer', (col) => col.notNull());
  await table
    .addPrimaryKeyConstraint('rollup_invitation_funnel_pk', [
      'organisation_id',
      'hour',
      'survey_id',
      'shard',
    ])
    .execute();

  await createFunnelTriggers(db, BLIND_SHARD);

  const columns = `${KEY}, ${COUNTS.join(', ')}`;
  // The invitations already stored, per organisation (one grouped insert each).
  const organisations = (
    await sql<{
      organisation_id: string;
    }>`select distinct organisation_id from invitations`.execute(db)
  ).rows;
  for (const { organisation_id } of organisations) {
    await sql
      .raw(
        `insert into rollup_invitation_funnel (${columns})
        select organisation_id, ${hourOf('i')}, survey_id, 0,
          ${countsOf('i', true)
            .map((c) => `sum(${c})`)
            .join(', ')}
        from invitations i
        where i.organisation_id = '${organisation_id.replace(/'/g, "''")}' and ${counted('i')}
        group by organisation_id, ${hourOf('i')}, survey_id`,
      )
      .execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropFunnelTriggers(db);
  await db.schema.dropTable('rollup_invitation_funnel').execute();
}

/**
 * PostgreSQL's three trigger functions, each writing into the shard `shard` names (an SQL
 * expression; this migration's is the transaction id modulo 8, migration 0058's a claimed shard).
 */
export async function createFunnelFunctions(db: Kysely<unknown>, shard: string): Promise<void> {
  const columns = `${KEY}, ${COUNTS.join(', ')}`;
  // One function per sign: the rows of a transition table, summed per key, in key order.
  const apply = (name: string, sources: Array<{ table: string; sign: '+' | '-' }>) => {
    const rows = sources
      .map(
        (s) => `select ${s.table}.organisation_id, ${hourOf(s.table)} as hour, ${s.table}.survey_id,
          ${countsOf(s.table, true)
            .map((c, i) => `${s.sign}${c} as ${COUNTS[i]}`)
            .join(', ')}
        from ${s.table} where ${counted(s.table)}`,
      )
      .join(' union all ');
    return sql.raw(`create or replace function ${name}() returns trigger language plpgsql as $$
      begin
        insert into rollup_invitation_funnel (${columns})
        select organisation_id, hour, survey_id, ${shard},
          ${COUNTS.map((c) => `sum(${c})`).join(', ')}
        from (${rows}) d
        group by organisation_id, hour, survey_id
        having ${COUNTS.map((c) => `sum(${c}) <> 0`).join(' or ')}
        order by organisation_id, hour, survey_id
        on conflict (${KEY}) do update set ${addExcluded};
        return null;
      end $$`);
  };
  await apply('invitations_funnel_inserted', [{ table: 'new_rows', sign: '+' }]).execute(db);
  await apply('invitations_funnel_updated', [
    { table: 'new_rows', sign: '+' },
    { table: 'old_rows', sign: '-' },
  ]).execute(db);
  await apply('invitations_funnel_deleted', [{ table: 'old_rows', sign: '-' }]).execute(db);
}

/**
 * The triggers that keep `rollup_invitation_funnel` (see the file's comment). Exported for the
 * insight bench, which measures answers per second without them (`dropFunnelTriggers`); `shard` as
 * in `createFunnelFunctions`.
 */
export async function createFunnelTriggers(db: Kysely<unknown>, shard: string): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const columns = `${KEY}, ${COUNTS.join(', ')}`;
  if (pg) {
    await createFunnelFunctions(db, shard);
    await sql`create trigger invitations_funnel_insert after insert on invitations
      referencing new table as new_rows
      for each statement execute function invitations_funnel_inserted()`.execute(db);
    await sql`create trigger invitations_funnel_update after update on invitations
      referencing new table as new_rows old table as old_rows
      for each statement execute function invitations_funnel_updated()`.execute(db);
    await sql`create trigger invitations_funnel_delete after delete on invitations
      referencing old table as old_rows
      for each statement execute function invitations_funnel_deleted()`.execute(db);
  } else {
    const upsert = (values: string) =>
      `insert into rollup_invitation_funnel (${columns}) values (${values})
        on conflict (${KEY}) do update set ${addExcluded};`;
    const rowValues = (r: 'new' | 'old', sign: '+' | '-') =>
      `${r}.organisation_id, ${hourOf(r)}, ${r}.survey_id, 0,
        ${countsOf(r, false)
          .map((c) => `${sign}${c}`)
          .join(', ')}`;
    await sql
      .raw(
        `create trigger invitations_funnel_insert after insert on invitations
        when ${counted('new')}
        begin ${upsert(rowValues('new', '+'))} end`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger invitations_funnel_delete after delete on invitations
        when ${counted('old')}
        begin ${upsert(rowValues('old', '-'))} end`,
      )
      .execute(db);
    // Only when a counted column changes. Within its key (the usual case: a click, an answer, a
    // send, a bounce) one upsert of the difference; moved to another key, the old row's counts
    // out and the new row's in.
    const changed = [
      'organisation_id',
      'planned_at',
      'survey_id',
      'status',
      'sent_at',
      'bounced_at',
      'clicked_at',
      'responded_at',
    ]
      .map((c) => `old.${c} is not new.${c}`)
      .join(' or ');
    const sameKey = `old.organisation_id = new.organisation_id and old.survey_id = new.survey_id
      and ${hourOf('old')} = ${hourOf('new')}`;
    const oldCounts = countsOf('old', false);
    const difference = countsOf('new', false)
      .map((c, i) => `(${counted('new')}) * ${c} - (${counted('old')}) * ${oldCounts[i] ?? '0'}`)
      .join(', ');
    await sql
      .raw(
        `create trigger invitations_funnel_update after update on invitations
        when (${changed}) and ${sameKey}
        begin ${upsert(`new.organisation_id, ${hourOf('new')}, new.survey_id, 0, ${difference}`)} end`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger invitations_funnel_move_out after update on invitations
        when (${changed}) and not (${sameKey}) and ${counted('old')}
        begin ${upsert(rowValues('old', '-'))} end`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger invitations_funnel_move_in after update on invitations
        when (${changed}) and not (${sameKey}) and ${counted('new')}
        begin ${upsert(rowValues('new', '+'))} end`,
      )
      .execute(db);
  }
}

/** Drops the funnel triggers (the migration's `down`; the bench's upkeep-off server). */
export async function dropFunnelTriggers(db: Kysely<unknown>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  if (pg) {
    for (const op of ['insert', 'update', 'delete']) {
      await sql.raw(`drop trigger invitations_funnel_${op} on invitations`).execute(db);
    }
    for (const f of ['inserted', 'updated', 'deleted']) {
      await sql.raw(`drop function invitations_funnel_${f}()`).execute(db);
    }
  } else {
    // update_old and update_new: this migration's first version (two upserts per changed row).
    for (const t of [
      'insert',
      'delete',
      'update',
      'move_out',
      'move_in',
      'update_old',
      'update_new',
    ]) {
      await sql.raw(`drop trigger if exists invitations_funnel_${t}`).execute(db);
    }
  }
}
