import type { Executor } from '../../db/database.ts';
import type {
  AccountTable,
  ConsentEventTable,
  ContactTable,
  EmployeeTable,
  InvitationTable,
  ResponseTable,
} from '../../db/schema.ts';
import { phoneKey } from '../../domain/identity/identity.ts';
import { categorise } from '../../domain/scoring/nps.ts';
import { AppError } from '../../shared/errors.ts';
import { newId, newToken } from '../../shared/ids.ts';
import { accountSearchText } from '../accounts/accounts.service.ts';
import { contactSearchText } from '../contacts/contacts.service.ts';
import { employeeSearchText } from '../employees/employees.service.ts';
import { createOrganisationWithOwner } from '../organisations/organisations.service.ts';
import { settingsSchema } from '../organisations/organisation-settings.ts';
import { updateOrganisation } from '../organisations/organisations.repository.ts';
import { createSurveySchema } from '../surveys/surveys.schemas.ts';
import { createSurvey } from '../surveys/surveys.service.ts';
import {
  CASE_NOTES,
  demoComment,
  demoPerson,
  demoScore,
  pick,
  seededRandom,
  WORKSHOP_VISITS,
} from './demo-data.ts';
import {
  analyseDemoTables,
  findDemoCases,
  findOrganisationByName,
  insertDemo,
  settleSimulatedJobs,
} from './demo.repository.ts';
import { applyAnswers } from '../analytics/rollups.service.ts';
import { rebuildContactFacts } from '../loyalty/contact-facts.repository.ts';
import type { Deps } from '../../platform/deps.ts';
import { emit } from '../../platform/events/emit.ts';
import type { Actor } from '../auth/actor.ts';
import { actOnCase } from '../cases/cases.service.ts';
import { responseSaved } from '../responses/responses.events.ts';
import { responseSavedData } from '../responses/store-answers.ts';
import { recordVisits, type NewVisit } from '../visits/visits.service.ts';

const DAY = 86_400_000;
/**
 * How far back the answers go through the application's own path (`response.saved`): the cases
 * module opens their cases as it would have, so Opvolging shows the recent closed loop.
 */
const LIVE_WEEKS = 7;
export const DEMO_ORGANISATION = 'Garage De Vries';
/** The demo's published password (README): the demo belongs in a database of its own. */
export const DEMO_PASSWORD = 'loyaal-demo-2026';

/** Five employees with a different story each: a steady one, a real riser, one who slips. */
const EMPLOYEES = [
  { name: 'Jan de Vries', email: 'jan@garagedevries.nl', team: 'Werkplaats', nps: 45, trend: 0 },
  { name: 'Sanne Bakker', email: 'sanne@garagedevries.nl', team: 'Werkplaats', nps: 20, trend: 25 },
  {
    name: 'Mohamed El Amrani',
    email: 'mohamed@garagedevries.nl',
    team: 'Verkoop',
    nps: 50,
    trend: 5,
  },
  { name: 'Lisa Jansen', email: 'lisa@garagedevries.nl', team: 'Verkoop', nps: 35, trend: -20 },
  { name: 'Kees van Dijk', email: 'kees@garagedevries.nl', team: 'Werkplaats', nps: 10, trend: 10 },
];

const BUSINESSES = [
  'Bakkerij Çelik',
  "Installatiebedrijf Van 't Hof",
  'Schildersbedrijf Mulder',
  'Hovenier Groenrijk',
  'Loodgieter Dekker',
  'Kinderopvang De Zonnebloem',
  'Fysiotherapie Zeist',
  'Taxi Utrecht-Oost',
  'Bloemenhuis Prins',
  'Koeriersdienst Snel',
  'Dierenkliniek De Bilt',
  'Elektro Brouwer',
];

export interface DemoOptions {
  contacts?: number;
  ownerEmail?: string;
  password?: string;
  seed?: number;
  now?: number;
}

