import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { uuidv7Time } from '../../src/db/partitions.ts';
import type { ContactTable, VisitTable } from '../../src/db/schema.ts';
import { visitId, visitInviteKey } from '../../src/modules/visits/visit-ids.ts';
import { eraseContact } from '../../src/modules/privacy/privacy.service.ts';
import {
  anonymiseContactVisits,
  lockVisitWrites,
} from '../../src/modules/visits/visits.repository.ts';
import { insertJobs } from '../../src/platform/jobs/jobs.repository.ts';
import { recordVisits, type NewVisit } from '../../src/modules/visits/visits.service.ts';
import { newId } from '../../src/shared/ids.ts';
import { seedOrganisation } from '../support/bulk.ts';
import { describeEachDialect, partitionAt, partitionOf } from '../support/databases.ts';
import { buildContact, FACTORY_NOW, ownerActor } from '../support/factories.ts';
import { startTestApp, type TestApp } from '../support/harness.ts';

const RACERS = 5;
const DAY = 86_400_000;

/**
 * Issue 13: visits are partitioned by month on PostgreSQL (migration 0057), where no index but the
 * primary key is unique across partitions. A numbered visit's id is derived from its organisation
 * and number, and its writers take the organisation's visit lock before looking numbers up
 * (src/modules/visits/visit-ids.ts),
 * so re-recording a number — a retry, a correction with another date, first records racing — keeps
 * one visit. A visit stored before (random id) keeps its id. The database is upgraded here with
 * such visits in it.
 */
