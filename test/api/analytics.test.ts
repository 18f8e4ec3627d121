import { afterAll, beforeAll, expect, it } from 'vitest';
import { computeNps } from '../../src/domain/scoring/nps.ts';
import { wilsonInterval } from '../../src/domain/statistics/proportions.ts';
import { describeEachDialect } from '../support/databases.ts';
import {
  buildContact,
  buildEmployee,
  buildInvitation,
  buildResponse,
  buildSurvey,
} from '../support/factories.ts';
import {
  buildMember,
  buildOrganisation,
  startTestApp,
  type Client,
  type TestApp,
} from '../support/harness.ts';

const DAY = 24 * 60 * 60 * 1000;

interface Summary {
  nps: number | null;
  interval: { low: number; high: number; level: number } | null;
  total: number;
  promoters: number;
  passives: number;
  detractors: number;
  shares: { promoters: number; passives: number; detractors: number } | null;
  distribution: number[];
  funnel: {
    invited: number;
    sent: number;
    outbox: number;
    bounced: number;
    delivered: number;
    clicked: number;
    answered: number;
    responseRate: { rate: number; low: number; high: number; level: number } | null;
  };
}
interface ListItem {
  id: string;
  score: number;
  category: string;
  comment: string | null;
  contact: { id: string; name: string | null } | null;
  employee: { id: string; name: string | null } | null;
  answeredAt: string;
}

