import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { digestSweepJob } from '../../src/modules/digest/digest.jobs.ts';
import { enqueue } from '../../src/platform/jobs/define-job.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { newId } from '../../src/shared/ids.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildEmployee, buildResponse, buildSurvey } from '../support/factories.ts';
import {
  buildMember,
  buildOrganisation,
  digestByRoleDefault,
  startTestApp,
  type Client,
  type TestApp,
} from '../support/harness.ts';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../support/smtp-server.ts';

const at = (local: string) => Date.parse(local);

interface Overview {
  nps: number | null;
  total: number;
  interval: { low: number; high: number } | null;
  previous: { nps: number | null };
  change: { change: number | null; real: boolean };
}

/**
 * The weekly digest (issue 10) over a real SMTP server with a controllable clock: on Monday
 * morning (07:00 in Amsterdam) every member who wants it gets one email about the week that
 * ended, composed with their own role scope — an account manager's holds their own customers'
 * figures only — with an RFC 8058 one-click unsubscribe that stops the digest and nothing else.
 * However many workers see the moment and however often the sweep runs, a member gets one per
 * ISO week. The steps are one story (a week, then the next), so they run in order.
 */
describeEachDialect('the weekly digest', (dialect) => {
  describe('two Mondays at Garage De Vries', { shuffle: false }, () => {
    let smtp: TestSmtpServer;
    let t: TestApp;
    let owner: Client;
    let sanne: Client;
    let piet: Client;
    let manager: Client;
    let org: string;
    const employees: Record<string, string> = {};
    const drain = () => startWorker(t.deps, { concurrency: 2 }, false).drain();
    const digestsTo = (c: Client) =>
      smtp.received.filter(
        (m) => m.envelopeTo.includes(c.email) && m.headers.get('list-unsubscribe') !== undefined,
      );
    /** The one-click unsubscribe a mail client posts; the member's digest is then off, by choice. */
    const unsubscribeByOneClick = async (path: string, member: Client, byDefault: boolean) => {
      const click = await t.app.inject({
        method: 'POST',
        url: path,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
      expect(click.statusCode).toBe(200);
      expect(click.body).toContain('Weekoverzicht uitgezet');
      const after = await member.request({ url: '/api/v1/me/weekly-digest' });
      expect(after.json()).toEqual({ weeklyDigest: false, byDefault, chosen: true });
    };
    const overview = async (c: Client, from: string, to: string) => {
      const res = await c.request({ url: `/api/v1/results/overview?from=${from}&to=${to}` });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<Overview>();
    };
    const npsText = (n: number) => {
      const r = Math.round(n);
      return r > 0 ? `+${r}` : r < 0 ? `−${Math.abs(r)}` : '0';
    };

    beforeAll(async () => {
      smtp = await startSmtpServer();
      t = await startTestApp(dialect, {
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Loyaal <noreply@loyaal.test>',
        PUBLIC_URL: 'https://nps.garage.test',
      });
      // Sunday 29 November 2026, noon in Amsterdam: the end of ISO week 48.
      t.clock.now = at('2026-11-29T12:00+01:00');
      owner = await buildOrganisation(t, 'Garage De Vries');
      org = owner.organisationId;
      const survey = await buildSurvey(t.db.kysely, org);
      const ref = { organisationId: org, surveyId: survey.id };
      for (const name of ['Sanne de Boer', 'Piet Bakker']) {
        employees[name] = (await buildEmployee(t.db.kysely, org, { name, team: 'Werkplaats' })).id;
      }
      sanne = await buildMember(t, org, 'account_manager', employees['Sanne de Boer'] ?? null);
      piet = await buildMember(t, org, 'account_manager', employees['Piet Bakker'] ?? null);
      manager = await buildMember(t, org, 'manager');
      await digestByRoleDefault(t, org);

      // Week 48 (23–29 November): Sanne four promoters and a detractor, Piet two detractors.
      const week = (day: number, hour = 10) => Date.UTC(2026, 10, day, hour);
      const answers: Array<[string, number, number, string | null]> = [
        ['Sanne de Boer', 9, week(23), null],
        ['Sanne de Boer', 10, week(24), 'Sanne dacht goed mee, top service'],
        ['Sanne de Boer', 9, week(25), null],
        ['Sanne de Boer', 9, week(26), null],
        ['Sanne de Boer', 3, week(27), null],
        ['Piet Bakker', 2, week(26), 'De auto was pas na drie dagen klaar'],
        ['Piet Bakker', 2, week(28), null],
        // Earlier weeks: the 90 days and the previous week.
        ['Sanne de Boer', 7, Date.UTC(2026, 10, 18, 10), null],
        ['Piet Bakker', 9, Date.UTC(2026, 10, 17, 10), null],
        ['Piet Bakker', 10, Date.UTC(2026, 9, 5, 10), null],
      ];
      for (const [name, score, answeredAt, comment] of answers) {
        await buildResponse(t.db.kysely, ref, {
          score,
          comment,
          owner_employee_id: employees[name] ?? null,
          answered_at: answeredAt,
        });
      }
      // Piet's detractor has an open case, past its deadline.
      const contact = await buildContact(t.db.kysely, org, {
        owner_employee_id: employees['Piet Bakker'] ?? null,
      });
      const response = await buildResponse(t.db.kysely, ref, {
        score: 1,
        contact_id: contact.id,
        owner_employee_id: employees['Piet Bakker'] ?? null,
        answered_at: week(20),
      });
      await t.db.kysely
        .insertInto('cases')
        .values({
          id: newId(),
          organisation_id: org,
          contact_id: contact.id,
          kind: 'recovery',
          status: 'open',
          priority: 'normal',
          reasons: '{"reasons":["detractor"],"themeWords":[]}',
          owner_employee_id: employees['Piet Bakker'] ?? null,
          owner_rule: 'account-manager',
          team: 'Werkplaats',
          response_id: response.id,
          survey_id: survey.id,
          opened_score: 1,
          opened_category: 'detractor',
          opened_at: week(20),
          due_at: week(24),
          first_contact_at: null,
          escalated_at: null,
          alerted_at: week(20),
          closed_at: null,
          follow_up_invitation_id: null,
          follow_up_score: null,
          follow_up_at: null,
          created_at: week(20),
          updated_at: week(20),
        })
        .execute();
      // Notes made this week: Sanne's rise, Piet's drop.
      for (const [name, kind] of [
        ['Sanne de Boer', 'celebrate'],
        ['Piet Bakker', 'attention'],
      ] as const) {
        await t.db.kysely
          .insertInto('notifications')
          .values({
            id: newId(),
            organisation_id: org,
            kind,
            subject_kind: 'employee',
            subject_key: employees[name] ?? '',
            period: '2026-10',
            period_from: Date.UTC(2026, 8, 30, 22),
            period_to: Date.UTC(2026, 9, 31, 23),
            previous_from: Date.UTC(2026, 7, 31, 22),
            answers_before: 30,
            answers_after: 30,
            nps_before: kind === 'celebrate' ? 10 : 50,
            nps_after: kind === 'celebrate' ? 55 : 5,
            probability_of_rise: kind === 'celebrate' ? 0.99 : 0.01,
            created_at: week(25),
          })
          .execute();
      }
    }, 120_000);
    afterAll(async () => {
      closeMailTransports();
      await t.close();
      await smtp.close();
    });

    it('knows who wants it: owners and managers by default, account managers when they choose', async () => {
      const setting = async (c: Client) =>
        (await c.request({ url: '/api/v1/me/weekly-digest' })).json<{
          weeklyDigest: boolean;
          byDefault: boolean;
          chosen: boolean;
        }>();
      expect(await setting(owner)).toEqual({ weeklyDigest: true, byDefault: true, chosen: false });
      expect(await setting(sanne)).toEqual({
        weeklyDigest: false,
        byDefault: false,
        chosen: false,
      });
      const on = await sanne.request({
        method: 'PUT',
        url: '/api/v1/me/weekly-digest',
        payload: { weeklyDigest: true },
      });
      expect(on.statusCode, on.body).toBe(200);
      expect(on.json()).toEqual({ weeklyDigest: true, byDefault: false, chosen: true });
      const off = await manager.request({
        method: 'PUT',
        url: '/api/v1/me/weekly-digest',
        payload: { weeklyDigest: false },
      });
      expect(off.json()).toEqual({ weeklyDigest: false, byDefault: true, chosen: true });
      const bad = await manager.request({
        method: 'PUT',
        url: '/api/v1/me/weekly-digest',
        payload: { weeklyDigest: 'ja' },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('Wekelijks overzicht per e-mail');
    });

    it('sends nothing before Monday 07:00 in Amsterdam', async () => {
      t.clock.now = at('2026-11-30T06:59+01:00');
      await drain();
      expect(digestsTo(owner)).toEqual([]);
    });

    it('sends the owner one digest on Monday morning with the organisation’s figures', async () => {
      // A manager who joins on Monday morning was no member in the week reported: none for them.
      const late = await buildMember(t, org, 'manager');
      await digestByRoleDefault(t, org, late.userId);
      t.clock.now = at('2026-11-30T07:05+01:00');
      // Two workers see the due moment: it is enqueued once.
      await Promise.all([drain(), drain()]);
      await drain();
      const mails = digestsTo(owner);
      expect(mails).toHaveLength(1);
      expect(digestsTo(late)).toEqual([]);
      const mail = mails[0] as ReceivedMail;
      expect(mail.subject).toBe('Weekoverzicht Garage De Vries, week 48');
      expect(mail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
      expect(mail.headers.get('list-unsubscribe')).toMatch(
        /^<https:\/\/nps\.garage\.test\/u\/digest\/[A-Za-z0-9_-]{43}>$/,
      );
      const text = mail.text();
      // The week: Sanne's 4 promoters and 1 detractor, Piet's 2 detractors: (4 − 3) / 7 = +14.
      const week = await overview(owner, '2026-11-23', '2026-11-29');
      expect(week.total).toBe(7);
      expect(Math.round(week.nps ?? 0)).toBe(14);
      expect(text).toContain('NPS van de afgelopen 7 dagen');
      expect(text).toContain(
        `NPS +14 (95%-interval ${npsText(week.interval?.low ?? 0)} tot ${npsText(week.interval?.high ?? 0)}), op basis van 7 antwoorden.`,
      );
      const quarter = await overview(owner, '2026-09-01', '2026-11-29');
      expect(text).toContain(`op basis van ${quarter.total} antwoorden`);
      // The change in plain words, without a p-value.
      const before = npsText(week.previous.nps ?? 0);
      const moved = Math.round(week.nps ?? 0) > Math.round(week.previous.nps ?? 0);
      expect(text).toContain(
        `De NPS ${moved ? 'steeg' : 'daalde'} van ${before} naar +14; die ${moved ? 'stijging' : 'daling'} ${week.change.real ? 'is echt' : 'kan toeval zijn'}.`,
      );
      expect(text).not.toMatch(/\bp = /);
      expect(text).toContain('1 open zaak, waarvan 1 over de termijn');
      expect(text).toContain('Vieren: de NPS van Sanne de Boer steeg echt, van +10 naar +55');
      expect(text).toContain(
        'Aandacht: de NPS van Piet Bakker daalde echt, van +50 naar +5 in oktober 2026.',
      );
      expect(text).toContain('De auto was pas na drie dagen klaar');
      expect(text).toContain('Open Loyaal: https://nps.garage.test/admin/');
      expect(text).not.toContain('Jan Jansen');
      expect(mail.html()).toContain('href="https://nps.garage.test/u/digest/');
    });

    it('gives an account manager a digest of their own customers only', async () => {
      const mails = digestsTo(sanne);
      expect(mails).toHaveLength(1);
      const text = (mails[0] as ReceivedMail).text();
      const own = await overview(sanne, '2026-11-23', '2026-11-29');
      expect(own.total).toBe(5);
      expect(text).toContain('alleen over uw eigen klanten');
      expect(text).toContain('NPS +60 (95%-interval');
      expect(text).toContain('op basis van 5 antwoorden.');
      expect(text).toContain('0 open zaken, waarvan 0 over de termijn');
      expect(text).toContain('Sanne dacht goed mee');
      expect(text).toContain('Vieren: de NPS van Sanne de Boer');
      expect(text).not.toContain('Piet');
      expect(text).not.toContain('De auto was pas na drie dagen klaar');
    });

    it('sends none to an account manager who did not ask, nor to a manager who turned it off', () => {
      expect(digestsTo(piet)).toEqual([]);
      expect(digestsTo(manager)).toEqual([]);
    });

    it('sends one per week however often the sweep runs', async () => {
      // A manual second sweep in the same week, and another worker later on Monday.
      await enqueue(t.db.kysely, digestSweepJob, {}, { organisationId: null, now: t.clock.now });
      await drain();
      t.clock.now = at('2026-11-30T15:00+01:00');
      await drain();
      t.clock.now = at('2026-12-01T07:05+01:00');
      await drain();
      expect(digestsTo(owner)).toHaveLength(1);
      expect(digestsTo(sanne)).toHaveLength(1);
      const jobs = await t.db.kysely
        .selectFrom('jobs')
        .select(['dedupe_key'])
        .where('type', '=', 'digest.compose')
        .where('organisation_id', '=', org)
        .execute();
      expect(jobs.map((j) => j.dedupe_key).sort()).toHaveLength(2);
    });

    it('one click on the link stops the digest only, and the next Monday sends the owner none', async () => {
      const link = /<([^>]+)>/.exec(
        digestsTo(owner)[0]?.headers.get('list-unsubscribe') ?? '',
      )?.[1];
      const path = new URL(link ?? 'https://x/').pathname;
      const page = await t.app.inject({ url: path });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Weekoverzicht uitzetten');
      // The GET changed nothing (a link scanner fetches it).
      const still = await owner.request({ url: '/api/v1/me/weekly-digest' });
      expect(still.json<{ weeklyDigest: boolean }>().weeklyDigest).toBe(true);
      await unsubscribeByOneClick(path, owner, true);
      const unknown = await t.app.inject({
        url: '/u/digest/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      });
      expect(unknown.statusCode).toBe(404);

      // Monday 7 December: Sanne gets week 49, the owner nothing.
      t.clock.now = at('2026-12-07T07:05+01:00');
      await drain();
      expect(digestsTo(owner)).toHaveLength(1);
      const sannes = digestsTo(sanne);
      expect(sannes).toHaveLength(2);
      expect(sannes[1]?.subject).toBe('Weekoverzicht Garage De Vries, week 49');
      expect(sannes[1]?.text()).toContain('Geen antwoorden in deze periode.');
    });

    it('keeps the link of an older digest working: it stops the digest as the newest would', async () => {
      const links = digestsTo(sanne).map(
        (m) =>
          new URL(/<([^>]+)>/.exec(m.headers.get('list-unsubscribe') ?? '')?.[1] ?? '').pathname,
      );
      expect(links).toHaveLength(2);
      const [older = '', newer = ''] = links;
      // Each digest brings its own link.
      expect(older).not.toBe(newer);
      for (const path of [older, newer]) {
        const page = await t.app.inject({ url: path });
        expect(page.statusCode, path).toBe(200);
        expect(page.body).toContain('Weekoverzicht uitzetten');
      }
      await unsubscribeByOneClick(older, sanne, false);
      // The newest digest's link now says it is done; a made-up one still finds nothing.
      const newest = await t.app.inject({ url: newer });
      expect(newest.statusCode).toBe(200);
      expect(newest.body).toContain('Weekoverzicht uitgezet');
      const made = await t.app.inject({ url: `/u/digest/${'B'.repeat(43)}` });
      expect(made.statusCode).toBe(404);
      expect(made.body).toContain('Deze link werkt niet meer');
    });
  });
});

/**
 * Without a mail server the digest is kept in the local outbox like every other email: held,
 * never counted as sent, readable by staff with its unsubscribe token masked.
 */
describeEachDialect('the weekly digest without a mail server', (dialect) => {
  let t: TestApp;
  let owner: Client;

  beforeAll(async () => {
    t = await startTestApp(dialect, { PUBLIC_URL: 'https://nps.garage.test' });
    t.clock.now = at('2026-11-29T12:00+01:00');
    owner = await buildOrganisation(t, 'Installateur Zonder Server');
    await digestByRoleDefault(t, owner.organisationId);
  });
  afterAll(async () => t.close());

  it('stays in the outbox, held, its unsubscribe link masked', async () => {
    t.clock.now = at('2026-11-30T07:05+01:00');
    await startWorker(t.deps, { concurrency: 2 }, false).drain();
    const rows = await t.db.kysely
      .selectFrom('emails')
      .select(['id', 'status', 'transport', 'subject', 'headers'])
      .where('organisation_id', '=', owner.organisationId)
      .where('kind', '=', 'weekly_digest')
      .execute();
    expect(rows.map((r) => [r.status, r.transport, r.subject])).toEqual([
      ['held', 'outbox', 'Weekoverzicht Installateur Zonder Server, week 48'],
    ]);
    expect(rows[0]?.headers).toContain('/u/digest/');
    const shown = await owner.request({ url: `/api/v1/outbox/${rows[0]?.id ?? ''}` });
    expect(shown.statusCode, shown.body).toBe(200);
    const email = shown.json<{ headers: Record<string, string>; text: string }>();
    expect(email.headers['List-Unsubscribe']).toBe('<https://nps.garage.test/u/digest/hidden>');
    expect(email.text).toContain('Geen antwoorden in deze periode.');
    expect(email.text).not.toMatch(/\/u\/digest\/(?!hidden)/);
  });
});