export interface DemoSummary {
  organisationId: string;
  ownerEmail: string;
  contacts: number;
  invitations: number;
  responses: number;
  bounced: number;
  unsubscribed: number;
}

/**
 * Builds a living demo: "Garage De Vries" with 4,000 customers, five account managers and two years
 * of continuous NPS (each customer asked at most once a year, in twelve monthly waves, contacts of
 * one client company three months apart), with Dutch and English comments, reminders, a few bounces
 * and unsubscribes; the recent detractors' cases, worked by staff; the opted-in promoters as
 * ambassadors; workshop visits before and after the answers. Cases, ambassadors and visits come
 * from the modules' own paths (`response.saved`, `actOnCase`, `recordVisits`), not hand-made rows.
 * Everything is written in one transaction: the demo exists whole or not at all.
 */
export async function seedDemo(
  deps: Pick<Deps, 'db' | 'config' | 'platform'>,
  options: DemoOptions = {},
): Promise<DemoSummary> {
  const db = deps.db;
  const size = options.contacts ?? 4000;
  const now = options.now ?? Date.now();
  const start = now - 730 * DAY;
  const rand = seededRandom(options.seed ?? 20261122);
  const ownerEmail = options.ownerEmail ?? 'demo@garagedevries.nl';
  const password = options.password ?? DEMO_PASSWORD;

  return db.kysely.transaction().execute(async (trx) => {
    if (await findOrganisationByName(trx, DEMO_ORGANISATION)) {
      throw new AppError('conflict', { issues: [{ field: 'organisation', problem: 'taken' }] });
    }
    const { organisationId, userId } = await createOrganisationWithOwner(
      trx,
      {
        organisationName: DEMO_ORGANISATION,
        locale: 'nl',
        name: 'Piet de Vries',
        email: ownerEmail,
        password,
      },
      start,
    );
    const system = { kind: 'system' as const, organisationId };
    // Its history is simulated and its addresses are made up: it must never send real mail.
    await updateOrganisation(
      trx,
      organisationId,
      { settings: JSON.stringify(settingsSchema.parse({ demo: true })) },
      start,
    );

    const employees: EmployeeTable[] = EMPLOYEES.map((e) => ({
      id: newId(),
      organisation_id: organisationId,
      name: e.name,
      email: e.email,
      team: e.team,
      search_text: employeeSearchText(e.name),
      created_at: start,
      updated_at: start,
    }));
    await insertDemo.employees(trx, employees);

    const accounts: AccountTable[] = BUSINESSES.map((name, i) => ({
      id: newId(),
      organisation_id: organisationId,
      external_id: `B${1000 + i}`,
      name,
      segment: 'zakelijk',
      owner_employee_id: employees[i % employees.length]?.id ?? null,
      search_text: accountSearchText(name),
      created_at: start,
      updated_at: start,
    }));
    await insertDemo.accounts(trx, accounts);

    const survey = await createSurvey(
      trx,
      system,
      createSurveySchema.parse({ name: 'Klanttevredenheid werkplaats', status: 'active' }),
      start,
    );

    const contacts: ContactTable[] = [];
    const invitations: InvitationTable[] = [];
    const responses: ResponseTable[] = [];
    const consent: ConsentEventTable[] = [];
    const perAccount = new Map<string, number>();
    let bounced = 0;
    let unsubscribed = 0;

    for (let n = 0; n < size; n++) {
      const person = demoPerson(rand, n);
      const account = rand() < 0.12 ? pick(rand, accounts) : null;
      const employeeIndex = account
        ? accounts.indexOf(account) % employees.length
        : Math.floor(rand() * employees.length);
      const employee = EMPLOYEES[employeeIndex] ?? EMPLOYEES[0];
      const employeeRow = employees[employeeIndex];
      const createdAt = start - Math.floor(rand() * 365) * DAY;
      const contact: ContactTable = {
        id: newId(),
        organisation_id: organisationId,
        external_id: `K${10000 + n}`,
        name: person.name,
        first_name: person.firstName,
        salutation: null,
        email: person.email,
        email_key: person.email,
        phone: person.phone,
        phone_key: phoneKey(person.phone),
        language: person.language,
        owner_employee_id: employeeRow?.id ?? null,
        account_id: account?.id ?? null,
        segment: account ? 'zakelijk' : rand() < 0.08 ? 'lease' : 'particulier',
        location_id: null,
        attributes: JSON.stringify({
          kenteken: person.plate,
          merk: person.make,
          woonplaats: person.city,
        }),
        consent_status: 'unknown',
        consent_source: null,
        consent_at: null,
        unsubscribed_at: null,
        bounced_at: null,
        erased_at: null,
        search_text: '',
        created_at: createdAt,
        updated_at: createdAt,
      };
      contact.search_text = contactSearchText(contact);
      contacts.push(contact);

      // Twelve monthly waves; contacts of one account three months apart (account budget: 90 days).
      const k = account ? (perAccount.get(account.id) ?? 0) : 0;
      if (account) perAccount.set(account.id, k + 1);
      const wave = account ? (accounts.indexOf(account) + k * 3) % 12 : Math.floor(rand() * 12);
      // A wave's customers are asked over its month (a company's within its first 20 days, to keep
      // its contacts three months apart), so the last weeks before today have answers too.
      const spread = account ? 20 : 30;
      for (const year of [0, 1]) {
        const sentAt = start + (year * 365 + wave * 30.4 + rand() * spread) * DAY;
        if (sentAt > now - DAY || contact.bounced_at !== null || contact.unsubscribed_at !== null)
          continue;
        const invitationId = newId();
        const invitation: InvitationTable = {
          id: invitationId,
          organisation_id: organisationId,
          survey_id: survey.id,
          send_id: null,
          contact_id: contact.id,
          account_id: contact.account_id,
          channel: 'email',
          token: newToken(),
          message_id: `<${invitationId}@demo.loyaal.local>`,
          status: 'sent',
          planned_at: Math.floor(sentAt),
          sent_at: Math.floor(sentAt),
          clicked_at: null,
          responded_at: null,
          bounced_at: null,
          reminder_planned_at: null,
          reminder_sent_at: null,
          expires_at: Math.floor(sentAt + 30 * DAY),
          skip_reason: null,
          created_at: Math.floor(sentAt),
        };
        invitations.push(invitation);
        const r = rand();
        if (r < 0.012) {
          invitation.status = 'bounced';
          invitation.bounced_at = invitation.sent_at;
          contact.bounced_at = invitation.sent_at;
          consent.push({
            id: newId(),
            organisation_id: organisationId,
            contact_id: contact.id,
            kind: 'bounced',
            source: `email:${invitationId}`,
            created_at: Math.floor(sentAt),
          });
          bounced++;
          continue;
        }
        if (r < 0.027) {
          contact.unsubscribed_at = Math.floor(sentAt + DAY);
          consent.push({
            id: newId(),
            organisation_id: organisationId,
            contact_id: contact.id,
            kind: 'unsubscribed',
            source: `email:${invitationId}`,
            created_at: contact.unsubscribed_at,
          });
          unsubscribed++;
          continue;
        }
        const reminded = rand() < 0.55;
        if (reminded) invitation.reminder_sent_at = Math.floor(sentAt + 5 * DAY);
        const answers = rand() < (reminded ? 0.22 : 0.3) + 0.1;
        if (rand() < 0.5 || answers) invitation.clicked_at = Math.floor(sentAt + rand() * 2 * DAY);
        if (!answers) continue;
        const answeredAt = Math.floor((invitation.clicked_at ?? sentAt) + rand() * 3_600_000);
        if (answeredAt > now) continue;
        const years = (answeredAt - start) / (365 * DAY);
        const score = demoScore(rand, employee ? employee.nps + employee.trend * years : 30);
        const category = categorise(score);
        invitation.clicked_at ??= answeredAt;
        invitation.responded_at = answeredAt;
        responses.push({
          id: newId(),
          organisation_id: organisationId,
          survey_id: survey.id,
          invitation_id: invitationId,
          contact_id: contact.id,
          channel: 'email',
          score,
          category,
          comment: demoComment(rand, contact.language, category, employee?.name.split(' ')[0]),
          employee_score: null,
          may_contact: category !== 'promoter' && rand() < 0.5 ? 1 : 0,
          ambassador_opt_in: category === 'promoter' && rand() < 0.3 ? 1 : 0,
          locale: contact.language,
          owner_employee_id: contact.owner_employee_id,
          account_id: contact.account_id,
          segment: contact.segment,
          location_id: contact.location_id,
          device_key: null,
          answered_at: answeredAt,
          updated_at: answeredAt,
          closes_at: answeredAt + 7 * DAY,
          created_at: answeredAt,
          anonymised_at: null,
        });
      }
    }

    await insertDemo.contacts(trx, contacts);
    await insertDemo.consentEvents(trx, consent);
    await insertDemo.invitations(trx, invitations);
    await insertDemo.responses(trx, responses);
    // The last weeks' answers, and every promoter who opted in as ambassador, reach the modules as
    // any answer does: `response.saved` in this transaction, at the moment it was given. The cases
    // module opens the detractors' cases, the ambassadors module enrols the opted-in promoters
    // with the survey's consent text, the rollups count them. The older answers are only counted.
    const liveFrom = now - LIVE_WEEKS * 7 * DAY;
    const live = (r: ResponseTable) => r.answered_at >= liveFrom || r.ambassador_opt_in === 1;
    await applyAnswers(
      trx,
      responses
        .filter((r) => !live(r))
        .map((r) => ({
          organisationId: r.organisation_id,
          surveyId: r.survey_id,
          channel: r.channel,
          segment: r.segment,
          ownerEmployeeId: r.owner_employee_id,
          locationId: r.location_id,
          answeredAt: r.answered_at,
          score: r.score,
          previousScore: null,
        })),
    );
    const eventDeps: Deps = { ...deps, now: () => now };
    const replayed = responses.filter(live).sort((a, b) => a.answered_at - b.answered_at);
    for (const r of replayed) {
      await emit(
        trx,
        eventDeps,
        responseSaved,
        [
          {
            organisationId,
            data: responseSavedData({ ...r, has_comment: r.comment === null ? 0 : 1 }, null),
          },
        ],
        r.answered_at,
      );
    }
    // Staff worked the cases as a garage would: the older ones closed with a note, the recent
    // ones contacted or still open, one or two left overdue.
    const owner: Actor = {
      kind: 'user',
      id: userId,
      organisationId,
      role: 'owner',
      employeeId: null,
      locale: 'nl',
    };
    await workCases(trx, eventDeps, owner, now, seededRandom((options.seed ?? 20261122) + 1));
    // The workshop visits, through the visits module as an import brings them: the customers'
    // earlier visits and their returns, more often after a high score (the loyalty report's
    // returners). The organisation has no visit trigger, so they invite nobody.
    await recordVisits(
      trx,
      eventDeps,
      organisationId,
      demoVisits(
        invitations,
        responses,
        contacts,
        now,
        seededRandom((options.seed ?? 20261122) + 2),
      ),
      'import',
      now,
    );
    await analyseDemoTables(trx, db.dialect);
    // The loyalty report's facts per customer, as the subscribers would have kept them.
    await rebuildContactFacts(trx, organisationId, now);
    await settleSimulatedJobs(trx, organisationId, now);
    return {
      organisationId,
      ownerEmail,
      contacts: contacts.length,
      invitations: invitations.length,
      responses: responses.length,
      bounced,
      unsubscribed,
    };
  });
}

