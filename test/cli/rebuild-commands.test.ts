import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { describeEachDialect, freshDatabase } from '../support/databases.ts';
import { buildContact, buildResponse, buildSurvey, FACTORY_NOW } from '../support/factories.ts';

/** The project's own Node 24, as `npm run loyaal` uses it. */
const NODE = path.join(process.cwd(), 'node_modules', '.bin', 'node');
const DAY = 86_400_000;

/** Runs the real CLI entry as a child process; waits generously (a loaded CI machine is slow). */
function loyaal(env: Record<string, string>, ...args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(NODE, ['src/cli/main.ts', ...args], {
      env: { ...process.env, LOG_LEVEL: 'warn', WORKER: 'off', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * `loyaal rollups rebuild` and `loyaal loyalty rebuild` against a real database of each dialect:
 * the kept data is damaged, the command run as an operator runs it, and what it prints and what it
 * wrote back are checked — one organisation's only, the other's left as it was.
 */
describeEachDialect('the CLI rebuild commands', (dialect) => {
  let db: Db;
  let dir: string;
  let env: Record<string, string>;
  const orgs: string[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyaal-rebuild-'));
    db = await freshDatabase(dialect, { file: path.join(dir, 'loyaal.db') });
    const url =
      dialect === 'sqlite'
        ? `sqlite:${path.join(dir, 'loyaal.db')}`
        : `${process.env.TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${db.schema}`)}`;
    env = { DATABASE_URL: url, DATA_DIR: dir };
    for (const name of ['Garage De Vries', 'Bakkerij Smit']) {
      const organisationId = `org-${name.split(' ')[1]?.toLowerCase()}-${dialect}`;
      await db.kysely
        .insertInto('organisations')
        .values({
          id: organisationId,
          name,
          locale: 'nl',
          settings: '{}',
          created_at: FACTORY_NOW,
          updated_at: FACTORY_NOW,
        })
        .execute();
      orgs.push(organisationId);
      const survey = await buildSurvey(db.kysely, organisationId);
      // Five answers over three days, each from a contact of its own.
      for (const [i, score] of [10, 9, 6, 8, 3].entries()) {
        const contact = await buildContact(db.kysely, organisationId, { name: `Klant ${i}` });
        await buildResponse(
          db.kysely,
          { organisationId, surveyId: survey.id },
          { score, contact_id: contact.id, answered_at: FACTORY_NOW - (i % 3) * DAY },
        );
      }
    }
  }, 60_000);
  afterAll(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Each day's answers per score, summed over shards: what the dashboards read. */
  const rollups = (organisationId: string) =>
    db.kysely
      .selectFrom('rollup_nps_daily')
      .select(['day', 'survey_id'])
      .select((eb) =>
        (['s3', 's6', 's8', 's9', 's10'] as const).map((s) => eb.fn.sum<number>(s).as(s)),
      )
      .where('organisation_id', '=', organisationId)
      .groupBy(['day', 'survey_id'])
      .orderBy('day')
      .execute()
      .then((rows) =>
        rows.map((r) => ({ ...r, s3: +r.s3, s6: +r.s6, s8: +r.s8, s9: +r.s9, s10: +r.s10 })),
      );

  const facts = (organisationId: string) =>
    db.kysely
      .selectFrom('loyalty_contact_facts')
      .select(['contact_id', 'category', 'score', 'origin_at'])
      .where('organisation_id', '=', organisationId)
      .orderBy('contact_id')
      .execute()
      .then((rows) => rows.map((r) => ({ ...r, origin_at: Number(r.origin_at) })));

  it('rollups rebuild --org recounts that organisation’s rollups from the answers', async () => {
    const [mine = '', other = ''] = orgs;
    const kept = await rollups(mine);
    expect(kept.reduce((n, r) => n + r.s3 + r.s6 + r.s8 + r.s9 + r.s10, 0)).toBe(5);
    await db.kysely.deleteFrom('rollup_nps_daily').execute();

    const run = await loyaal(env, 'rollups', 'rebuild', '--org', mine);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^rollups rebuilt: 1 organisation\(s\), 3 day\(s\) in \d+ ms\n$/);
    expect(await rollups(mine)).toEqual(kept);
    expect(await rollups(other)).toEqual([]);
  }, 120_000);

  it('loyalty rebuild --org recomputes that organisation’s facts per contact', async () => {
    const [mine = '', other = ''] = orgs;
    const kept = await facts(mine);
    expect(kept.map((f) => f.category).sort()).toEqual([
      'detractor',
      'detractor',
      'passive',
      'promoter',
      'promoter',
    ]);
    await db.kysely.deleteFrom('loyalty_contact_facts').execute();

    const run = await loyaal(env, 'loyalty', 'rebuild', '--org', mine);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /^loyalty facts rebuilt: 1 organisation\(s\), 5 contact\(s\), \d+ month\(s\) in \d+ ms\n$/,
    );
    expect(await facts(mine)).toEqual(kept);
    expect(await facts(other)).toEqual([]);
  }, 120_000);

  it('says how to use a rebuild command and exits 2 when the subcommand is not rebuild', async () => {
    const run = await loyaal(env, 'rollups', 'recount');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('usage: loyaal rollups rebuild [--org ID]\n');
  }, 120_000);
});
