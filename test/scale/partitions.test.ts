import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import {
  detachPartitionsBefore,
  ensureMonthlyPartitions,
  listPartitions,
  MONTHLY_PARTITIONED_TABLES,
  partitionPending,
  partitionWhenSmall,
  pendingPartitionings,
  uuidv7Floor,
  uuidv7Time,
} from '../../src/db/partitions.ts';
import { loadConfig } from '../../src/config.ts';
import { partitionsCommand } from '../../src/modules/partitions/partitions.command.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { platform } from '../../src/server/start.ts';
import { newId } from '../../src/shared/ids.ts';
import { seedOrganisation } from '../support/bulk.ts';
import { freshDatabase, partitionAt, partitionOf } from '../support/databases.ts';
import { buildResponse, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';

const PG_URL = process.env.TEST_DATABASE_URL;
if (!PG_URL) console.warn('\n⚠ partition tests SKIPPED: they need TEST_DATABASE_URL\n');

const addMonths = (ms: number, n: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1);
};
/** A UUIDv7 created at `ms` (what newId() would have written then). */
const idAt = (ms: number) => `${uuidv7Floor(ms).slice(0, 14)}7${newId().slice(15)}`;

/**
 * Issue 13: on PostgreSQL, invitations and webhook deliveries are partitioned by month of their
 * UUIDv7 id (src/db/partitions.ts). Rows land in their month's partition, the coming months are
 * created ahead by a daily job that runs once, and old months detach for retention.
 */
