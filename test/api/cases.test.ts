import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import {
  caseAlertHandler,
  caseEscalationHandler,
} from '../../src/modules/cases/cases.job-handlers.ts';
import { newId } from '../../src/shared/ids.ts';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildEmployee, buildInvitation, buildSurvey } from '../support/factories.ts';
import {
  buildMember,
  buildOrganisation,
  startTestApp,
  type Client,
  type TestApp,
} from '../support/harness.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

type CaseJson = {
  id: string;
  kind: string;
  status: string;
  priority: string;
  score: number;
  reasons: string[];
  owner: { employeeId: string; name: string | null } | null;
  dueAt: string;
  overdue: boolean;
  escalatedAt: string | null;
  firstContactAt: string | null;
  log: { type: string; note: string | null; by: string | null; detail: unknown }[];
  comment: string | null;
  history: { answers: { score: number }[]; cases: unknown[]; invitations: unknown[] };
  allowed: { work: boolean; assign: boolean; statuses: string[] };
};

describeEachDialect('cases: the closed loop over the API', (dialect) => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  let owner: Client;
  let org: string;
  let surveyId: string;
  let sanne: { id: string };
  let piet: { id: string };
  let sanneLogin: Client;
  let pietLogin: Client;
  let teamManager: Client;
  const drain = () => startWorker(t.deps, { concurrency: 2 }, false).drain();

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp(dialect, {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Loyaal <noreply@loyaal.test>',
      PUBLIC_URL: 'https://nps.garage.test',
    });
    // Friday 27 November 2026, 15:00 in Amsterdam.
    t.clock.now = Date.parse('2026-11-27T15:00+01:00');
    owner = await buildOrganisation(t, 'Garage De Vries');
    org = owner.organisationId;
    surveyId = (await buildSurvey(t.db.kysely, org)).id;
    sanne = await buildEmployee(t.db.kysely, org, { name: 'Sanne de Boer', team: 'Werkplaats' });
    piet = await buildEmployee(t.db.kysely, org, { name: 'Piet Bakker', team: 'Werkplaats' });
    const chef = await buildEmployee(t.db.kysely, org, {
      name: 'Chef Werkplaats',
      team: 'Werkplaats',
    });
    sanneLogin = await buildMember(t, org, 'account_manager', sanne.id);
    pietLogin = await buildMember(t, org, 'account_manager', piet.id);
    teamManager = await buildMember(t, org, 'manager', chef.id);
  });
  // Every test starts on Friday 27 November 2026, 15:00 in Amsterdam (tests run in any order).
  beforeEach(() => {
    t.clock.now = Date.parse('2026-11-27T15:00+01:00');
  });
  afterAll(async () => {
    closeMailTransports();
    await t.close();
    await smtp.close();
  });

  async function customer(ownerEmployeeId: string | null, extra: object = {}) {
    const c = await buildContact(t.db.kysely, org, {
      name: 'Ingrid Jansen',
      phone: '06-12345678',
      owner_employee_id: ownerEmployeeId,
      ...extra,
    });
    const inv = await buildInvitation(
      t.db.kysely,
      { organisationId: org, surveyId, contactId: c.id },
      { planned_at: t.clock.now - DAY, expires_at: t.clock.now + 30 * DAY },
    );
    return { contact: c, token: inv.token };
  }
  const answer = (token: string, payload: object) =>
    t.app.inject({
      method: 'POST',
      url: `/r/${token}`,
      payload: payload as Record<string, unknown>,
    });
  const casesOf = (contactId: string) =>
    t.db.kysely
      .selectFrom('cases')
      .select(['id', 'status', 'kind', 'owner_employee_id', 'due_at', 'priority', 'closed_at'])
      .where('organisation_id', '=', org)
      .where('contact_id', '=', contactId)
      .orderBy('opened_at')
      .execute();

  it('opens a case for a detractor in the answer’s transaction, owned by the account manager, due in two working days', async () => {
    const { contact, token } = await customer(sanne.id);
    const res = await answer(token, {
      score: 3,
      comment: 'Auto niet klaar op tijd',
      mayContact: true,
    });
    expect(res.statusCode, res.body).toBe(200);
    const [row] = await casesOf(contact.id);
    expect(row).toMatchObject({
      status: 'open',
      kind: 'recovery',
      owner_employee_id: sanne.id,
      priority: 'urgent',
    });
    // Friday 15:00 + 16 working hours: Fri 2 h, Mon 8 h, Tue 6 h → Tuesday 15:00.
    expect(row?.due_at).toBe(Date.parse('2026-12-01T15:00+01:00'));
  });

  it('alerts the owner by email after the comment had time to arrive, with score, comment, phone and a link', async () => {
    const { contact, token } = await customer(sanne.id);
    await answer(token, { score: 2, comment: 'Remmen piepen nog steeds', mayContact: true });
    const [row] = await casesOf(contact.id);
    await drain();
    expect(smtp.received.filter((m) => m.text().includes(row?.id ?? '?'))).toEqual([]); // not yet: the alert waits for the comment
    t.clock.now += 3 * 60_000;
    await drain();
    const link = `https://nps.garage.test/admin/cases/${row?.id}`;
    const mine = () => smtp.received.filter((m) => m.text().includes(link));
    const mail = mine()[0];
    expect(mail?.envelopeTo).toEqual([expect.stringMatching(/^account_manager/)]);
    expect(mail?.text()).toContain('Remmen piepen nog steeds');
    expect(mail?.text()).toContain('06-12345678');
    expect(mail?.text()).toContain(`https://nps.garage.test/admin/cases/${row?.id}`);
    expect(mail?.subject).toBe('Nieuwe zaak: score 2 van Ingrid Jansen');
    await drain();
    expect(mine()).toHaveLength(1);
  });

  it('closes the case as changed by the customer when 3 is edited to 9, and opens one when 9 is edited to 3', async () => {
    const { contact, token } = await customer(sanne.id);
    await answer(token, { score: 3 });
    expect((await casesOf(contact.id)).map((c) => c.status)).toEqual(['open']);
    await answer(token, { score: 9, comment: 'Oh nee, ik bedoelde een 9!' });
    expect((await casesOf(contact.id)).map((c) => c.status)).toEqual(['changed_by_customer']);
    // A minute later, so the two cases are listed by their opening moments and not by a tie.
    t.clock.now += 60_000;
    await answer(token, { score: 3, comment: 'Toch een 3' });
    expect((await casesOf(contact.id)).map((c) => c.status)).toEqual([
      'changed_by_customer',
      'open',
    ]);
  });

  it('keeps one active case per contact: a second answer joins it', async () => {
    const { contact, token } = await customer(sanne.id);
    await answer(token, { score: 4 });
    const other = await buildSurvey(t.db.kysely, org, { name: 'Werkplaats' });
    const inv = await buildInvitation(
      t.db.kysely,
      { organisationId: org, surveyId: other.id, contactId: contact.id },
      { planned_at: t.clock.now - DAY, expires_at: t.clock.now + 30 * DAY },
    );
    await answer(inv.token, { score: 1 });
    const cases = await casesOf(contact.id);
    expect(cases).toHaveLength(1);
    const detail = await sanneLogin.request({ url: `/api/v1/cases/${cases[0]?.id}` });
    expect(detail.json<CaseJson>().log.map((l) => l.type)).toContain('answer-joined');
  });

  it('gives a promoter who may be contacted a thank-you task, and nothing to a silent promoter', async () => {
    const a = await customer(sanne.id);
    await answer(a.token, { score: 10, mayContact: true });
    expect((await casesOf(a.contact.id)).map((c) => c.kind)).toEqual(['thanks']);
    const b = await customer(sanne.id);
    await answer(b.token, { score: 10 });
    expect(await casesOf(b.contact.id)).toEqual([]);
  });

  it('shows an account manager only their own cases, a team manager the team’s, a viewer none', async () => {
    const mine = await customer(sanne.id);
    await answer(mine.token, { score: 0 });
    const [sanneCase] = await casesOf(mine.contact.id);
    const theirs = await customer(piet.id);
    await answer(theirs.token, { score: 1 });
    const [pietCase] = await casesOf(theirs.contact.id);

    const sanneList = (await sanneLogin.request({ url: '/api/v1/cases' })).json<{
      items: CaseJson[];
    }>();
    expect(sanneList.items.map((c) => c.id)).toContain(sanneCase?.id);
    expect(sanneList.items.map((c) => c.id)).not.toContain(pietCase?.id);
    expect(sanneList.items.every((c) => c.owner?.employeeId === sanne.id)).toBe(true);
    expect((await sanneLogin.request({ url: `/api/v1/cases/${pietCase?.id}` })).statusCode).toBe(
      404,
    );
    const sneaky = await sanneLogin.request({
      method: 'POST',
      url: `/api/v1/cases/${pietCase?.id}/notes`,
      payload: { note: 'stiekem' },
    });
    expect(sneaky.statusCode).toBe(404);
    // An account manager may not reassign, even their own case.
    const assign = await sanneLogin.request({
      method: 'PUT',
      url: `/api/v1/cases/${sanneCase?.id}/owner`,
      payload: { ownerEmployeeId: piet.id },
    });
    expect(assign.statusCode).toBe(403);

    const teamList = (await teamManager.request({ url: '/api/v1/cases' })).json<{
      items: CaseJson[];
    }>();
    expect(teamList.items.map((c) => c.id)).toEqual(
      expect.arrayContaining([sanneCase?.id, pietCase?.id]),
    );

    const viewer = await buildMember(t, org, 'viewer');
    expect((await viewer.request({ url: '/api/v1/cases' })).statusCode).toBe(403);
    expect((await viewer.request({ url: '/api/v1/case-report' })).statusCode).toBe(403);
  });

  it('names in the log whom the case was handed to, and that nobody has it once unassigned', async () => {
    const { contact, token } = await customer(sanne.id);
    await answer(token, { score: 4, comment: 'Niemand belde terug' });
    const [row] = await casesOf(contact.id);
    const url = `/api/v1/cases/${row?.id}/owner`;
    const toPiet = await owner.request({
      method: 'PUT',
      url,
      payload: { ownerEmployeeId: piet.id },
    });
    expect(toPiet.statusCode, toPiet.body).toBe(200);
    const toNobody = await owner.request({
      method: 'PUT',
      url,
      payload: { ownerEmployeeId: null },
    });
    expect(toNobody.statusCode, toNobody.body).toBe(200);
    const log = toNobody
      .json<{ log: { type: string; by: string | null; detail: Record<string, unknown> }[] }>()
      .log.filter((e) => e.type === 'assigned');
    expect(log.map((e) => [e.by, e.detail.ownerEmployeeId, e.detail.ownerName])).toEqual([
      ['Eigenaar', piet.id, 'Piet Bakker'],
      ['Eigenaar', null, null],
    ]);
  });

  it('lets the owner call, note, resolve; logs who did what; refuses a move out of a closed case', async () => {
    const { contact, token } = await customer(sanne.id);
    await answer(token, { score: 5, comment: 'Lang wachten' });
    const [row] = await casesOf(contact.id);
    const url = `/api/v1/cases/${row?.id}`;
    const called = await sanneLogin.request({
      method: 'POST',
      url: `${url}/contact-moments`,
      payload: { channel: 'phone', note: 'Gebeld, excuses gemaakt' },
    });
    expect(called.statusCode).toBe(200);
    expect(called.json<CaseJson>()).toMatchObject({ status: 'contacted' });
    expect(called.json<CaseJson>().firstContactAt).not.toBeNull();
    const noted = await sanneLogin.request({
      method: 'POST',
      url: `${url}/notes`,
      payload: { note: 'Korting op volgende beurt afgesproken' },
    });
    expect(noted.json<CaseJson>().log.find((l) => l.type === 'note')).toMatchObject({
      note: 'Korting op volgende beurt afgesproken',
      by: 'account_manager',
    });
    const resolved = await sanneLogin.request({
      method: 'POST',
      url: `${url}/status`,
      payload: { status: 'resolved' },
    });
    expect(resolved.json<CaseJson>()).toMatchObject({
      status: 'resolved',
      allowed: { statuses: [] },
    });
    const again = await sanneLogin.request({
      method: 'POST',
      url: `${url}/status`,
      payload: { status: 'contacted' },
    });
    expect(again.statusCode).toBe(409);
    expect(
      again.json<{ error: { fields: { message: string }[] } }>().error.fields[0]?.message,
    ).toContain('kan niet van resolved naar contacted');
    const empty = await sanneLogin.request({
      method: 'POST',
      url: `${url}/notes`,
      payload: { note: '  ' },
    });
    expect(empty.statusCode).toBe(400);
    const detail = (await sanneLogin.request({ url })).json<CaseJson>();
    expect(detail.history.answers.map((a) => a.score)).toEqual([5]);
    expect(detail.comment).toBe('Lang wachten');
  });

  it('escalates to the team manager once when the due time passes without contact, not before', async () => {
    const { contact, token } = await customer(piet.id);
    await answer(token, { score: 1, comment: 'Nooit meer' });
    const [row] = await casesOf(contact.id);
    const dueAt = row?.due_at ?? 0;
    const escalations = () =>
      smtp.received.filter(
        (m) =>
          m.subject.startsWith('Niet op tijd opgevolgd') &&
          m.text().includes(`/admin/cases/${row?.id}`),
      );
    const before = escalations().length;
    t.clock.now = dueAt - 60_000;
    await drain();
    expect(escalations().length).toBe(before);
    t.clock.now = dueAt + 60_000;
    await drain();
    await drain();
    const sent = escalations().slice(before);
    expect(sent.map((m) => m.envelopeTo[0])).toEqual([expect.stringMatching(/^manager/)]);
    expect(sent[0]?.text()).toContain('Piet Bakker');
    const detail = (
      await teamManager.request({ url: `/api/v1/cases/${row?.id}` })
    ).json<CaseJson>();
    expect(detail.escalatedAt).not.toBeNull();
    expect(detail.overdue).toBe(true);
  });

  /** A recovery case of Piet's past its due time, and its escalation as a worker runs it. */
  async function overdueCase() {
    const { contact, token } = await customer(piet.id);
    await answer(token, { score: 1, comment: 'Nooit meer' });
    const [row] = await casesOf(contact.id);
    if (!row) throw new Error('no case');
    t.clock.now = row.due_at + 60_000;
    const escalate = (jobId: string, deps = t.deps) =>
      caseEscalationHandler.run(
        { caseId: row.id },
        { ...deps, organisationId: org, jobId, attempt: 1, maxAttempts: 10 },
      );
    const mails = () =>
      smtp.received.filter(
        (m) =>
          m.subject.startsWith('Niet op tijd opgevolgd') &&
          m.text().includes(`/admin/cases/${row.id}`),
      );
    const escalatedEvents = () =>
      t.db.kysely
        .selectFrom('case_events')
        .select('id')
        .where('case_id', '=', row.id)
        .where('type', '=', 'escalated')
        .execute();
    return { row, escalate, mails, escalatedEvents };
  }

  it('escalates once when two escalation jobs of one case run at once (a case opened before its alert scheduled it)', async () => {
    const { escalate, mails, escalatedEvents } = await overdueCase();
    const outcomes = await Promise.all([escalate(newId()), escalate(newId())]);
    expect(mails().map((m) => m.envelopeTo[0])).toEqual([expect.stringMatching(/^manager/)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['skipped', 'success']);
    expect(await escalatedEvents()).toHaveLength(1);
  });

  it('the job that escalated sends the mail on its retry when the mail server was down; the other job skips', async () => {
    const { row, escalate, mails, escalatedEvents } = await overdueCase();
    const first = newId();
    const down = { ...t.deps, config: { ...t.deps.config, SMTP_URL: 'smtp://127.0.0.1:1' } };
    await expect(escalate(first, down)).rejects.toThrow();
    expect(mails()).toEqual([]);
    expect(await escalate(newId())).toEqual({ status: 'skipped', detail: 'already escalated' });
    expect(await escalate(first)).toMatchObject({ status: 'success' });
    expect(mails()).toHaveLength(1);
    expect(await escalatedEvents()).toHaveLength(1);
    const detail = (await teamManager.request({ url: `/api/v1/cases/${row.id}` })).json<CaseJson>();
    expect(detail.escalatedAt).not.toBeNull();
  });

  it('does not mail on the retry when the customer was contacted after the mail server failed', async () => {
    const { row, escalate, mails } = await overdueCase();
    const first = newId();
    const down = { ...t.deps, config: { ...t.deps.config, SMTP_URL: 'smtp://127.0.0.1:1' } };
    await expect(escalate(first, down)).rejects.toThrow();
    const called = await pietLogin.request({
      method: 'POST',
      url: `/api/v1/cases/${row.id}/contact-moments`,
      payload: { channel: 'phone' },
    });
    expect(called.statusCode).toBe(200);
    expect(await escalate(first)).toEqual({
      status: 'skipped',
      detail: 'no longer open (contacted)',
    });
    expect(mails()).toEqual([]);
  });

  it('schedules the escalation at the due time from the alert, once, also when the alert failed for good', async () => {
    const jobsOf = (caseId: string) =>
      t.db.kysely
        .selectFrom('jobs')
        .select(['type', 'run_at', 'status'])
        .where('organisation_id', '=', org)
        .where('payload', '=', JSON.stringify({ caseId }))
        .orderBy('type')
        .execute();
    const alertContext = () => ({
      ...t.deps,
      organisationId: org,
      jobId: 'test',
      attempt: 10,
      maxAttempts: 10,
    });
    // Opening a case writes one job, its alert; the alert schedules the escalation.
    const alerted = await customer(piet.id);
    await answer(alerted.token, { score: 2 });
    const [first] = await casesOf(alerted.contact.id);
    if (!first) throw new Error('no case');
    expect((await jobsOf(first.id)).map((j) => j.type)).toEqual(['case.alert']);
    t.clock.now += 3 * 60_000;
    await drain();
    const [alert, escalation] = await jobsOf(first.id);
    expect(alert).toMatchObject({ type: 'case.alert', status: 'done' });
    expect(escalation).toEqual({ type: 'case.escalate', run_at: first.due_at, status: 'queued' });
    // Asked again (a retried alert), it is still one escalation.
    await caseAlertHandler.onFailed?.({ caseId: first.id }, alertContext(), 'again');
    expect((await jobsOf(first.id)).map((j) => j.type)).toEqual(['case.alert', 'case.escalate']);
    // An alert that failed for good (its mail server gone) still schedules the escalation.
    const unalerted = await customer(piet.id);
    await answer(unalerted.token, { score: 4 });
    const [second] = await casesOf(unalerted.contact.id);
    if (!second) throw new Error('no case');
    await caseAlertHandler.onFailed?.({ caseId: second.id }, alertContext(), 'smtp down');
    expect((await jobsOf(second.id)).filter((j) => j.type === 'case.escalate')).toEqual([
      { type: 'case.escalate', run_at: second.due_at, status: 'queued' },
    ]);
  });

  it('gives up an escalation that ran out of attempts: the outbox shows its mail failed, the case log says it did not arrive', async () => {
    const { row, escalate, mails } = await overdueCase();
    const job = newId();
    const down = { ...t.deps, config: { ...t.deps.config, SMTP_URL: 'smtp://127.0.0.1:1' } };
    const context = { ...t.deps, organisationId: org, jobId: job, attempt: 10, maxAttempts: 10 };
    const escalationMails = () =>
      t.db.kysely
        .selectFrom('emails')
        .select(['status', 'failure'])
        .where('organisation_id', '=', org)
        .where('kind', '=', 'case_escalation')
        .where('message_id', 'like', `<${row.id}.escalation.%`)
        .execute();
    await expect(escalate(job, down)).rejects.toThrow();
    // Between attempts the mail waits, saying why.
    expect(await escalationMails()).toEqual([{ status: 'queued', failure: 'unreachable' }]);
    await caseEscalationHandler.onFailed?.({ caseId: row.id }, context, 'connect ECONNREFUSED');
    expect(mails()).toEqual([]);
    expect(await escalationMails()).toEqual([{ status: 'failed', failure: 'unreachable' }]);
    const detail = (await teamManager.request({ url: `/api/v1/cases/${row.id}` })).json<CaseJson>();
    expect(detail.log.filter((l) => l.type === 'escalation-failed')).toEqual([
      expect.objectContaining({ detail: { failure: 'unreachable', mails: 1 } }),
    ]);
    // Nothing more is said when it is asked again: nothing waits any more.
    await caseEscalationHandler.onFailed?.({ caseId: row.id }, context, 'again');
    const again = (await teamManager.request({ url: `/api/v1/cases/${row.id}` })).json<CaseJson>();
    expect(again.log.filter((l) => l.type === 'escalation-failed')).toHaveLength(1);
  });

  it('says in the log that the owner’s alert did not arrive, unless someone already acted', async () => {
    const context = {
      ...t.deps,
      organisationId: org,
      jobId: newId(),
      attempt: 10,
      maxAttempts: 10,
    };
    const failedAlerts = async (id: string) =>
      (await teamManager.request({ url: `/api/v1/cases/${id}` }))
        .json<CaseJson>()
        .log.filter((l) => l.type === 'alert-failed');
    const waiting = await customer(piet.id);
    await answer(waiting.token, { score: 2 });
    const [open] = await casesOf(waiting.contact.id);
    if (!open) throw new Error('no case');
    await caseAlertHandler.onFailed?.({ caseId: open.id }, context, 'smtp down');
    expect(await failedAlerts(open.id)).toHaveLength(1);
    // Called in the meantime: the log does not ask anyone to act.
    const called = await customer(piet.id);
    await answer(called.token, { score: 2 });
    const [contacted] = await casesOf(called.contact.id);
    if (!contacted) throw new Error('no case');
    await pietLogin.request({
      method: 'POST',
      url: `/api/v1/cases/${contacted.id}/contact-moments`,
      payload: { channel: 'phone' },
    });
    await caseAlertHandler.onFailed?.({ caseId: contacted.id }, context, 'smtp down');
    expect(await failedAlerts(contacted.id)).toEqual([]);
    // The alert went out, but recording it failed until the job ran out of attempts: it arrived.
    const mailed = await customer(piet.id);
    await answer(mailed.token, { score: 2 });
    const [sent] = await casesOf(mailed.contact.id);
    if (!sent) throw new Error('no case');
    await caseAlertHandler.run({ caseId: sent.id }, context);
    await t.db.kysely
      .updateTable('cases')
      .set({ alerted_at: null })
      .where('id', '=', sent.id)
      .execute();
    await caseAlertHandler.onFailed?.({ caseId: sent.id }, context, 'database gone');
    expect(await failedAlerts(sent.id)).toEqual([]);
  });

  it('does not escalate a case that was contacted in time', async () => {
    t.clock.now = Date.parse('2026-12-07T10:00+01:00');
    const { contact, token } = await customer(piet.id);
    await answer(token, { score: 2 });
    const [row] = await casesOf(contact.id);
    await pietLogin.request({
      method: 'POST',
      url: `/api/v1/cases/${row?.id}/contact-moments`,
      payload: { channel: 'email' },
    });
    t.clock.now = (row?.due_at ?? 0) + HOUR;
    await drain();
    const after = await casesOf(contact.id);
    const escalated = await t.db.kysely
      .selectFrom('cases')
      .select('escalated_at')
      .where('id', '=', row?.id ?? '')
      .executeTakeFirstOrThrow();
    expect(after[0]?.status).toBe('contacted');
    expect(escalated.escalated_at).toBeNull();
  });

  it('reports the closed loop for the owner, per owner and team', async () => {
    // One case resolved after a call, one closed by the customer's own edit, one for Piet.
    const a = await customer(sanne.id);
    await answer(a.token, { score: 4 });
    const [ca] = await casesOf(a.contact.id);
    await sanneLogin.request({
      method: 'POST',
      url: `/api/v1/cases/${ca?.id}/contact-moments`,
      payload: { channel: 'phone' },
    });
    await sanneLogin.request({
      method: 'POST',
      url: `/api/v1/cases/${ca?.id}/status`,
      payload: { status: 'resolved' },
    });
    const b = await customer(sanne.id);
    await answer(b.token, { score: 3 });
    await answer(b.token, { score: 9 });
    const c = await customer(piet.id);
    await answer(c.token, { score: 2 });
    const [cc] = await casesOf(c.contact.id);
    await pietLogin.request({
      method: 'POST',
      url: `/api/v1/cases/${cc?.id}/contact-moments`,
      payload: { channel: 'email' },
    });
    const res = await owner.request({ url: '/api/v1/case-report?from=2026-11-01&to=2026-12-31' });
    expect(res.statusCode).toBe(200);
    const report = res.json<{
      overall: {
        cases: number;
        resolved: number;
        changedByCustomer: number;
        firstContact: { count: number };
        resolution: { count: number };
      };
      byOwner: { name: string | null; cases: number }[];
    }>();
    expect(report.overall.resolved).toBeGreaterThanOrEqual(1);
    expect(report.overall.changedByCustomer).toBeGreaterThanOrEqual(1);
    expect(report.overall.firstContact.count).toBeGreaterThanOrEqual(2);
    expect(report.overall.resolution.count).toBeGreaterThanOrEqual(1);
    expect(report.byOwner.map((g) => g.name)).toEqual(
      expect.arrayContaining(['Sanne de Boer', 'Piet Bakker']),
    );
    const sanneReport = (
      await sanneLogin.request({ url: '/api/v1/case-report?from=2026-11-01&to=2026-12-31' })
    ).json<{
      byOwner: { name: string | null }[];
    }>();
    expect(sanneReport.byOwner.map((g) => g.name)).toEqual(['Sanne de Boer']);
  });

  it('exports a contact’s cases with notes, and erasure removes the notes but keeps the case', async () => {
    const { contact, token } = await customer(sanne.id);
    await answer(token, { score: 2 });
    const [row] = await casesOf(contact.id);
    await sanneLogin.request({
      method: 'POST',
      url: `/api/v1/cases/${row?.id}/notes`,
      payload: { note: 'Klant heeft een nieuwe baan bij de concurrent' },
    });
    const exported = await owner.request({ url: `/api/v1/contacts/${contact.id}/export` });
    expect(exported.body).toContain('Klant heeft een nieuwe baan bij de concurrent');
    // The export answers a person's request (owners and admins); it is no side door to the notes
    // for a viewer, who reads no cases, nor for the account manager whose customer it is.
    const viewer = await buildMember(t, org, 'viewer');
    const url = `/api/v1/contacts/${contact.id}/export`;
    expect((await viewer.request({ url })).statusCode).toBe(403);
    expect((await sanneLogin.request({ url })).statusCode).toBe(403);
    const erased = await owner.request({
      method: 'POST',
      url: `/api/v1/contacts/${contact.id}/erase`,
    });
    expect(erased.statusCode).toBeLessThan(300);
    const notes = await t.db.kysely
      .selectFrom('case_events')
      .select('body')
      .where('case_id', '=', row?.id ?? '')
      .execute();
    expect(notes.every((n) => n.body === null)).toBe(true);
    expect(await casesOf(contact.id)).toHaveLength(1);
  });

  it('takes no new note about a customer whose data was erased, but still lets the case be closed', async () => {
    const { contact, token } = await customer(sanne.id);
    await answer(token, { score: 1 });
    const [row] = await casesOf(contact.id);
    const url = `/api/v1/cases/${row?.id}`;
    const erased = await owner.request({
      method: 'POST',
      url: `/api/v1/contacts/${contact.id}/erase`,
    });
    expect(erased.statusCode).toBeLessThan(300);
    type Refusal = { error: { code: string; fields: { field: string; message: string }[] } };
    for (const [path, payload] of [
      ['notes', { note: 'Nog eens gebeld, klant was boos over de rekening' }],
      ['contact-moments', { channel: 'phone', note: 'Teruggebeld over de rekening' }],
      ['status', { status: 'contacted', note: 'Gesproken over de rekening' }],
    ] as const) {
      const res = await sanneLogin.request({ method: 'POST', url: `${url}/${path}`, payload });
      expect(res.statusCode, `${path}: ${res.body}`).toBe(409);
      expect(res.json<Refusal>().error.fields[0]).toMatchObject({
        field: 'note',
        message:
          'Notitie kan niet meer worden toegevoegd: de gegevens van deze klant zijn gewist (AVG)',
      });
    }
    const bodies = await t.db.kysely
      .selectFrom('case_events')
      .select('body')
      .where('case_id', '=', row?.id ?? '')
      .execute();
    expect(bodies.every((b) => b.body === null)).toBe(true);
    // Without a note the case still moves on, so the loop can be closed.
    const closed = await sanneLogin.request({
      method: 'POST',
      url: `${url}/status`,
      payload: { status: 'contacted' },
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json<CaseJson>()).toMatchObject({ status: 'contacted' });
  });
});
