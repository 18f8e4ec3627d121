import { afterAll, beforeAll, expect, it } from 'vitest';
import { SCORE_COLUMNS } from '../../src/db/schema.ts';
import { executeTogether } from '../../src/db/writes-together.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';

const DAY = 86_400_000;

/**
 * `executeTogether` sends writes as one statement on PostgreSQL, which carries at most 65,535
 * parameters (the protocol counts them in 16 bits): writes that need more go as several
 * statements — as a seed or a rebuild that adds years of rollups in one transaction would.
 */
describeEachDialect('writes sent together', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t.close());

  it('writes every row of writes that need more parameters than one statement carries', async () => {
    const { organisationId } = await buildOrganisation(t);
    const counts = Object.fromEntries(SCORE_COLUMNS.map((c) => [c, c === 's10' ? 1 : 0])) as Record<
      (typeof SCORE_COLUMNS)[number],
      number
    >;
    // Five upserts of 1,000 days of one account manager each, 15 parameters a row: 75,000.
    const employees = ['e1', 'e2', 'e3', 'e4', 'e5'];
    await t.db.kysely.transaction().execute((trx) =>
      executeTogether(
        trx,
        employees.map((employee) =>
          trx.insertInto('rollup_nps_employee_daily').values(
            Array.from({ length: 1_000 }, (_, i) => ({
              organisation_id: organisationId,
              day: Date.UTC(2020, 0, 1) + i * DAY,
              employee_id: employee,
              shard: 0,
              ...counts,
            })),
          ),
        ),
      ),
    );
    const rows = await t.db.kysely
      .selectFrom('rollup_nps_employee_daily')
      .select(['employee_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('organisation_id', '=', organisationId)
      .groupBy('employee_id')
      .orderBy('employee_id')
      .execute();
    expect(rows.map((r) => [r.employee_id, Number(r.n)])).toEqual(employees.map((e) => [e, 1_000]));
  });
});