describe.skipIf(!PG_URL)('monthly partitions on PostgreSQL', () => {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((o) => o.close()));
  });

  async function app(): Promise<TestApp> {
    const t = await startTestApp('postgres', { PUBLIC_URL: 'https://nps.example.nl' });
    open.push(t);
    return t;
  }

  it('partitions invitations, webhook deliveries, answers, emails and visits, keeping their primary key and foreign keys', async () => {
    const t = await app();
    for (const table of MONTHLY_PARTITIONED_TABLES) {
      const { rows } = await sql<{ key: string; pk: string }>`
        select pg_get_partkeydef(to_regclass(${table})) as key,
          (select pg_get_constraintdef(oid) from pg_constraint
           where conrelid = to_regclass(${table}) and contype = 'p') as pk`.execute(t.db.kysely);
      expect(rows[0]).toEqual({ key: 'RANGE (id)', pk: 'PRIMARY KEY (id)' });
    }
    const fks = await sql<{ n: number }>`select count(*)::int as n from pg_constraint
      where conrelid = to_regclass('invitations') and contype = 'f'`.execute(t.db.kysely);
    expect(fks.rows[0]?.n).toBe(4);
    // Unique keys carry the partition key, as PostgreSQL requires.
    const uniques = await sql<{
      def: string;
    }>`select pg_get_indexdef(indexrelid) as def from pg_index
      where indrelid = to_regclass('invitations') and indisunique and not indisprimary`.execute(
      t.db.kysely,
    );
    expect(uniques.rows.map((r) => /\((.*)\)/.exec(r.def)?.[1]).sort()).toEqual([
      'message_id, id',
      'organisation_id, id',
      'token, id',
    ]);
  });

  it('collates every column holding an id of a partitioned table "C", like the id, so joins use the index', async () => {
    const t = await app();
    // By name: a column named *invitation_id, *response_id, *delivery_id, *email_id or *visit_id
    // holds such an id.
    const { rows } = await sql<{ col: string; collation: string | null }>`
      select c.table_name || '.' || c.column_name as col, c.collation_name as collation
      from information_schema.columns c
      join pg_class k on k.relname = c.table_name
        and k.relnamespace = to_regnamespace(current_schema())
      where c.table_schema = current_schema() and not k.relispartition
        and c.column_name ~ '(^|_)(invitation|response|delivery|email|visit)_id$'
      order by 1`.execute(t.db.kysely);
    expect(rows.length).toBeGreaterThanOrEqual(9);
    expect(rows.filter((r) => r.collation !== 'C').map((r) => r.col)).toEqual([]);
    // And so the invitation's answer is an index lookup (the answer page and the answer POST read
    // it this way): with sequential scans disabled, a collation mismatch still leaves a scan of
    // every answer partition, as the planner can use no index for the join.
    const plan = await t.db.kysely.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      const explained = await sql<{ 'QUERY PLAN': string }>`explain
        select r.id from invitations i left join responses r on r.invitation_id = i.id
        where i.token = ${newId()}`.execute(trx);
      return explained.rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).not.toMatch(/Seq Scan on responses/);
    expect(plan).toMatch(/Index (Only )?Scan using responses_\w*invitation\w* on responses/);
  });

  it('stores each invitation in the partition of the month its id was created, and finds it by token', async () => {
    const t = await app();
    const owner = await buildOrganisation(t);
    const survey = await owner.request({
      method: 'POST',
      url: '/api/v1/surveys',
      payload: { name: 'NPS', status: 'active' },
    });
    for (const name of ['Sanne de Boer', 'Piet Jansen']) {
      await owner.request({
        method: 'POST',
        url: '/api/v1/contacts',
        payload: { name, email: `${name.split(' ')[0]?.toLowerCase()}@example.nl` },
      });
    }
    const send = await owner.request({
      method: 'POST',
      url: `/api/v1/surveys/${survey.json<{ id: string }>().id}/sends`,
      payload: { selection: { kind: 'all' }, schedule: { kind: 'now' } },
    });
    expect(send.statusCode, send.body).toBe(201);
    const invitations = await t.db.kysely
      .selectFrom('invitations')
      .selectAll()
      .where('organisation_id', '=', owner.organisationId)
      .execute();
    expect(invitations).toHaveLength(2);
    for (const inv of invitations) {
      const created = uuidv7Time(inv.id) ?? 0;
      expect(await partitionOf(t.db, 'invitations', inv.id)).toBe(
        partitionAt('invitations', created),
      );
    }
    // A row of next month (its id says so) lands in next month's partition, created ahead; one
    // with an id that is no UUIDv7 lands in the default partition instead of failing.
    const [first] = invitations;
    if (!first) throw new Error('no invitation');
    const nextMonth = addMonths(Date.now(), 1) + 3_600_000;
    const later = {
      ...first,
      id: idAt(nextMonth),
      token: `t-${newId()}`,
      message_id: `<${newId()}@x>`,
    };
    const odd = {
      ...first,
      id: `import-${newId()}`,
      token: `t-${newId()}`,
      message_id: `<${newId()}@y>`,
    };
    await t.db.kysely.insertInto('invitations').values([later, odd]).execute();
    expect(await partitionOf(t.db, 'invitations', later.id)).toBe(
      partitionAt('invitations', nextMonth),
    );
    expect(await partitionOf(t.db, 'invitations', odd.id)).toBe('invitations_pdefault');
    // The public page still finds an invitation by its token alone, across partitions.
    const page = await t.app.inject({ method: 'GET', url: `/r/${first.token}` });
    expect(page.statusCode).toBe(200);
  });

  it('creates the coming months ahead once, from a daily job that runs once however many workers run', async () => {
    const t = await app();
    const before = new Set((await listPartitions(t.db.kysely, 'invitations')).map((p) => p.name));
    // Four months on, just after the job's moment of the day.
    const later = addMonths(Date.now(), 4) + 2 * 3_600_000;
    t.clock.now = later;
    const workers = [1, 2, 3].map(() => startWorker(t.deps, { concurrency: 2 }, false));
    await Promise.all(workers.map((w) => w.drain()));
    const jobs = await t.db.kysely
      .selectFrom('jobs')
      .select(['status', 'attempts', 'result'])
      .where('type', '=', 'partitions.ahead')
      .execute();
    expect(jobs.map((j) => [j.status, j.attempts])).toEqual([['done', 1]]);
    const after = (await listPartitions(t.db.kysely, 'invitations')).map((p) => p.name);
    const expected = [0, 1, 2].map((i) => partitionAt('invitations', addMonths(later, i)));
    for (const name of expected) {
      expect(before.has(name)).toBe(false);
      expect(after).toContain(name);
    }
    expect(after.at(-1)).toBe('invitations_pdefault');
    // Called again (by hand, or two at once), nothing new and no error.
    const again = await Promise.all([1, 2].map(() => ensureMonthlyPartitions(t.db.kysely, later)));
    expect(again).toEqual([
      { created: [], blocked: [] },
      { created: [], blocked: [] },
    ]);
  });

  it('steps back from a lock in the way instead of deadlocking with the work around it', async () => {
    const t = await app();
    const later = addMonths(Date.now(), 60) + 3_600_000;
    // Creating a partition locks the parent, then every table its foreign keys reference.
    const { rows } = await sql<{ name: string }>`
      select confrelid::regclass::text as name from pg_constraint
      where conrelid = to_regclass('invitations') and contype = 'f' order by conname limit 1`.execute(
      t.db.kysely,
    );
    const referenced = rows[0]?.name;
    if (!referenced) throw new Error('invitations reference no table');
    // The DDL's own wait: share row exclusive on the referenced table, not granted yet.
    const ddlWaits = async () =>
      (
        await sql<{ n: number }>`select count(*)::int as n from pg_locks
          where not granted and mode = 'ShareRowExclusiveLock'
            and relation = to_regclass(${referenced})`.execute(t.db.kysely)
      ).rows[0]?.n ?? 0;

    // A transaction (an answer, a send) writes the referenced table and will then read invitations.
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let wrote = () => {};
    const written = new Promise<void>((resolve) => (wrote = resolve));
    const work = t.db.kysely.transaction().execute(async (trx) => {
      await sql`update ${sql.table(referenced)} set id = id where false`.execute(trx);
      wrote();
      await released;
      const read = await sql<{ n: number }>`select count(*)::int as n from invitations`.execute(
        trx,
      );
      return read.rows[0]?.n;
    });
    await written;
    const ddl = ensureMonthlyPartitions(t.db.kysely, later);
    // Awaited below; caught here too, so a deadlock fails the test rather than the run.
    for (const p of [work, ddl]) p.catch(() => undefined);
    let settled = false;
    const settle = () => (settled = true);
    void ddl.then(settle, settle);
    try {
      // The partition DDL now holds invitations and waits for the write's lock: the moment a
      // deadlock would close when the transaction reads invitations.
      const deadline = Date.now() + 20_000;
      while (!settled && (await ddlWaits()) === 0) {
        if (Date.now() > deadline) throw new Error(`the DDL never waited for ${referenced}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(settled).toBe(false);
    } finally {
      release();
    }
    await expect(work).resolves.toBe(0);
    const { created } = await ddl;
    expect(created).toContain(partitionAt('invitations', later));
    expect(created).toContain(partitionAt('emails', later));
  });

  it('creates the other months when one cannot be, its rows already in the default partition', async () => {
    const db = await freshDatabase('postgres');
    open.push(db);
    const start = addMonths(Date.now(), 40) + 3_600_000;
    const blockedMonth = addMonths(start, 1);
    // A row of a month not created yet lands in the default partition.
    const early = {
      id: idAt(blockedMonth + 86_400_000),
      organisation_id: newId(),
      endpoint_id: newId(),
      message_id: `msg_${newId()}`,
      event_type: 'response.saved',
      payload: '{}',
      status: 'delivered',
      attempts: 1,
      created_at: blockedMonth,
    };
    await db.kysely
      .insertInto('webhook_deliveries')
      .values(early as never)
      .execute();
    const { created, blocked } = await ensureMonthlyPartitions(db.kysely, start);
    expect(blocked).toEqual([partitionAt('webhook_deliveries', blockedMonth)]);
    // The months before and after it, and every month of the other tables, exist.
    for (const table of MONTHLY_PARTITIONED_TABLES) {
      for (const i of [0, 1, 2]) {
        const name = partitionAt(table, addMonths(start, i));
        if (name === blocked[0]) expect(created).not.toContain(name);
        else expect(created).toContain(name);
      }
    }
    // The row stays where it was and is found as before.
    expect(await partitionOf(db, 'webhook_deliveries', early.id)).toBe(
      'webhook_deliveries_pdefault',
    );
    // Asked again: nothing new, the same month still reported.
    expect(await ensureMonthlyPartitions(db.kysely, start)).toEqual({ created: [], blocked });
  });

  it('detaches the months before a date: their rows leave the table and stay in a plain table', async () => {
    const db = await freshDatabase('postgres');
    open.push(db);
    const now = Date.now();
    const lastMonth = addMonths(now, -1) + 3_600_000;
    await ensureMonthlyPartitions(db.kysely, lastMonth);
    const org = newId();
    const delivery = (id: string) => ({
      id,
      organisation_id: org,
      endpoint_id: newId(),
      message_id: `msg_${id}`,
      event_type: 'response.saved',
      payload: '{}',
      status: 'delivered',
      attempts: 1,
      created_at: now,
    });
    const old = delivery(idAt(lastMonth));
    const current = delivery(newId());
    await db.kysely
      .insertInto('webhook_deliveries')
      .values([old, current] as never)
      .execute();

    const detached = await detachPartitionsBefore(
      db.kysely,
      'webhook_deliveries',
      addMonths(now, 0),
    );
    expect(detached).toEqual([partitionAt('webhook_deliveries', lastMonth)]);
    const left = await db.kysely.selectFrom('webhook_deliveries').select('id').execute();
    expect(left.map((r) => r.id)).toEqual([current.id]);
    const archived = await sql<{ id: string }>`select id from ${sql.id(detached[0] ?? '')}`.execute(
      db.kysely,
    );
    expect(archived.rows.map((r) => r.id)).toEqual([old.id]);
    // This month's partition stays attached; detaching again finds nothing more.
    expect(
      await detachPartitionsBefore(db.kysely, 'webhook_deliveries', addMonths(now, 0)),
    ).toEqual([]);
  });

  it('detaching steps back from a reader in the way, so the queries after it are not held behind its lock', async () => {
    const db = await freshDatabase('postgres');
    open.push(db);
    const now = Date.now();
    const lastMonth = addMonths(now, -1) + 3_600_000;
    await ensureMonthlyPartitions(db.kysely, lastMonth);
    // A long report reads the table and keeps its transaction open.
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let read = () => {};
    const reading = new Promise<void>((resolve) => (read = resolve));
    const report = db.kysely.transaction().execute(async (trx) => {
      await sql`select count(*) from webhook_deliveries`.execute(trx);
      read();
      await released;
    });
    await reading;
    const detaching = detachPartitionsBefore(db.kysely, 'webhook_deliveries', addMonths(now, 0));
    for (const p of [report, detaching]) p.catch(() => undefined);
    try {
      // The detach asks for its exclusive lock and waits behind the report...
      const asked = async () =>
        (
          await sql<{ n: number }>`select count(*)::int as n from pg_locks
            where not granted and mode = 'AccessExclusiveLock'
              and relation = to_regclass('webhook_deliveries')`.execute(db.kysely)
        ).rows[0]?.n ?? 0;
      const deadline = Date.now() + 20_000;
      while ((await asked()) === 0) {
        if (Date.now() > deadline) throw new Error('the detach never waited for its lock');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      // ...and an answer's read that comes after it still gets through while the report runs.
      // Queued behind an exclusive lock that waits for the report, it would not.
      const next = sql`select count(*) from webhook_deliveries`
        .execute(db.kysely)
        .then(() => 'read');
      const held = new Promise((resolve) => setTimeout(() => resolve('held'), 15_000));
      expect(await Promise.race([next, held])).toBe('read');
    } finally {
      release();
    }
    await report;
    expect(await detaching).toEqual([partitionAt('webhook_deliveries', lastMonth)]);
  }, 60_000);

  it('detaches months of answers only when `loyaal partitions` is told to by name', async () => {
    const db = await freshDatabase('postgres');
    open.push(db);
    const now = Date.now();
    // Past the default retention period (36 months), which the command checks.
    const lastMonth = addMonths(now, -40) + 3_600_000;
    await ensureMonthlyPartitions(db.kysely, lastMonth);
    const organisationId = await seedOrganisation(db.kysely, 'Garage De Vries', now);
    const survey = await buildSurvey(db.kysely, organisationId);
    const old = await buildResponse(
      db.kysely,
      { organisationId, surveyId: survey.id },
      { id: idAt(lastMonth), answered_at: lastMonth },
    );
    const base = PG_URL ?? '';
    const options = encodeURIComponent(`-c search_path=${db.schema ?? 'public'}`);
    const config = loadConfig({
      DATABASE_URL: `${base}${base.includes('?') ? '&' : '?'}options=${options}`,
    });
    const nextMonth = new Date(addMonths(now, -39)).toISOString().slice(0, 7);
    const answerIds = async () =>
      (await db.kysely.selectFrom('responses').select('id').execute()).map((r) => r.id);

    expect(await partitionsCommand.run(['--detach-before', nextMonth], config, platform)).toBe(0);
    expect(await answerIds()).toEqual([old.id]);
    const lastInvitations = partitionAt('invitations', lastMonth);
    expect((await listPartitions(db.kysely, 'invitations')).map((p) => p.name)).not.toContain(
      lastInvitations,
    );

    expect(
      await partitionsCommand.run(
        ['--detach-before', nextMonth, '--table', 'responses'],
        config,
        platform,
      ),
    ).toBe(0);
    expect(await answerIds()).toEqual([]);
    const archived = await sql<{ id: string }>`select id from ${sql.id(
      partitionAt('responses', lastMonth),
    )}`.execute(db.kysely);
    expect(archived.rows.map((r) => r.id)).toEqual([old.id]);
    expect(await partitionsCommand.run(['--table', 'answers'], config, platform)).toBe(2);
  });

  it('leaves a large emails table plain at start; `loyaal migrate` partitions it with progress, and old months detach', async () => {
    const db = await freshDatabase('postgres', { migrateBefore: '0050-partitioned-emails' });
    open.push(db);
    const now = Date.now();
    const lastMonth = addMonths(now, -1) + 3_600_000;
    const email = (id: string) => ({
      id,
      organisation_id: newId(),
      kind: 'test' as const,
      invitation_id: null,
      to_address: 'eigenaar@example.nl',
      subject: 'Test',
      text_body: 'tekst',
      html_body: '<p>html</p>',
      headers: '{}',
      message_id: `<${id}.test@nps.example.nl>`,
      status: 'sent' as const,
      transport: 'smtp' as const,
      error: null,
      failure: null,
      next_attempt_at: null,
      sent_at: now,
      created_at: now,
    });
    const rows = [idAt(lastMonth), idAt(lastMonth + 1), newId(), newId(), `import-${newId()}`].map(
      email,
    );
    await db.kysely.insertInto('emails').values(rows).execute();
    const all = () => db.kysely.selectFrom('emails').selectAll().orderBy('id').execute();
    const before = await all();

    // More rows than a start may copy: the table stays plain (the same code runs on it).
    expect(await partitionWhenSmall(db.kysely, 'emails', now, 4)).toBe(false);
    // Visits too: their migration (0057) comes after 0050, and this database stopped before it.
    expect(await pendingPartitionings(db.kysely)).toEqual(['emails', 'visits']);
    const lines: string[] = [];
    expect(await partitionPending(db.kysely, now, (l) => lines.push(l), 2)).toEqual([
      'emails',
      'visits',
    ]);
    expect(lines.filter((l) => l.startsWith('emails') && l.includes('copied'))).toEqual([
      'emails: 2 of 5 rows copied (40 %)',
      'emails: 4 of 5 rows copied (80 %)',
      'emails: 5 of 5 rows copied (100 %)',
    ]);
    expect(await pendingPartitionings(db.kysely)).toEqual([]);
    expect(await partitionPending(db.kysely, now, () => {})).toEqual([]);
    // Visits' unique key with organisation_id became plain: the tenant key took its place.
    const tenantKey = await sql<{ def: string }>`select pg_get_indexdef(indexrelid) as def
      from pg_index where indrelid = to_regclass('visits') and indisunique and not indisprimary`.execute(
      db.kysely,
    );
    expect(tenantKey.rows.map((r) => /\((.*)\)/.exec(r.def)?.[1])).toEqual(['organisation_id, id']);
    expect(await all()).toEqual(before);
    const [old, , current, , odd] = rows;
    if (!old || !current || !odd) throw new Error('rows');
    expect(await partitionOf(db, 'emails', old.id)).toBe(partitionAt('emails', lastMonth));
    expect(await partitionOf(db, 'emails', current.id)).toBe(partitionAt('emails', now));
    expect(await partitionOf(db, 'emails', odd.id)).toBe('emails_pdefault');

    // Retention: last month leaves the table, kept in a plain table of its own name.
    const detached = await detachPartitionsBefore(db.kysely, 'emails', addMonths(now, 0));
    expect(detached).toEqual([partitionAt('emails', lastMonth)]);
    expect((await all()).map((r) => r.id)).toEqual(
      before
        .map((r) => r.id)
        .filter((id) => uuidv7Time(id) === null || uuidv7Time(id)! >= addMonths(now, 0)),
    );
  });
});
