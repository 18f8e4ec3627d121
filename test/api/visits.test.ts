import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

const DAY = 86_400_000;

describeEachDialect('visits and purchases', (dialect) => {
  // One story over a month of clock time: its steps build on each other, so they keep their order.
  describe('a garage month', { shuffle: false }, () => {
    let smtp: TestSmtpServer;
    let t: TestApp;
    let owner: Client;
    let surveyId: string;
    let anna: string;
    const drain = async () => {
      // The visit job plans an invitation whose send job is due at once: run until nothing is due.
      for (let i = 0; i < 3; i++) await startWorker(t.deps, { concurrency: 2 }, false).drain();
    };

    beforeAll(async () => {
      smtp = await startSmtpServer();
      t = await startTestApp(dialect, {
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Loyaal <noreply@loyaal.test>',
        PUBLIC_URL: 'https://nps.example.nl',
        // The story spans a month of clock time: keep the owner logged in.
        SESSION_DAYS: '90',
      });
      // Monday 2 November 2026, 08:00 in Amsterdam.
      t.clock.now = Date.UTC(2026, 10, 2, 7, 0);
      owner = await buildOrganisation(t);
      surveyId = (
        await owner.request({
          method: 'POST',
          url: '/api/v1/surveys',
          payload: { name: 'Na de werkplaats', status: 'active' },
        })
      ).json<{ id: string }>().id;
      const contact = async (payload: Record<string, unknown>) =>
        (await owner.request({ method: 'POST', url: '/api/v1/contacts', payload })).json<{
          id: string;
        }>().id;
      anna = await contact({
        name: 'Anna de Wit',
        email: 'anna@example.nl',
        externalId: 'K-100',
        phone: '06-12345678',
      });
      await contact({ name: 'Bram Bos', email: 'bram@example.nl', externalId: 'K-200' });
    });
    afterAll(async () => {
      closeMailTransports();
      await t.close();
      await smtp.close();
    });

    const visitCount = async () =>
      Number(
        (
          await t.db.kysely
            .selectFrom('visits')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    describe('recording by API', () => {
      it('rejects a batch with a negative amount or an unknown customer, naming the field, and stores nothing', async () => {
        const res = await owner.request({
          method: 'POST',
          url: '/api/v1/visits/batch',
          payload: {
            visits: [
              {
                externalId: 'W-1',
                customer: { externalId: 'K-100' },
                visitedAt: '2026-10-01',
                amount: 89.5,
                kind: 'APK',
              },
              {
                externalId: 'W-2',
                customer: { email: 'nobody@example.nl' },
                visitedAt: '2026-10-02',
                amount: 10,
              },
              {
                externalId: 'W-3',
                customer: { externalId: 'K-200' },
                visitedAt: '2026-10-03',
                amount: -12.5,
              },
            ],
          },
          headers: { 'accept-language': 'nl' },
        });
        expect(res.statusCode).toBe(400);
        type Problems = {
          error: { fields: { field: string; problem: string; message: string }[] };
        };
        const fields = res.json<Problems>().error.fields;
        expect(fields).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ field: 'visits.2.amount', problem: 'amount_negative' }),
          ]),
        );
        expect(await visitCount()).toBe(0);
        const unknown = await owner.request({
          method: 'POST',
          url: '/api/v1/visits/batch',
          payload: {
            visits: [
              { customer: { email: 'nobody@example.nl' }, visitedAt: '2026-10-02', amount: 10 },
            ],
          },
          headers: { 'accept-language': 'nl' },
        });
        expect(unknown.statusCode).toBe(400);
        const problem = unknown.json<Problems>().error.fields[0];
        expect(problem).toMatchObject({ field: 'visits.0.customer', problem: 'unknown_customer' });
        expect(problem?.message).toContain('geen bekende klant');
        expect(await visitCount()).toBe(0);
      });

      it('refuses a day the calendar does not have, as a day or inside an instant', async () => {
        for (const visitedAt of ['2026-02-30', '2026-02-29T10:00:00+01:00', '2026-04-31']) {
          const res = await owner.request({
            method: 'POST',
            url: '/api/v1/visits',
            payload: { customer: { externalId: 'K-100' }, visitedAt, amount: 10 },
            headers: { 'accept-language': 'nl' },
          });
          expect(res.statusCode, visitedAt).toBe(400);
          const field = res.json<{
            error: { fields: { field: string; problem: string; message: string }[] };
          }>().error.fields[0];
          expect(field).toMatchObject({ field: 'visitedAt', problem: 'invalid_date' });
          expect(field?.message).toContain('geen datum');
        }
        expect(await visitCount()).toBe(0);
      });

      it('stores a batch, matches by customer number, email and phone, and updates by external id', async () => {
        const res = await owner.request({
          method: 'POST',
          url: '/api/v1/visits/batch',
          payload: {
            visits: [
              {
                externalId: 'W-1',
                customer: { externalId: 'K-100' },
                visitedAt: '2026-03-01',
                amount: 89.5,
                kind: 'APK',
              },
              {
                externalId: 'W-2',
                customer: { phone: '+31 6 1234 5678' },
                visitedAt: '2026-07-01',
                amount: 1234.56,
                kind: 'Onderhoud',
              },
              {
                externalId: 'W-3',
                customer: { email: 'BRAM@example.nl' },
                visitedAt: '2026-07-02',
                amount: 40,
                status: 'refund',
              },
            ],
          },
        });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({ created: 3, updated: 0 });
        const again = await owner.request({
          method: 'POST',
          url: '/api/v1/visits',
          payload: {
            externalId: 'W-2',
            customer: { externalId: 'K-100' },
            visitedAt: '2026-07-01',
            amount: 1234.56,
            status: 'cancelled',
          },
        });
        expect(again.statusCode).toBe(200);
        expect(again.json()).toMatchObject({ created: false });
        const rows = await t.db.kysely
          .selectFrom('visits')
          .select(['external_id', 'contact_id', 'amount_cents', 'status'])
          .orderBy('external_id')
          .execute();
        expect(rows.map((r) => [r.external_id, r.amount_cents, r.status])).toEqual([
          ['W-1', 8950, 'completed'],
          ['W-2', 123456, 'cancelled'],
          ['W-3', -4000, 'refund'],
        ]);
        expect(rows[1]?.contact_id).toBe(anna);
      });

      it('returns the first answer again for a repeated Idempotency-Key', async () => {
        const post = () =>
          owner.request({
            method: 'POST',
            url: '/api/v1/visits',
            payload: { customer: { externalId: 'K-200' }, visitedAt: '2026-08-01', amount: 15 },
            headers: { 'idempotency-key': 'werkplaats-8841-retry' },
          });
        const first = await post();
        const second = await post();
        expect(first.statusCode).toBe(201);
        expect(second.statusCode).toBe(201);
        expect(second.json()).toEqual(first.json());
        expect(await visitCount()).toBe(4);
      });

      it("shows a contact's visits, revenue, typical interval and when they are due", async () => {
        const res = await owner.request({ method: 'GET', url: `/api/v1/contacts/${anna}/visits` });
        expect(res.statusCode).toBe(200);
        const body = res.json<{
          summary: Record<string, unknown>;
          visits: { externalId: string; status: string }[];
        }>();
        // One completed visit (W-1 APK on 1 March); the cancelled W-2 counts for nothing; APK is yearly.
        expect(body.summary).toMatchObject({
          visits: 1,
          revenue: 89.5,
          typicalIntervalDays: null,
          due: false,
        });
        expect(String(body.summary.dueAt)).toMatch(/^2027-03-01/);
        expect(body.visits.map((v) => [v.externalId, v.status])).toEqual([
          ['W-2', 'cancelled'],
          ['W-1', 'completed'],
        ]);
      });
    });

    describe('asking after a visit', () => {
      it('invites three days after an APK visit, and a second visit a week later is skipped with its reason', async () => {
        const trigger = await owner.request({
          method: 'PUT',
          url: '/api/v1/visit-trigger',
          payload: { surveyId, enabled: true, kinds: ['APK'], delayDays: 3 },
        });
        expect(trigger.statusCode).toBe(200);
        expect(trigger.json()).toMatchObject({ enabled: true, kinds: ['apk'], delayDays: 3 });

        const first = await owner.request({
          method: 'POST',
          url: '/api/v1/visits',
          payload: {
            externalId: 'W-10',
            customer: { externalId: 'K-100' },
            visitedAt: '2026-11-02T08:30:00+01:00',
            amount: 49,
            kind: 'apk',
          },
        });
        expect(first.statusCode).toBe(201);
        const visitId = first.json<{ id: string }>().id;
        const before = smtp.received.length;
        await drain();
        expect(smtp.received.length).toBe(before);

        // Thursday 5 November, 10:00 in Amsterdam (09:00 UTC): the invitation goes out.
        t.clock.now = Date.UTC(2026, 10, 5, 9, 0);
        await drain();
        const visit = await t.db.kysely
          .selectFrom('visits')
          .select(['invitation_status', 'invitation_id'])
          .where('id', '=', visitId)
          .executeTakeFirstOrThrow();
        expect(visit.invitation_status).toBe('invited');
        const invitation = await t.db.kysely
          .selectFrom('invitations')
          .select(['message_id', 'contact_id', 'status'])
          .where('id', '=', visit.invitation_id ?? '')
          .executeTakeFirstOrThrow();
        expect(invitation.contact_id).toBe(anna);
        const mail = smtp.received.find((m) => m.messageId === invitation.message_id);
        expect(mail?.envelopeTo).toEqual(['anna@example.nl']);

        // A week later another APK visit: three days after it the contact rules say no.
        t.clock.now = Date.UTC(2026, 10, 9, 8, 0);
        const second = await owner.request({
          method: 'POST',
          url: '/api/v1/visits',
          payload: {
            externalId: 'W-11',
            customer: { externalId: 'K-100' },
            visitedAt: '2026-11-09',
            amount: 20,
            kind: 'APK',
          },
        });
        const secondId = second.json<{ id: string }>().id;
        t.clock.now = Date.UTC(2026, 10, 12, 9, 5);
        await drain();
        // (The first invitation's one reminder may go out meanwhile; it is not a new invitation.)
        const invitations = await t.db.kysely
          .selectFrom('invitations')
          .select('id')
          .where('contact_id', '=', anna)
          .execute();
        expect(invitations).toHaveLength(1);
        const skipped = await owner.request({
          method: 'GET',
          url: `/api/v1/contacts/${anna}/visits`,
          headers: { 'accept-language': 'nl' },
        });
        const row = skipped
          .json<{
            visits: {
              id: string;
              invitation: { status: string; skipReason: string; explanation: string };
            }[];
          }>()
          .visits.find((v) => v.id === secondId);
        expect(row?.invitation.status).toBe('skipped');
        expect(row?.invitation.skipReason).toBe('too_recent');
        expect(row?.invitation.explanation).toMatch(/7 dagen/);
      });

      it('never triggers for a visit that arrives late, nor for another kind', async () => {
        t.clock.now = Date.UTC(2026, 10, 20, 9, 0);
        const late = await owner.request({
          method: 'POST',
          url: '/api/v1/visits',
          payload: {
            externalId: 'W-20',
            customer: { externalId: 'K-200' },
            visitedAt: '2026-11-10',
            amount: 20,
            kind: 'APK',
          },
        });
        const other = await owner.request({
          method: 'POST',
          url: '/api/v1/visits',
          payload: {
            externalId: 'W-21',
            customer: { externalId: 'K-200' },
            visitedAt: '2026-11-20',
            amount: 20,
            kind: 'Bestelling',
          },
        });
        const rows = await t.db.kysely
          .selectFrom('visits')
          .select(['id', 'invitation_status', 'skip_reason'])
          .where('id', 'in', [late.json<{ id: string }>().id, other.json<{ id: string }>().id])
          .execute();
        expect(rows.map((r) => r.skip_reason).sort()).toEqual(['visit_kind', 'visit_late']);
        expect(rows.every((r) => r.invitation_status === 'skipped')).toBe(true);
      });
    });

    describe('privacy', () => {
      it('exports visits and, after erasure, refuses new ones and keeps amounts without identifying numbers', async () => {
        const exported = await owner.request({
          method: 'GET',
          url: `/api/v1/contacts/${anna}/export`,
        });
        expect(exported.statusCode).toBe(200);
        expect(JSON.stringify(exported.json())).toContain('W-1');
        const erased = await owner.request({
          method: 'POST',
          url: `/api/v1/contacts/${anna}/erase`,
        });
        expect(erased.statusCode).toBeLessThan(300);
        const rows = await t.db.kysely
          .selectFrom('visits')
          .select(['external_id', 'location', 'amount_cents'])
          .where('contact_id', '=', anna)
          .execute();
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.every((r) => r.external_id === null && r.location === null)).toBe(true);
        t.clock.now += DAY;
        const refused = await owner.request({
          method: 'POST',
          url: '/api/v1/visits',
          payload: { customer: { phone: '06-12345678' }, visitedAt: '2026-11-20', amount: 5 },
        });
        // Erasure cleared the phone; its fingerprint still names the customer as erased.
        expect(refused.statusCode).toBe(400);
        expect(
          refused.json<{ error: { fields: { problem: string }[] } }>().error.fields[0]?.problem,
        ).toBe('customer_erased');
        const stranger = await owner.request({
          method: 'POST',
          url: '/api/v1/visits',
          payload: { customer: { phone: '06-99999999' }, visitedAt: '2026-11-20', amount: 5 },
        });
        expect(
          stranger.json<{ error: { fields: { problem: string }[] } }>().error.fields[0]?.problem,
        ).toBe('unknown_customer');
      });
    });
  });
});
