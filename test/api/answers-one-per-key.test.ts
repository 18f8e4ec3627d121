import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { uuidv7Time } from '../../src/db/partitions.ts';
import type { InvitationTable, ResponseTable, SurveyTable } from '../../src/db/schema.ts';
import {
  deviceAnswerId,
  deviceKey,
  invitationAnswerId,
  newDeviceId,
} from '../../src/modules/responses/answer-ids.ts';
import { writeSubmissions } from '../../src/modules/responses/response-writer.ts';
import { saveAnonymousAnswer } from '../../src/modules/responses/responses.service.ts';
import { seedOrganisation } from '../support/bulk.ts';
import {
  describeEachDialect,
  partitionAt,
  partitionOf,
  withLaterIndexChanges,
} from '../support/databases.ts';
import {
  buildContact,
  buildInvitation,
  buildResponse,
  buildSurvey,
  FACTORY_NOW,
} from '../support/factories.ts';
import { startTestApp, type TestApp } from '../support/harness.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
/** A device id as the anonymous link made them before ids carried a time: 32 characters. */
const OLD_DEVICE_ID = 'oLdBrOwSeR_0123456789-abcdefghij';
const RACERS = 5;

/**
 * Issue 13: answers are partitioned by month on PostgreSQL, where no index but the primary key is
 * unique across partitions. An answer's id is derived from its invitation, or from its survey and
 * browser (src/modules/responses/answer-ids.ts), so the primary key keeps one answer per key; an
 * answer stored before (random id) keeps its id and stays the one answer of its key. The database is
 * upgraded here with such answers in it (migration 0048), then answered through, racing.
 */