describeEachDialect('one visit per number, kept by the visit’s id and a lock', (dialect) => {
  let t: TestApp;
  let organisationId: string;
  let customer: ContactTable;
  let other: ContactTable;
  let oldNumbered: VisitTable;
  let oldUnnumbered: VisitTable;
  let rowsBefore: unknown[];
  let rowsAfter: unknown[];
  let catalogueBefore: Awaited<ReturnType<typeof catalogue>>;

  const catalogue = async (db: Db) => ({
    indexes: (
      await sql<{ def: string }>`select pg_get_indexdef(indexrelid) as def from pg_index
        where indrelid = to_regclass('visits')`.execute(db.kysely)
    ).rows
      .map((r) => r.def.replace(/ ON (ONLY )?\S+ USING /, ' USING '))
      .sort(),
    columns: (
      await sql<{ col: string }>`select column_name || ' ' || data_type || ' ' ||
          coalesce(collation_name, '-') || ' ' || is_nullable as col
        from information_schema.columns
        where table_schema = current_schema() and table_name = 'visits'`.execute(db.kysely)
    ).rows
      .map((r) => r.col)
      .sort(),
    foreignKeys: (
      await sql<{ def: string }>`select conname || ' ' || pg_get_constraintdef(oid) as def
        from pg_constraint where conrelid = to_regclass('visits') and contype = 'f'`.execute(
        db.kysely,
      )
    ).rows
      .map((r) => r.def)
      .sort(),
  });
  const allRows = (db: Db) => db.kysely.selectFrom('visits').selectAll().orderBy('id').execute();
  const visitsOf = (number: string) =>
    t.db.kysely
      .selectFrom('visits')
      .select(['id', 'contact_id', 'visited_at', 'amount_cents', 'status'])
      .where('organisation_id', '=', organisationId)
      .where('external_id', '=', number)
      .execute();
  const visit = (number: string | null, visitedAt: number, amountCents: number): NewVisit => ({
    externalId: number,
    customer: { externalId: customer.external_id, email: null, phone: null },
    visitedAt,
    amountCents,
    kind: 'APK',
    location: null,
    status: 'completed',
  });
  const record = (visits: NewVisit[]) =>
    t.db.kysely
      .transaction()
      .execute((trx) => recordVisits(trx, t.deps, organisationId, visits, 'api', t.clock.now));
  /**
   * The organisation's revenue as earned growth's monthly sums hold it, less what its visits hold
   * (the visits stored before the upgrade were written past the subscriber: a constant offset).
   */
  const revenueDrift = async () => (await summedRevenue()) - (await storedRevenue());
  const summedRevenue = async () => {
    const rows = await t.db.kysely
      .selectFrom('loyalty_revenue_months')
      .select('revenue_cents')
      .where('organisation_id', '=', organisationId)
      .execute();
    return rows.reduce((sum, r) => sum + Number(r.revenue_cents), 0);
  };
  const storedRevenue = async () => {
    const rows = await t.db.kysely
      .selectFrom('visits')
      .select('amount_cents')
      .where('organisation_id', '=', organisationId)
      .where('status', '<>', 'cancelled')
      .execute();
    return rows.reduce((sum, r) => sum + Number(r.amount_cents), 0);
  };
  /** PostgreSQL: the partitions a lookup of one visit by id reads. */
  const partitionsRead = async (id: string) =>
    (
      await sql<{ 'QUERY PLAN': string }>`explain select * from visits
        where organisation_id = ${organisationId} and id = ${id}`.execute(t.db.kysely)
    ).rows
      .map((r) => r['QUERY PLAN'])
      .join('\n')
      .match(/ on visits_p\w+/g);

  beforeAll(async () => {
    t = await startTestApp(
      dialect,
      {},
      {
        upgrade: {
          before: '0057-partitioned-visits',
          async seed(db) {
            organisationId = await seedOrganisation(db.kysely, 'Garage De Vries', FACTORY_NOW);
            customer = await buildContact(db.kysely, organisationId, { external_id: 'K-1' });
            other = await buildContact(db.kysely, organisationId, { external_id: 'K-2' });
            const stored = (number: string | null): VisitTable => ({
              id: newId(),
              organisation_id: organisationId,
              contact_id: customer.id,
              external_id: number,
              visited_at: FACTORY_NOW - 10 * DAY,
              kind: 'APK',
              kind_key: 'apk',
              location: null,
              amount_cents: 12_000,
              status: 'completed',
              source: 'api',
              invitation_status: null,
              invitation_id: null,
              skip_reason: null,
              skip_detail: null,
              created_at: FACTORY_NOW - 10 * DAY,
              updated_at: FACTORY_NOW - 10 * DAY,
            });
            // Visits as they were stored before: random ids.
            oldNumbered = stored('WO-OLD');
            oldUnnumbered = stored(null);
            await db.kysely.insertInto('visits').values([oldNumbered, oldUnnumbered]).execute();
            rowsBefore = await allRows(db);
            if (db.dialect === 'postgres') catalogueBefore = await catalogue(db);
          },
        },
      },
    );
    // Read at once: the tests below record visits, in whatever order they run.
    rowsAfter = await allRows(t.db);
  });
  afterAll(async () => t?.close());

  it.runIf(dialect === 'postgres')(
    'upgrades visits to a table partitioned by month of the id, with every row, column, index and foreign key',
    async () => {
      const { rows } = await sql<{ key: string; pk: string }>`
        select pg_get_partkeydef(to_regclass('visits')) as key,
          (select pg_get_constraintdef(oid) from pg_constraint
           where conrelid = to_regclass('visits') and contype = 'p') as pk`.execute(t.db.kysely);
      expect(rows[0]).toEqual({ key: 'RANGE (id)', pk: 'PRIMARY KEY (id)' });
      expect(rowsAfter).toEqual(rowsBefore);
      expect(rowsAfter).toHaveLength(2);
      const after = await catalogue(t.db);
      // Every column as it was, its collation too (invitation_id "C", migration 0049).
      expect(after.columns).toEqual(
        catalogueBefore.columns.map((c) => (c.startsWith('id ') ? 'id text C NO' : c)),
      );
      expect(after.columns).toContain('invitation_id text C YES');
      expect(after.foreignKeys).toEqual(catalogueBefore.foreignKeys);
      expect(after.foreignKeys).toHaveLength(2);
      // The same indexes; the number's is a plain one now, and the tenant key (organisation_id, id)
      // is the unique key that carries the organisation (docs/tenant-movability.md).
      expect(after.indexes).toEqual(
        [
          ...catalogueBefore.indexes.map((def) =>
            def.replace('UNIQUE INDEX visits_org_external', 'INDEX visits_org_external'),
          ),
          'CREATE UNIQUE INDEX visits_org_key USING btree (organisation_id, id)',
        ].sort(),
      );
      expect(catalogueBefore.indexes).toContain(
        'CREATE UNIQUE INDEX visits_org_external USING btree (organisation_id, external_id)',
      );
      for (const row of [oldNumbered, oldUnnumbered]) {
        expect(await partitionOf(t.db, 'visits', row.id)).toBe(
          partitionAt('visits', uuidv7Time(row.id) ?? 0),
        );
      }
    },
  );

  it('keeps a visit stored before the one visit of its number when it is corrected', async () => {
    const outcome = await record([visit('WO-OLD', FACTORY_NOW - 9 * DAY, 13_500)]);
    expect(outcome).toMatchObject({ created: 0, updated: 1 });
    expect(await visitsOf('WO-OLD')).toEqual([
      {
        id: oldNumbered.id,
        contact_id: customer.id,
        visited_at: FACTORY_NOW - 9 * DAY,
        amount_cents: 13_500,
        status: 'completed',
      },
    ]);
  });

  it('keeps one visit per number through a retry and a correction with another date, its id derived from the number', async () => {
    // A visit after the organisation was made: its id carries the visit's moment.
    const at = Date.now() + 3_600_000;
    const id = visitId(organisationId, 'WO-1', at);
    const drift = await revenueDrift();
    expect(await record([visit('WO-1', at, 10_000)])).toMatchObject({ created: 1 });
    expect(await record([visit('WO-1', at, 10_000)])).toMatchObject({ created: 0, updated: 1 });
    // Corrected: another day, another amount, another customer. The visit keeps its id.
    expect(
      await record([
        {
          ...visit('WO-1', at - 2 * DAY, 9_000),
          customer: { externalId: 'K-2', email: null, phone: null },
        },
      ]),
    ).toMatchObject({ created: 0, updated: 1 });
    expect(await visitsOf('WO-1')).toEqual([
      {
        id,
        contact_id: other.id,
        visited_at: at - 2 * DAY,
        amount_cents: 9_000,
        status: 'completed',
      },
    ]);
    expect(await revenueDrift()).toBe(drift);
    if (dialect === 'postgres') {
      expect(await partitionOf(t.db, 'visits', id)).toBe(partitionAt('visits', at));
      // Found by its id in one partition.
      expect(await partitionsRead(id)).toEqual([` on ${partitionAt('visits', at)}`]);
    }
  });

  it('places a visit from before the organisation existed in the organisation’s first month', async () => {
    const at = FACTORY_NOW - 400 * DAY;
    await record([visit('WO-HISTORY', at, 5_000)]);
    const id = visitId(organisationId, 'WO-HISTORY', at);
    expect((await visitsOf('WO-HISTORY')).map((v) => v.id)).toEqual([id]);
    expect(uuidv7Time(id)).toBe(Math.max(at, uuidv7Time(organisationId) ?? 0));
    if (dialect === 'postgres') {
      expect(await partitionOf(t.db, 'visits', id)).toBe(
        partitionAt('visits', uuidv7Time(organisationId) ?? 0),
      );
      expect(await partitionsRead(id)).toHaveLength(1);
    }
  });

  it('turns racing first records of a number, each with its own date and amount, into one visit', async () => {
    const base = Date.now() - 5 * DAY;
    const drift = await revenueDrift();
    const outcomes = await Promise.allSettled(
      Array.from({ length: RACERS }, (_, r) =>
        record([visit('WO-RACE', base + r * DAY, 10_000 + r * 100)]),
      ),
    );
    expect(outcomes.map((o) => (o.status === 'rejected' ? String(o.reason) : 'ok'))).toEqual(
      Array(RACERS).fill('ok'),
    );
    const created = outcomes.map((o) => (o.status === 'fulfilled' ? o.value.created : 0));
    expect(created.reduce((a, b) => a + b, 0)).toBe(1);
    const visits = await visitsOf('WO-RACE');
    expect(visits).toHaveLength(1);
    // The id of the first record that got there, from its own date.
    const dates = Array.from({ length: RACERS }, (_, r) => base + r * DAY);
    expect(dates.map((d) => visitId(organisationId, 'WO-RACE', d))).toContain(visits[0]?.id);
    // Earned growth's sums counted it once, as the last record left it.
    expect(await revenueDrift()).toBe(drift);
  });

  it('gives visits without a number random ids, one visit each', async () => {
    const at = FACTORY_NOW - 3 * DAY;
    const outcome = await record([visit(null, at, 2_000), visit(null, at, 2_000)]);
    expect(outcome.created).toBe(2);
    const ids = outcome.visits.map((v) => v.id);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) {
      // A UUIDv7 of the moment it was written, not of the visit.
      expect(uuidv7Time(id)).toBeGreaterThan(Date.now() - DAY);
    }
  });

  it('records a number again as a new visit after erasure cleared it from the old one', async () => {
    const at = FACTORY_NOW - 2 * DAY;
    const stranger = await buildContact(t.db.kysely, organisationId, { external_id: 'K-9' });
    const first = await record([
      {
        ...visit('WO-ERASED', at, 7_000),
        customer: { externalId: 'K-9', email: null, phone: null },
      },
    ]);
    const derived = visitId(organisationId, 'WO-ERASED', at);
    expect(first.visits[0]?.id).toBe(derived);
    // A visit invitation waiting for it (keyed and addressed by the visit's id).
    await insertJobs(t.db.kysely, [
      {
        type: 'visits.invite',
        payload: JSON.stringify({ visitId: derived }),
        organisationId,
        runAt: t.clock.now + DAY,
        maxAttempts: 5,
        createdAt: t.clock.now,
        dedupeKey: visitInviteKey(derived),
      },
    ]);
    await t.db.kysely
      .transaction()
      .execute((trx) => anonymiseContactVisits(trx, organisationId, stranger.id, t.clock.now));
    // The anonymised visit no longer carries an id derived from its number (hashing candidate
    // numbers would find it again), and stays in its month.
    const erased = await t.db.kysely
      .selectFrom('visits')
      .select(['id', 'external_id'])
      .where('organisation_id', '=', organisationId)
      .where('contact_id', '=', stranger.id)
      .execute();
    expect(erased).toHaveLength(1);
    expect(erased[0]?.external_id).toBeNull();
    expect(erased[0]?.id).not.toBe(derived);
    expect(uuidv7Time(erased[0]?.id ?? '')).toBe(uuidv7Time(derived));
    // The waiting job follows the visit to its new id; nothing keeps the old one.
    const jobs = await t.db.kysely
      .selectFrom('jobs')
      .select(['dedupe_key', 'payload'])
      .where('organisation_id', '=', organisationId)
      .where('type', '=', 'visits.invite')
      .execute();
    expect(jobs).toEqual([
      {
        dedupe_key: visitInviteKey(erased[0]?.id ?? ''),
        payload: JSON.stringify({ visitId: erased[0]?.id }),
      },
    ]);
    // The same number and date for another customer: a new visit, with the number's own id.
    const again = await record([visit('WO-ERASED', at, 7_000)]);
    expect(again).toMatchObject({ created: 1, updated: 0 });
    const visits = await visitsOf('WO-ERASED');
    expect(visits).toHaveLength(1);
    expect(visits[0]?.id).toBe(derived);
    expect(visits[0]?.contact_id).toBe(customer.id);
  });

  it.skipIf(dialect !== 'postgres')(
    'holds one lock however many numbers a transaction records, as an import commits them all at once',
    async () => {
      // An import records its file in batches of 500 in one transaction; a lock per number would
      // stay in PostgreSQL's shared lock table until the commit (100,000 numbers: out of shared
      // memory, for every tenant on the server).
      const at = FACTORY_NOW - 3 * DAY;
      const held = await t.db.kysely.transaction().execute(async (trx) => {
        for (const batch of [0, 1]) {
          const visits = Array.from({ length: 300 }, (_, i) =>
            visit(`WO-BULK-${batch}-${i}`, at, 1_000),
          );
          await recordVisits(trx, t.deps, organisationId, visits, 'import', t.clock.now);
        }
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_locks
          where locktype = 'advisory' and pid = pg_backend_pid()`.execute(trx);
        return rows[0]?.n;
      });
      expect(held).toBe(1);
      expect(await visitsOf('WO-BULK-1-299')).toHaveLength(1);
    },
  );

  it.skipIf(dialect !== 'postgres')(
    'erases a customer while an import records their visits, without a deadlock',
    async () => {
      // Every visit write takes the organisation's visit lock, then the contact rows it names;
      // erasure must take them in the same order (the visits holder runs first), or each waits for
      // the other's lock and PostgreSQL aborts one with "deadlock detected".
      const customerK = await buildContact(t.db.kysely, organisationId, { external_id: 'K-DL' });
      const at = FACTORY_NOW - 4 * DAY;
      await record([
        {
          ...visit('WO-DL-1', at, 1_000),
          customer: { externalId: 'K-DL', email: null, phone: null },
        },
      ]);
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const holding = new Promise<void>((resolve) => (locked = resolve));
      const importing = t.db.kysely.transaction().execute(async (trx) => {
        await lockVisitWrites(trx, organisationId);
        locked();
        await released;
        return recordVisits(
          trx,
          t.deps,
          organisationId,
          [
            {
              ...visit('WO-DL-2', at, 2_000),
              customer: { externalId: 'K-DL', email: null, phone: null },
            },
          ],
          'import',
          t.clock.now,
        );
      });
      await holding;
      const actor = ownerActor(organisationId);
      let erasingPid = 0;
      const erasing = t.db.kysely.transaction().execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
        erasingPid = rows[0]?.pid ?? 0;
        await eraseContact(trx, t.deps, actor, customerK.id);
      });
      // The erasure waits for the import's lock (whatever it took before that, it holds now).
      await expect
        .poll(
          async () =>
            (
              await sql<{ wait: string | null }>`select wait_event_type as wait
                from pg_stat_activity where pid = ${erasingPid}`.execute(t.db.kysely)
            ).rows[0]?.wait,
          { timeout: 30_000, interval: 50 },
        )
        .toBe('Lock');
      release();
      await expect(importing).resolves.toMatchObject({ created: 1 });
      await expect(erasing).resolves.toBeUndefined();
    },
  );
});
