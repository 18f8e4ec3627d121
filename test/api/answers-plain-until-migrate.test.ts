import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import {
  PARTITION_AT_START_MAX_ROWS,
  partitionPending,
  pendingPartitionings,
  uuidv7Time,
} from '../../src/db/partitions.ts';
import type { InvitationTable, SurveyTable } from '../../src/db/schema.ts';
import { invitationAnswerId } from '../../src/modules/responses/answer-ids.ts';
import { writeSubmissions } from '../../src/modules/responses/response-writer.ts';
import { seedOrganisation } from '../support/bulk.ts';
import { partitionAt, partitionOf, withLaterIndexChanges } from '../support/databases.ts';
import { buildContact, buildInvitation, buildSurvey, FACTORY_NOW } from '../support/factories.ts';
import { startTestApp, type TestApp } from '../support/harness.ts';

const PG_URL = process.env.TEST_DATABASE_URL;
if (!PG_URL) console.warn('\n⚠ large-answers upgrade test SKIPPED: it needs TEST_DATABASE_URL\n');

const RACERS = 5;
const INVITATIONS = 12;
const MONTH = 30 * 86_400_000;

/**
 * Issue 13: migration 0048 partitions answers at start only while they are few (at most 100,000,
 * like emails in 0050); a larger table stays plain until `loyaal migrate`. The same code runs on
 * it: racing first answers still make one answer each, although `responses` keeps its unique
 * indexes on the invitation and the browser there. Then `loyaal migrate` partitions it.
 */