/**
 * Chance that a customer comes back to the workshop within a year of their answer (or of an
 * invitation they left unanswered).
 */
const RETURNS = { promoter: 0.75, passive: 0.55, detractor: 0.3, silent: 0.5 } as const;

/**
 * Visits as the garage's workshop system would send them: one or two in the year before a
 * customer's first invitation, and after every invitation a return 3 weeks to 11 months later
 * (when that lies in the past), with a chance that rises with the customer's score.
 */
function demoVisits(
  invitations: readonly InvitationTable[],
  responses: readonly ResponseTable[],
  contacts: readonly ContactTable[],
  now: number,
  rand: () => number,
): NewVisit[] {
  const externalIds = new Map(contacts.map((c) => [c.id, c.external_id]));
  const visits: NewVisit[] = [];
  const add = (contactId: string | null, visitedAt: number) => {
    const externalId = contactId === null ? null : (externalIds.get(contactId) ?? null);
    if (externalId === null || visitedAt >= now) return;
    const kind = pick(rand, WORKSHOP_VISITS);
    visits.push({
      externalId: `W${100000 + visits.length}`,
      customer: { externalId, email: null, phone: null },
      visitedAt: Math.floor(visitedAt),
      amountCents: Math.round((kind.from + rand() * (kind.to - kind.from)) / 100) * 100,
      kind: kind.kind,
      location: null,
      status: 'completed',
    });
  };
  const answers = new Map(responses.map((r) => [r.invitation_id, r]));
  const known = new Set<string>();
  for (const i of invitations) {
    const sentAt = i.sent_at ?? i.planned_at;
    if (!known.has(i.contact_id)) {
      // A customer of the garage before the first invitation: one or two visits in the year before.
      known.add(i.contact_id);
      add(i.contact_id, sentAt - (2 + rand() * 180) * DAY);
      if (rand() < 0.4) add(i.contact_id, sentAt - (190 + rand() * 170) * DAY);
    }
    const answer = answers.get(i.id);
    const from = answer?.answered_at ?? sentAt;
    if (rand() < (answer ? RETURNS[answer.category] : RETURNS.silent)) {
      add(i.contact_id, from + (21 + rand() * 310) * DAY);
    }
  }
  return visits;
}