describeEachDialect(
  'one answer per invitation and per browser, kept by the answer’s id',
  (dialect) => {
    let t: TestApp;
    let organisationId: string;
    let survey: SurveyTable;
    let answered: InvitationTable;
    let fresh: InvitationTable;
    let oldAnswer: ResponseTable;
    let oldDeviceAnswer: ResponseTable;
    let rowsBefore: unknown[];
    let rowsAfter: unknown[];
    let indexesBefore: string[];
    let foreignKeysBefore: string[];

    const catalogue = async (db: Db) => ({
      indexes: (
        await sql<{ def: string }>`select pg_get_indexdef(indexrelid) as def from pg_index
        where indrelid = to_regclass('responses')`.execute(db.kysely)
      ).rows
        .map((r) => r.def.replace(/ ON (ONLY )?\S+ USING /, ' USING '))
        .sort(),
      foreignKeys: (
        await sql<{ def: string }>`select conname || ' ' || pg_get_constraintdef(oid) as def
        from pg_constraint where conrelid = to_regclass('responses') and contype = 'f'`.execute(
          db.kysely,
        )
      ).rows
        .map((r) => r.def)
        .sort(),
    });
    const allRows = (db: Db) =>
      db.kysely.selectFrom('responses').selectAll().orderBy('id').execute();

    beforeAll(async () => {
      t = await startTestApp(
        dialect,
        {},
        {
          upgrade: {
            before: '0048-partitioned-answers',
            async seed(db) {
              organisationId = await seedOrganisation(db.kysely, 'Garage De Vries', FACTORY_NOW);
              survey = await buildSurvey(db.kysely, organisationId);
              const refs = { organisationId, surveyId: survey.id };
              const contact = async () => (await buildContact(db.kysely, organisationId)).id;
              answered = await buildInvitation(db.kysely, { ...refs, contactId: await contact() });
              fresh = await buildInvitation(db.kysely, { ...refs, contactId: await contact() });
              // Answers as they were stored before: random ids.
              oldAnswer = await buildResponse(db.kysely, refs, {
                invitation_id: answered.id,
                contact_id: answered.contact_id,
                score: 6,
              });
              oldDeviceAnswer = await buildResponse(db.kysely, refs, {
                channel: 'anonymous',
                device_key: deviceKey(survey.id, OLD_DEVICE_ID),
                score: 7,
              });
              rowsBefore = await allRows(db);
              if (db.dialect === 'postgres') {
                ({ indexes: indexesBefore, foreignKeys: foreignKeysBefore } = await catalogue(db));
              }
            },
          },
        },
      );
      // Read at once: the tests below change these answers, in whatever order they run.
      rowsAfter = await allRows(t.db);
    });
    afterAll(async () => t?.close());

    const answersOf = (where: { invitationId?: string; deviceKey?: string }) => {
      let q = t.db.kysely.selectFrom('responses').select(['id', 'score', 'comment']);
      if (where.invitationId) q = q.where('invitation_id', '=', where.invitationId);
      if (where.deviceKey) q = q.where('device_key', '=', where.deviceKey);
      return q.execute();
    };

    /**
     * The organisation's answers as the rollups count them, next to the answers stored: every
     * `response.saved` of a race must say whether it made the answer or replaced one.
     */
    const countedAndStored = async () => {
      const rows = await t.db.kysely
        .selectFrom('rollup_nps_daily')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .execute();
      let counted = 0;
      for (const row of rows) {
        for (let s = 0; s <= 10; s++) counted += Number((row as Record<string, unknown>)[`s${s}`]);
      }
      const stored = await t.db.kysely
        .selectFrom('responses')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('organisation_id', '=', organisationId)
        .executeTakeFirstOrThrow();
      return { counted, stored: Number(stored.n) };
    };

    /** The organisation's answers per score, as the rollups count them and as stored. */
    const scoresCountedAndStored = async () => {
      const rows = await t.db.kysely
        .selectFrom('rollup_nps_daily')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .execute();
      const counted = new Array<number>(11).fill(0);
      for (const row of rows) {
        for (let s = 0; s <= 10; s++) {
          counted[s] = (counted[s] ?? 0) + Number((row as Record<string, unknown>)[`s${s}`]);
        }
      }
      const stored = new Array<number>(11).fill(0);
      const answers = await t.db.kysely
        .selectFrom('responses')
        .select('score')
        .where('organisation_id', '=', organisationId)
        .execute();
      for (const { score } of answers) stored[score] = (stored[score] ?? 0) + 1;
      return { counted, stored };
    };

    /** Each submission in its own transaction, all at once: the race two app processes run. */
    const race = (token: string, scores: number[]) =>
      Promise.all(
        scores.map((score) =>
          t.db.kysely.transaction().execute((trx) =>
            writeSubmissions(trx, t.deps, [
              {
                token,
                mode: 'full',
                answer: {
                  score,
                  comment: `score ${score}`,
                  employeeScore: null,
                  mayContact: false,
                  ambassadorOptIn: false,
                },
                now: t.clock.now,
              },
            ]),
          ),
        ),
      );

    it.runIf(dialect === 'postgres')(
      'upgrades answers to a table partitioned by month of the id, with every row, index and foreign key',
      async () => {
        const { rows } = await sql<{ key: string; pk: string }>`
        select pg_get_partkeydef(to_regclass('responses')) as key,
          (select pg_get_constraintdef(oid) from pg_constraint
           where conrelid = to_regclass('responses') and contype = 'p') as pk`.execute(t.db.kysely);
        expect(rows[0]).toEqual({ key: 'RANGE (id)', pk: 'PRIMARY KEY (id)' });
        expect(rowsAfter).toEqual(rowsBefore);
        expect(rowsAfter).toHaveLength(2);
        const after = await catalogue(t.db);
        expect(after.foreignKeys).toEqual(foreignKeysBefore);
        expect(foreignKeysBefore).toHaveLength(2);
        // The same indexes; those on the invitation and on the browser are no longer unique (the
        // primary key is what keeps one answer per key now).
        expect(after.indexes).toEqual(
          withLaterIndexChanges(indexesBefore)
            .map((def) =>
              def
                .replace('UNIQUE INDEX responses_device', 'INDEX responses_device')
                .replace('UNIQUE INDEX responses_invitation_id_key', 'INDEX responses_invitation')
                .replace('(invitation_id, id)', '(invitation_id)'),
            )
            .sort(),
        );
        expect(after.indexes.some((d) => d.includes('responses_org_key'))).toBe(true);
        for (const row of [oldAnswer, oldDeviceAnswer]) {
          expect(await partitionOf(t.db, 'responses', row.id)).toBe(
            partitionAt('responses', uuidv7Time(row.id) ?? 0),
          );
        }
      },
    );

    it('keeps an answer stored before the one answer of its invitation while edits race', async () => {
      const outcomes = (await race(answered.token, [7, 8, 9, 10, 3])).flat();
      expect(outcomes.map((o) => o.status)).toEqual(Array(RACERS).fill('saved'));
      const answers = await answersOf({ invitationId: answered.id });
      expect(answers).toHaveLength(1);
      expect(answers[0]?.id).toBe(oldAnswer.id);
      expect([7, 8, 9, 10, 3]).toContain(answers[0]?.score);
      expect(answers[0]?.comment).toBe(`score ${answers[0]?.score}`);
      // Each edit replaced the score the one before it left (it waited for it): the rollups move
      // each answer from the score it had to the score it has, never from a score it no longer had.
      const { counted, stored } = await scoresCountedAndStored();
      expect(counted).toEqual(stored);
    });

    it('turns racing first answers of an invitation into one answer, its id derived from the invitation', async () => {
      const outcomes = (await race(fresh.token, [9, 9, 2, 5, 10])).flat();
      expect(outcomes.map((o) => o.status)).toEqual(Array(RACERS).fill('saved'));
      const answers = await answersOf({ invitationId: fresh.id });
      expect(answers.map((a) => a.id)).toEqual([invitationAnswerId(fresh.id)]);
      const { counted, stored } = await countedAndStored();
      expect(counted).toBe(stored);
      if (dialect === 'postgres') {
        // In the partition of the month the invitation was made.
        expect(await partitionOf(t.db, 'responses', invitationAnswerId(fresh.id))).toBe(
          partitionAt('responses', uuidv7Time(fresh.id) ?? 0),
        );
      }
      // The invitation counts as answered once, as before.
      const inv = await t.db.kysely
        .selectFrom('invitations')
        .select('responded_at')
        .where('id', '=', fresh.id)
        .executeTakeFirstOrThrow();
      expect(inv.responded_at).toBe(t.clock.now);
    });

    it('lets a browser change the answer it gave before through its old cookie', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/s/${survey.anonymous_token}`,
        headers: { ...FORM, cookie: `loyaal_device=${OLD_DEVICE_ID}` },
        payload: 'score=10&comment=Toch+erg+goed',
      });
      expect(res.statusCode, res.body).toBe(303);
      // The browser keeps its cookie: its answer was still open to change.
      expect(res.cookies.find((c) => c.name === 'loyaal_device')).toBeUndefined();
      const answers = await answersOf({ deviceKey: deviceKey(survey.id, OLD_DEVICE_ID) });
      expect(answers).toEqual([{ id: oldDeviceAnswer.id, score: 10, comment: 'Toch erg goed' }]);
    });

    it('keeps one answer per new browser when its submissions race', async () => {
      const device = newDeviceId(t.clock.now);
      const survey2 = { ...survey, location_id: null };
      const used = await Promise.all(
        [4, 6, 8, 9, 10].map((score) =>
          t.db.kysely.transaction().execute((trx) =>
            saveAnonymousAnswer(
              trx,
              t.deps,
              survey2,
              device,
              {
                score,
                comment: null,
                employeeScore: null,
                mayContact: false,
                ambassadorOptIn: false,
              },
              'nl',
              t.clock.now,
            ),
          ),
        ),
      );
      expect(used).toEqual(Array(RACERS).fill(device));
      const answers = await answersOf({ deviceKey: deviceKey(survey.id, device) });
      expect(answers.map((a) => a.id)).toEqual([deviceAnswerId(survey.id, device)]);
      const { counted, stored } = await countedAndStored();
      expect(counted).toBe(stored);
      expect(uuidv7Time(answers[0]?.id ?? '')).toBe(t.clock.now);
    });

    it('gives a browser whose cookie claims a time to come a new device id instead', async () => {
      const future = newDeviceId(t.clock.now + 40 * 24 * 60 * 60 * 1000);
      const page = await t.app.inject({
        url: `/s/${survey.anonymous_token}`,
        headers: { cookie: `loyaal_device=${future}` },
      });
      expect(page.statusCode).toBe(200);
      const set = page.cookies.find((c) => c.name === 'loyaal_device')?.value ?? '';
      expect(set).not.toBe(future);
      expect(set).toHaveLength(36);
      // Posting with it stores the answer under the new id, never under the future one.
      const res = await t.app.inject({
        method: 'POST',
        url: `/s/${survey.anonymous_token}`,
        headers: { ...FORM, cookie: `loyaal_device=${future}` },
        payload: 'score=8',
      });
      expect(res.statusCode).toBe(303);
      expect(await answersOf({ deviceKey: deviceKey(survey.id, future) })).toEqual([]);
      const issued = res.cookies.find((c) => c.name === 'loyaal_device')?.value ?? '';
      expect(await answersOf({ deviceKey: deviceKey(survey.id, issued) })).toHaveLength(1);
    });
  },
);
