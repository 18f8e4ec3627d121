import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eraseContact } from '../../src/modules/privacy/privacy.service.ts';
import { writeSubmissions } from '../../src/modules/responses/response-writer.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildInvitation, buildSurvey, ownerActor } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

const COMMENT = 'Bel me maar op 06-12345678, groet Pieter Bos';

/**
 * An erasure (AVG art. 17) and an answer of the same person in transactions that overlap, on
 * PostgreSQL (SQLite has one writer: they cannot overlap). Whichever starts first, no comment of
 * the person survives the erasure. An answer batch reads its contacts again, locked, as its last
 * step, and is undone and tried again answer by answer when one was erased meanwhile; without that
 * an answer stored while the erasure ran kept its comment (the first test fails). The second order
 * was already held by the lock the answer takes on the contact, which the erasure's update of the
 * contact waits for; the answers' eraser locking the row itself keeps that independent of the
 * order in which the modules erase.
 */
describeEachDialect('an erasure beside an answer of the same person', (dialect) => {
  let t: TestApp;
  let organisationId: string;
  let owner: Client;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t, 'Garage Bos');
    organisationId = owner.organisationId;
  });
  afterAll(async () => t.close());

  const actor = () => ownerActor(organisationId);

  async function invitedContact() {
    const survey = await buildSurvey(t.db.kysely, organisationId);
    const contact = await buildContact(t.db.kysely, organisationId, { name: 'Pieter Bos' });
    const invitation = await buildInvitation(t.db.kysely, {
      organisationId,
      surveyId: survey.id,
      contactId: contact.id,
    });
    return { contact, invitation };
  }

  const answer = (token: string) => ({
    token,
    mode: 'full' as const,
    answer: {
      score: 3,
      comment: COMMENT,
      employeeScore: null,
      mayContact: true,
      ambassadorOptIn: false,
    },
    now: t.clock.now,
  });

  /** Runs `work` in a transaction that stays open until the returned `release` is called. */
  async function held(work: (trx: Parameters<typeof writeSubmissions>[0]) => Promise<unknown>) {
    let started!: (pid: number) => void;
    const pid = new Promise<number>((resolve) => (started = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const done = t.db.kysely.transaction().execute(async (trx) => {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
      await work(trx);
      started(rows[0]?.pid ?? 0);
      await released;
    });
    // A failing `work` ends the transaction before it holds anything: say so at once.
    const holding = await Promise.race([
      pid,
      done.then(() => Promise.reject(new Error('the transaction ended before it held'))),
    ]);
    return { pid: holding, release, done };
  }

  /** Resolves once `pending` settles or a session waits for the holder's locks (the fix's case). */
  async function untilBlockedOrDone(holderPid: number, pending: Promise<unknown>) {
    let settled = false;
    void pending.then(
      () => (settled = true),
      () => (settled = true),
    );
    await expect
      .poll(
        async () => {
          if (settled) return true;
          const { rows } = await sql<{ n: number }>`select count(*)::int as n
            from pg_stat_activity where ${holderPid} = any(pg_blocking_pids(pid))`.execute(
            t.db.kysely,
          );
          return (rows[0]?.n ?? 0) > 0;
        },
        { timeout: 20_000, interval: 50 },
      )
      .toBe(true);
  }

  const commentsOf = async (contactId: string) =>
    (
      await t.db.kysely
        .selectFrom('responses')
        .select('comment')
        .where('organisation_id', '=', organisationId)
        .where('contact_id', '=', contactId)
        .execute()
    ).map((r) => r.comment);

  it.runIf(dialect === 'postgres')(
    'the erasure first: the answer waits for it, then finds the person erased',
    async () => {
      const { contact, invitation } = await invitedContact();
      const erasure = await held((trx) => eraseContact(trx, t.deps, actor(), contact.id));
      // Through the app: its writer undoes the batch and tries the answer again on its own.
      const answering = t.app.inject({
        method: 'POST',
        url: `/r/${invitation.token}`,
        payload: { score: 3, comment: COMMENT },
      });
      try {
        await untilBlockedOrDone(erasure.pid, answering);
      } finally {
        erasure.release();
        await erasure.done;
      }
      const res = await answering;
      expect(res.statusCode, res.body).toBe(404);
      expect(res.body).toContain('response_link_unknown');
      expect(await commentsOf(contact.id)).toEqual([]);
    },
    60_000,
  );

  it.runIf(dialect === 'postgres')(
    'the answer first: the erasure waits for it, then erases the answer too',
    async () => {
      const { contact, invitation } = await invitedContact();
      const answering = await held(async (trx) => {
        const outcomes = await writeSubmissions(trx, t.deps, [answer(invitation.token)]);
        expect(outcomes.map((o) => o.status)).toEqual(['saved']);
      });
      const erasing = t.db.kysely
        .transaction()
        .execute((trx) => eraseContact(trx, t.deps, actor(), contact.id));
      try {
        await untilBlockedOrDone(answering.pid, erasing);
      } finally {
        answering.release();
        await answering.done;
      }
      await erasing;
      expect(await commentsOf(contact.id)).toEqual([null]);
      const row = await t.db.kysely
        .selectFrom('contacts')
        .select(['name', 'erased_at'])
        .where('id', '=', contact.id)
        .executeTakeFirstOrThrow();
      expect(row.name).toBeNull();
      expect(row.erased_at).not.toBeNull();
    },
    60_000,
  );

  it.runIf(dialect === 'postgres')(
    'an edit during the erasure: the two meet in a deadlock, and the one aborted runs again',
    async () => {
      const { contact, invitation } = await invitedContact();
      const first = await t.app.inject({
        method: 'POST',
        url: `/r/${invitation.token}`,
        payload: { score: 5, comment: 'Eerste antwoord' },
      });
      expect(first.statusCode, first.body).toBe(200);
      // Someone holds the invitation's row: the edit stops there holding the answer's row, and
      // the erasure (the contact's row first) stops at one of the two. Released, each needs
      // what the other holds — the edit the contact, the erasure the answer or the invitation.
      const gate = await held((trx) =>
        sql`select id from invitations where id = ${invitation.id} for update`.execute(trx),
      );
      const blockedBy = async (pids: number[], except: number[] = []) =>
        (
          await sql<{ pid: number }>`select pid from pg_stat_activity
            where pg_blocking_pids(pid) && ${sql.val(pids)}::int[]
              and not (pid = any(${sql.val(except)}::int[]))`.execute(t.db.kysely)
        ).rows.map((r) => r.pid);
      let editing: Promise<{ statusCode: number; body: string }> | undefined;
      let erasing: ReturnType<Client['request']> | undefined;
      try {
        editing = t.app.inject({
          method: 'POST',
          url: `/r/${invitation.token}`,
          payload: { score: 3, comment: COMMENT },
        });
        let edit: number[] = [];
        await expect
          .poll(async () => (edit = await blockedBy([gate.pid])).length, {
            timeout: 20_000,
            interval: 50,
          })
          .toBe(1);
        erasing = owner.request({ method: 'POST', url: `/api/v1/contacts/${contact.id}/erase` });
        await expect
          .poll(async () => (await blockedBy([gate.pid, ...edit], edit)).length, {
            timeout: 20_000,
            interval: 50,
          })
          .toBeGreaterThan(0);
      } finally {
        gate.release();
        await gate.done;
      }
      const [edited, erased] = await Promise.all([editing, erasing]);
      // Neither fails: the edit is stored and then erased (200), or waits and finds the person
      // erased (404); the erasure goes through either way.
      expect([200, 404]).toContain(edited?.statusCode);
      expect(erased?.statusCode, erased?.body).toBe(204);
      expect(await commentsOf(contact.id)).toEqual([null]);
    },
    60_000,
  );

  it('one after the other, on either database: the erased person cannot answer any more', async () => {
    const { contact, invitation } = await invitedContact();
    await t.db.kysely
      .transaction()
      .execute((trx) => eraseContact(trx, t.deps, actor(), contact.id));
    const outcomes = await t.db.kysely
      .transaction()
      .execute((trx) => writeSubmissions(trx, t.deps, [answer(invitation.token)]));
    expect(outcomes.map((o) => o.status)).toEqual(['unknown']);
    expect(await commentsOf(contact.id)).toEqual([]);
  });
});