/**
 * Works the demo's cases through the cases module, as staff would have: a case three weeks or
 * older was called and closed (mostly resolved, now and then unresolvable), a younger one past its
 * first-contact deadline was called, one not yet due is still open. The oldest case of each of the
 * first two groups is left untouched: overdue, as a real inbox has one or two.
 */
async function workCases(
  trx: Executor,
  deps: Deps,
  owner: Actor,
  now: number,
  rand: () => number,
): Promise<void> {
  let leftOld = false;
  let leftRecent = false;
  for (const c of await findDemoCases(trx, owner.organisationId)) {
    const old = now - c.opened_at >= 21 * DAY;
    if (!old && c.due_at > now) continue;
    if (old ? !leftOld : !leftRecent) {
      if (old) leftOld = true;
      else leftRecent = true;
      continue;
    }
    const calledAt = Math.min(c.opened_at + Math.floor((0.2 + rand()) * DAY), c.due_at, now);
    await actOnCase(
      trx,
      deps,
      owner,
      c.id,
      { type: 'contact-moment', channel: 'phone', note: pick(rand, CASE_NOTES.called) },
      calledAt,
    );
    if (!old) continue;
    const closedAt = Math.min(calledAt + Math.floor((1 + rand() * 6) * DAY), now - DAY);
    const resolved = rand() >= 0.15;
    await actOnCase(
      trx,
      deps,
      owner,
      c.id,
      {
        type: 'status',
        status: resolved ? 'resolved' : 'unresolvable',
        note: pick(rand, resolved ? CASE_NOTES.resolved : CASE_NOTES.unresolvable),
      },
      closedAt,
    );
  }
}