describe.skipIf(!PG_URL)('a large answers table left plain at start [postgres]', () => {
  let t: TestApp;
  let organisationId: string;
  let survey: SurveyTable;
  let invitations: InvitationTable[];
  let bulkOrganisationId: string;
  let indexesBefore: string[];
  let atStart: { key: string | null; indexes: string[]; pending: string[] };

  const indexes = async (db: Db) =>
    (
      await sql<{ def: string }>`select pg_get_indexdef(indexrelid) as def from pg_index
        where indrelid = to_regclass('responses')`.execute(db.kysely)
    ).rows
      .map((r) => r.def.replace(/ ON (ONLY )?\S+ USING /, ' USING '))
      .sort();
  const isPartitioned = async (db: Db) =>
    (
      await sql<{
        key: string | null;
      }>`select pg_get_partkeydef(to_regclass('responses')) as key`.execute(db.kysely)
    ).rows[0]?.key ?? null;

  beforeAll(async () => {
    t = await startTestApp(
      'postgres',
      {},
      {
        upgrade: {
          before: '0048-partitioned-answers',
          async seed(db) {
            organisationId = await seedOrganisation(db.kysely, 'Garage De Vries', FACTORY_NOW);
            survey = await buildSurvey(db.kysely, organisationId);
            invitations = [];
            for (let i = 0; i < INVITATIONS; i++) {
              const contact = await buildContact(db.kysely, organisationId);
              invitations.push(
                await buildInvitation(
                  db.kysely,
                  { organisationId, surveyId: survey.id, contactId: contact.id },
                  { status: 'sent' },
                ),
              );
            }
            // One more answer than a start may copy, in another organisation (its rollups are not
            // what this test counts), spread over twelve months of UUIDv7 ids.
            bulkOrganisationId = await seedOrganisation(db.kysely, 'Bulk BV', FACTORY_NOW);
            const bulkSurvey = await buildSurvey(db.kysely, bulkOrganisationId);
            const at = sql`(${FACTORY_NOW - 12 * MONTH}::bigint + g * 311)`;
            const hex = sql`lpad(to_hex(${at}), 12, '0')`;
            const rnd = sql`md5(g::text)`;
            await sql`insert into responses (id, organisation_id, survey_id, channel, score, category,
                may_contact, ambassador_opt_in, locale, answered_at, updated_at, closes_at, created_at)
              select substr(${hex}, 1, 8) || '-' || substr(${hex}, 9, 4) || '-7' ||
                  substr(${rnd}, 1, 3) || '-8' || substr(${rnd}, 4, 3) || '-' || substr(${rnd}, 7, 12),
                ${bulkOrganisationId}, ${bulkSurvey.id}, 'email', 9, 'promoter', 0, 0, 'nl',
                ${at}, ${at}, ${at} + 604800000, ${at}
              from generate_series(1, ${PARTITION_AT_START_MAX_ROWS + 1}) g`.execute(db.kysely);
            indexesBefore = await indexes(db);
          },
        },
      },
    );
    // Read at once: the other test partitions the table, in whatever order they run.
    atStart = {
      key: await isPartitioned(t.db),
      indexes: await indexes(t.db),
      pending: await pendingPartitionings(t.db.kysely),
    };
  }, 240_000);
  afterAll(async () => t?.close());

  const answersOf = (invitationId: string) =>
    t.db.kysely
      .selectFrom('responses')
      .select('id')
      .where('invitation_id', '=', invitationId)
      .execute();

  it('leaves the table plain, with its unique indexes, and says `loyaal migrate` will partition it', async () => {
    expect(atStart.key).toBeNull();
    expect(atStart.indexes).toEqual(withLaterIndexChanges(indexesBefore).sort());
    expect(indexesBefore).toContain(
      'CREATE UNIQUE INDEX responses_invitation_id_key USING btree (invitation_id)',
    );
    expect(atStart.pending).toEqual(['responses']);
  });

  it('turns racing first answers into one answer per invitation on the plain table, then partitions it', async () => {
    // Each submission in its own transaction, all at once: the race two app processes run.
    const outcomes = await Promise.all(
      invitations.flatMap((inv) =>
        Array.from({ length: RACERS }, (_, r) =>
          t.db.kysely.transaction().execute((trx) =>
            writeSubmissions(trx, t.deps, [
              {
                token: inv.token,
                mode: 'full',
                answer: {
                  score: 10 - r,
                  comment: null,
                  employeeScore: null,
                  mayContact: false,
                  ambassadorOptIn: false,
                },
                now: t.clock.now,
              },
            ]),
          ),
        ),
      ),
    );
    expect(outcomes.flat().map((o) => o.status)).toEqual(Array(INVITATIONS * RACERS).fill('saved'));
    for (const inv of invitations) {
      expect(await answersOf(inv.id)).toEqual([{ id: invitationAnswerId(inv.id) }]);
    }

    const all = () => t.db.kysely.selectFrom('responses').selectAll().orderBy('id').execute();
    const before = await all();
    const lines: string[] = [];
    expect(await partitionPending(t.db.kysely, Date.now(), (l) => lines.push(l))).toEqual([
      'responses',
    ]);
    expect(lines.at(-1)).toMatch(/^responses: partitioned in \d+\.\d s$/);
    expect(await pendingPartitionings(t.db.kysely)).toEqual([]);
    expect(await isPartitioned(t.db)).toBe('RANGE (id)');
    expect(await all()).toEqual(before);
    // The indexes of migration 0048 run on a small table: the invitation's and the browser's plain.
    expect(await indexes(t.db)).toEqual(
      withLaterIndexChanges(indexesBefore)
        .map((def) =>
          def
            .replace('UNIQUE INDEX responses_device', 'INDEX responses_device')
            .replace('UNIQUE INDEX responses_invitation_id_key', 'INDEX responses_invitation'),
        )
        .sort(),
    );
    const [first] = invitations;
    if (!first) throw new Error('no invitation');
    expect(await partitionOf(t.db, 'responses', invitationAnswerId(first.id))).toBe(
      partitionAt('responses', uuidv7Time(first.id) ?? 0),
    );
    const bulk = await t.db.kysely
      .selectFrom('responses')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('organisation_id', '=', bulkOrganisationId)
      .executeTakeFirstOrThrow();
    expect(Number(bulk.n)).toBe(PARTITION_AT_START_MAX_ROWS + 1);
  }, 240_000);
});