describeEachDialect('first results', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let orgId: string;
  let surveyId: string;
  let sanne: string;
  let piet: string;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t, 'Garage De Vries');
    orgId = owner.organisationId;
    const db = t.db.kysely;
    surveyId = (await buildSurvey(db, orgId)).id;
    sanne = (await buildEmployee(db, orgId, { name: 'Sanne de Boer' })).id;
    piet = (await buildEmployee(db, orgId, { name: 'Piet Bakker' })).id;
    const now = t.clock.now;
    // 5 promoters, 3 passives, 2 detractors → NPS 30. Sanne owns the first six answers.
    const scores = [9, 9, 10, 10, 9, 7, 8, 8, 3, 6];
    for (const [i, score] of scores.entries()) {
      const contact = await buildContact(db, orgId, { name: `Klant ${i}` });
      await buildResponse(
        db,
        { organisationId: orgId, surveyId },
        {
          score,
          contact_id: contact.id,
          owner_employee_id: i < 6 ? sanne : piet,
          segment: i % 2 === 0 ? 'APK' : 'Onderhoud',
          comment: i === 8 ? '=HYPERLINK("http://x")' : `Opmerking ${i}`,
          answered_at: now - (i + 1) * DAY,
        },
      );
    }
    // The funnel: 14 invitations due, 10 sent, 2 of those bounced, 6 clicked, 4 answered; two
    // kept in the local outbox (no mail server) are neither sent nor delivered; one planned for
    // later and one cancelled do not count.
    const contact = await buildContact(db, orgId, { owner_employee_id: sanne });
    const invite = (o: Parameters<typeof buildInvitation>[2]) =>
      buildInvitation(db, { organisationId: orgId, surveyId, contactId: contact.id }, o);
    for (let i = 0; i < 10; i++) {
      const planned = now - 20 * DAY;
      await invite({
        planned_at: planned,
        sent_at: planned,
        status: i < 2 ? 'bounced' : 'sent',
        bounced_at: i < 2 ? planned + 1000 : null,
        clicked_at: i >= 2 && i < 8 ? planned + DAY : null,
        responded_at: i >= 2 && i < 6 ? planned + DAY : null,
      });
    }
    await invite({ planned_at: now - DAY, sent_at: null, status: 'queued' });
    await invite({ planned_at: now - DAY, sent_at: null, status: 'planned' });
    await invite({ planned_at: now + DAY, sent_at: null, status: 'planned' });
    await invite({ planned_at: now - DAY, sent_at: null, status: 'cancelled' });
    await invite({ planned_at: now - DAY, sent_at: null, status: 'outbox' });
    await invite({ planned_at: now - DAY, sent_at: null, status: 'outbox' });
  });
  afterAll(async () => t.close());

  const summary = async (client: Client, query = '') => {
    const res = await client.request({
      url: `/api/v1/results/summary?surveyId=${surveyId}${query}`,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Summary>();
  };

  it('computes the NPS, its interval and the funnel from SQL counts (hand-checked)', async () => {
    const s = await summary(owner);
    expect(s).toMatchObject({ nps: 30, total: 10, promoters: 5, passives: 3, detractors: 2 });
    expect(s.shares).toEqual({ promoters: 0.5, passives: 0.3, detractors: 0.2 });
    expect(s.distribution).toEqual([0, 0, 0, 1, 0, 0, 1, 1, 2, 3, 2]);
    expect(s.interval).toEqual(computeNps({ promoters: 5, passives: 3, detractors: 2 }).interval);
    const rate = wilsonInterval(4, 8);
    expect(s.funnel).toEqual({
      invited: 14,
      sent: 10,
      outbox: 2,
      bounced: 2,
      delivered: 8,
      clicked: 6,
      answered: 4,
      responseRate: { rate: 0.5, low: rate?.low, high: rate?.high, level: 0.95 },
    });
  });

  it('filters by account manager, segment and period', async () => {
    const bySanne = await summary(owner, `&ownerEmployeeId=${sanne}`);
    expect(bySanne).toMatchObject({ total: 6, promoters: 5, passives: 1, detractors: 0 });
    const apk = await summary(owner, '&segment=APK');
    expect(apk.distribution).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 1, 2, 1]);
    // The funnel filters on the invitation's contact: all fourteen are Sanne's contact's, who has
    // no segment (the unfiltered count reads no contact at all, migration 0046).
    expect(bySanne.funnel).toMatchObject({ invited: 14, sent: 10, clicked: 6, answered: 4 });
    expect((await summary(owner, `&ownerEmployeeId=${piet}`)).funnel.invited).toBe(0);
    expect(apk.funnel.invited).toBe(0);
    // The last three days: the answers of 1, 2 and 3 days ago.
    const from = new Date(t.clock.now - 3 * DAY).toISOString();
    const recent = await summary(owner, `&from=${from}`);
    expect(recent.total).toBe(3);
    const bad = await owner.request({ url: '/api/v1/results/summary?from=gisteren' });
    expect(bad.statusCode).toBe(400);
    const unknown = await owner.request({ url: '/api/v1/results/summary?colour=blue' });
    expect(unknown.statusCode).toBe(400);
  });

  it('shows an account manager only their own customers’ answers', async () => {
    const am = await buildMember(t, orgId, 'account_manager', sanne);
    const own = await summary(am);
    expect(own.total).toBe(6);
    expect(own.funnel).toMatchObject({ invited: 14, outbox: 2, bounced: 2, answered: 4 });
    const colleague = await buildMember(t, orgId, 'account_manager', piet);
    expect((await summary(colleague)).funnel.invited).toBe(0);
    expect((await summary(am, `&ownerEmployeeId=${piet}`)).total).toBe(0);
    const list = await am.request({
      url: `/api/v1/results/responses?limit=200&surveyId=${surveyId}`,
    });
    const items = list.json<{ items: ListItem[] }>().items;
    expect(items).toHaveLength(6);
    expect(items.every((i) => i.employee?.id === sanne)).toBe(true);
    const trend = await am.request({ url: `/api/v1/results/trend?surveyId=${surveyId}` });
    const points = trend.json<{ points: { total: number }[] }>().points;
    expect(points.reduce((n, p) => n + p.total, 0)).toBe(6);
  });

  it('lists answers newest first with keyset pages, names and a category filter', async () => {
    const seen: ListItem[] = [];
    let cursor: string | null = null;
    do {
      const res = await owner.request({
        url: `/api/v1/results/responses?surveyId=${surveyId}&limit=4${cursor ? `&cursor=${cursor}` : ''}`,
      });
      const page = res.json<{ items: ListItem[]; nextCursor: string | null }>();
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((i) => i.score)).toEqual([9, 9, 10, 10, 9, 7, 8, 8, 3, 6]);
    expect(new Set(seen.map((i) => i.id)).size).toBe(10);
    expect(seen[0]).toMatchObject({
      category: 'promoter',
      comment: 'Opmerking 0',
      contact: { name: 'Klant 0' },
      employee: { id: sanne, name: 'Sanne de Boer' },
    });
    const detractors = await owner.request({
      url: `/api/v1/results/responses?surveyId=${surveyId}&category=detractor`,
    });
    expect(detractors.json<{ items: ListItem[] }>().items.map((i) => i.score)).toEqual([3, 6]);
    const counted = await owner.request({
      url: `/api/v1/results/responses?surveyId=${surveyId}&category=detractor&limit=1&total=true`,
    });
    expect(counted.json<{ items: ListItem[]; total: number }>()).toMatchObject({ total: 2 });
    expect(counted.json<{ items: ListItem[] }>().items).toHaveLength(1);
  });

  it('computes the NPS per calendar month in one grouped query', async () => {
    const survey = await buildSurvey(t.db.kysely, orgId);
    const at = (iso: string) => Date.parse(iso);
    const answers: Array<[string, number]> = [
      ['2026-01-10T12:00:00Z', 10],
      ['2026-01-31T22:30:00Z', 0], // 23:30 on 31 January in Amsterdam: still January
      ['2026-02-28T23:30:00Z', 9], // 00:30 on 1 March in Amsterdam: March
      ['2026-03-15T12:00:00Z', 7],
    ];
    for (const [iso, score] of answers) {
      await buildResponse(
        t.db.kysely,
        { organisationId: orgId, surveyId: survey.id },
        {
          score,
          answered_at: at(iso),
        },
      );
    }
    const res = await owner.request({
      url: `/api/v1/results/trend?surveyId=${survey.id}&from=2026-01-01&to=2026-03-31`,
    });
    expect(res.statusCode, res.body).toBe(200);
    const points = res.json<{
      points: Array<{ period: string; nps: number | null; total: number }>;
    }>().points;
    expect(points.map((p) => [p.period, p.total, p.nps])).toEqual([
      ['2026-01', 2, 0],
      ['2026-02', 0, null],
      ['2026-03', 2, 50],
    ]);
    const quarters = await owner.request({
      url: `/api/v1/results/trend?surveyId=${survey.id}&from=2026-01-01&to=2026-06-30&interval=quarter`,
    });
    expect(quarters.json<{ points: Array<{ period: string; total: number }> }>().points).toEqual([
      expect.objectContaining({ period: '2026-Q1', total: 4 }),
      expect.objectContaining({ period: '2026-Q2', total: 0 }),
    ]);
    // ISO weeks: 23:30 on Saturday 31 January is in week 5 (26 January – 1 February).
    const weeks = await owner.request({
      url: `/api/v1/results/trend?surveyId=${survey.id}&from=2026-01-26&to=2026-02-08&interval=week`,
    });
    expect(
      weeks
        .json<{ points: Array<{ period: string; total: number }> }>()
        .points.map((p) => [p.period, p.total]),
    ).toEqual([
      ['2026-W05', 1],
      ['2026-W06', 0],
    ]);
    expect((await owner.request({ url: '/api/v1/results/trend?interval=day' })).statusCode).toBe(
      400,
    );
  });

  it('counts the whole first month of a trend, not only the days after `from`', async () => {
    const survey = await buildSurvey(t.db.kysely, orgId);
    for (const [iso, score] of [
      ['2026-04-05T12:00:00Z', 10],
      ['2026-04-20T12:00:00Z', 0],
      ['2026-05-10T12:00:00Z', 9],
    ] as const) {
      await buildResponse(
        t.db.kysely,
        { organisationId: orgId, surveyId: survey.id },
        { score, answered_at: Date.parse(iso) },
      );
    }
    const res = await owner.request({
      url: `/api/v1/results/trend?surveyId=${survey.id}&from=2026-04-15&to=2026-05-31`,
    });
    expect(res.statusCode, res.body).toBe(200);
    const points = res.json<{
      points: Array<{ period: string; from: string; total: number; nps: number | null }>;
    }>().points;
    expect(points.map((p) => [p.period, p.from, p.total, p.nps])).toEqual([
      ['2026-04', '2026-03-31T22:00:00.000Z', 2, 0],
      ['2026-05', '2026-04-30T22:00:00.000Z', 1, 100],
    ]);
  });

  it('exports the answers as CSV for Dutch Excel', async () => {
    const res = await owner.request({ url: `/api/v1/results/responses.csv?surveyId=${surveyId}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.body.startsWith('\uFEFFBeantwoord op;Score;Categorie;')).toBe(true);
    const lines = res.body.trim().split('\r\n');
    expect(lines).toHaveLength(11);
    expect(lines[1]).toContain(';9;promotor;Opmerking 0;;Klant 0;Sanne de Boer;');
    // A formula in a comment is shown as text, never run.
    expect(res.body).toContain(`"'=HYPERLINK(""http://x"")"`);
  });

  it('refuses results per employee and hides employee columns when the works council switch is off', async () => {
    const boss = await buildOrganisation(t, 'Ondernemingsraad BV');
    const org = boss.organisationId;
    const db = t.db.kysely;
    const survey = (await buildSurvey(db, org)).id;
    const els = (await buildEmployee(db, org, { name: 'Els Visser' })).id;
    const kees = (await buildEmployee(db, org, { name: 'Kees Smit' })).id;
    for (const [score, employee] of [
      [9, els],
      [10, els],
      [3, kees],
    ] as const) {
      const contact = await buildContact(db, org, { name: `Klant ${score}` });
      await buildResponse(
        db,
        { organisationId: org, surveyId: survey },
        {
          score,
          contact_id: contact.id,
          owner_employee_id: employee,
          employee_score: 8,
          comment: `Opmerking ${score}`,
        },
      );
    }
    const off = await boss.request({
      method: 'PATCH',
      url: '/api/v1/organisation',
      payload: { settings: { employeeNpsEnabled: false } },
    });
    expect(off.statusCode, off.body).toBe(200);

    for (const path of ['summary', 'trend', 'responses', 'responses.csv']) {
      const res = await boss.request({ url: `/api/v1/results/${path}?ownerEmployeeId=${els}` });
      expect(res.statusCode, path).toBe(403);
      expect(res.json<{ error: { code: string; message: string } }>().error).toEqual({
        code: 'employee_nps_disabled',
        message: 'NPS per medewerker staat uit voor deze organisatie.',
      });
    }
    // The organisation's own results still work, without naming or scoring an employee.
    const all = await boss.request({ url: `/api/v1/results/summary?surveyId=${survey}` });
    expect(all.json<Summary>().total).toBe(3);
    const list = await boss.request({ url: `/api/v1/results/responses?surveyId=${survey}` });
    const items = list.json<{ items: Record<string, unknown>[] }>().items;
    expect(items).toHaveLength(3);
    for (const item of items) {
      expect(item).not.toHaveProperty('employee');
      expect(item).not.toHaveProperty('employeeScore');
    }
    const csv = await boss.request({ url: `/api/v1/results/responses.csv?surveyId=${survey}` });
    expect(csv.statusCode).toBe(200);
    const lines = csv.body.replace('\uFEFF', '').trim().split('\r\n');
    expect(lines[0]).toBe(
      'Beantwoord op;Score;Categorie;Toelichting;Klant;Klantbedrijf;Segment;Contact gewenst;Ambassadeur;Kanaal',
    );
    expect(lines).toHaveLength(4);
    expect(csv.body).not.toContain('Els Visser');
    expect(csv.body).not.toContain('Kees Smit');
    expect(lines.every((l) => l.split(';').length === 10)).toBe(true);

    // An account manager still sees only their own customers' answers.
    const am = await buildMember(t, org, 'account_manager', els);
    const own = await am.request({ url: `/api/v1/results/summary?surveyId=${survey}` });
    expect(own.json<Summary>()).toMatchObject({ total: 2, promoters: 2 });
    const ownList = await am.request({ url: `/api/v1/results/responses?surveyId=${survey}` });
    expect(ownList.json<{ items: unknown[] }>().items).toHaveLength(2);
    expect(
      (await am.request({ url: `/api/v1/results/summary?ownerEmployeeId=${els}` })).statusCode,
    ).toBe(403);
  });

  it('keeps every result of one organisation from another', async () => {
    const other = await buildOrganisation(t, 'Concurrent BV');
    const empty = await other.request({ url: '/api/v1/results/summary' });
    expect(empty.json<Summary>()).toMatchObject({ nps: null, total: 0, interval: null });
    expect(empty.json<Summary>().funnel.invited).toBe(0);
    const list = await other.request({ url: '/api/v1/results/responses' });
    expect(list.json<{ items: unknown[] }>().items).toEqual([]);
    for (const url of [
      `/api/v1/results/summary?surveyId=${surveyId}`,
      `/api/v1/results/responses?surveyId=${surveyId}`,
      `/api/v1/results/trend?surveyId=${surveyId}`,
      `/api/v1/results/responses.csv?surveyId=${surveyId}`,
    ]) {
      expect((await other.request({ url })).statusCode, url).toBe(404);
    }
    expect((await t.app.inject({ url: '/api/v1/results/summary' })).statusCode).toBe(401);
  });
});
