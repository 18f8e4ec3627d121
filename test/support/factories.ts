import type { Executor } from '../../src/db/database.ts';
import type { Actor } from '../../src/modules/auth/actor.ts';
import type {
  AccountTable,
  ContactTable,
  EmployeeTable,
  InvitationTable,
  ResponseTable,
  SurveyTable,
  WebhookEndpointTable,
} from '../../src/db/schema.ts';
import { phoneKey } from '../../src/domain/identity/identity.ts';
import { categorise } from '../../src/domain/scoring/nps.ts';
import { newId, newToken } from '../../src/shared/ids.ts';
import { applyAnswers } from '../../src/modules/analytics/rollups.service.ts';
import { accountSearchText } from '../../src/modules/accounts/accounts.service.ts';
import { refreshContactFacts } from '../../src/modules/loyalty/contact-facts.repository.ts';
import type { AnswerInput } from '../../src/modules/responses/responses.schemas.ts';
import { WEBHOOK_EVENT_TYPES } from '../../src/modules/webhooks/webhook-catalogue.ts';

/**
 * Row factories for SQL and API tests: insert straight through Kysely with sensible defaults, so a
 * test names only what matters to it (`buildInvitation(db, { expiresAt: … })`). Timestamps default
 * to a fixed moment, not the wall clock, so tests never depend on when they run.
 */
export const FACTORY_NOW = Date.UTC(2026, 10, 1, 9, 0, 0);
const DAY = 24 * 60 * 60 * 1000;

export async function buildEmployee(
  db: Executor,
  organisationId: string,
  overrides: Partial<EmployeeTable> = {},
): Promise<EmployeeTable> {
  const row: EmployeeTable = {
    id: newId(),
    organisation_id: organisationId,
    name: 'Sanne de Boer',
    email: null,
    team: null,
    search_text: '',
    created_at: FACTORY_NOW,
    updated_at: FACTORY_NOW,
    ...overrides,
  };
  row.search_text ||= row.name.toLowerCase();
  await db.insertInto('employees').values(row).execute();
  return row;
}

export async function buildAccount(
  db: Executor,
  organisationId: string,
  overrides: Partial<AccountTable> = {},
): Promise<AccountTable> {
  const row: AccountTable = {
    id: newId(),
    organisation_id: organisationId,
    external_id: null,
    name: 'Bakkerij Bakker',
    segment: null,
    owner_employee_id: null,
    search_text: '',
    created_at: FACTORY_NOW,
    updated_at: FACTORY_NOW,
    ...overrides,
  };
  row.search_text ||= accountSearchText(row.name);
  await db.insertInto('accounts').values(row).execute();
  return row;
}

export async function buildSurvey(
  db: Executor,
  organisationId: string,
  overrides: Partial<Omit<SurveyTable, 'settings'>> & { settings?: string | object } = {},
): Promise<SurveyTable> {
  const { settings, ...rest } = overrides;
  const row: SurveyTable = {
    id: newId(),
    organisation_id: organisationId,
    name: 'NPS 2026',
    status: 'active',
    anonymous_token: newToken(),
    creation_key: null,
    created_at: FACTORY_NOW,
    updated_at: FACTORY_NOW,
    ...rest,
    settings: typeof settings === 'string' ? settings : JSON.stringify(settings ?? {}),
  };
  await db.insertInto('surveys').values(row).execute();
  return row;
}

export async function buildContact(
  db: Executor,
  organisationId: string,
  overrides: Partial<ContactTable> = {},
): Promise<ContactTable> {
  const id = newId();
  const row: ContactTable = {
    id,
    organisation_id: organisationId,
    external_id: null,
    name: 'Jan Jansen',
    first_name: null,
    salutation: null,
    email: `klant-${id.slice(-12)}@example.nl`,
    email_key: null,
    phone: null,
    phone_key: null,
    language: 'nl',
    owner_employee_id: null,
    account_id: null,
    segment: null,
    location_id: null,
    attributes: '{}',
    consent_status: 'unknown',
    consent_source: null,
    consent_at: null,
    unsubscribed_at: null,
    bounced_at: null,
    erased_at: null,
    search_text: '',
    created_at: FACTORY_NOW,
    updated_at: FACTORY_NOW,
    ...overrides,
  };
  row.email_key ??= row.email?.toLowerCase() ?? null;
  row.phone_key ??= phoneKey(row.phone);
  // Without a phone the column is left out: upgrade tests seed schemas older than migration 0059.
  const { phone_key, ...older } = row;
  await db
    .insertInto('contacts')
    .values(phone_key === null ? older : row)
    .execute();
  return row;
}

/** A sent invitation with a live personal link (expires 30 days after `planned_at`). */
export async function buildInvitation(
  db: Executor,
  refs: { organisationId: string; surveyId: string; contactId: string },
  overrides: Partial<InvitationTable> = {},
): Promise<InvitationTable> {
  const plannedAt = overrides.planned_at ?? FACTORY_NOW;
  const row: InvitationTable = {
    id: newId(),
    organisation_id: refs.organisationId,
    survey_id: refs.surveyId,
    send_id: null,
    contact_id: refs.contactId,
    account_id: null,
    channel: 'email',
    token: newToken(),
    message_id: `<${newId()}@loyaal.test>`,
    status: 'sent',
    planned_at: plannedAt,
    sent_at: plannedAt,
    clicked_at: null,
    responded_at: null,
    bounced_at: null,
    reminder_planned_at: null,
    reminder_sent_at: null,
    expires_at: plannedAt + 30 * DAY,
    created_at: plannedAt,
    skip_reason: null,
    ...overrides,
  };
  await db.insertInto('invitations').values(row).execute();
  // What invitation.sent's loyalty subscriber does in production: a non-respondent's origin.
  if (row.sent_at !== null) {
    await refreshContactFacts(db, row.organisation_id, [row.contact_id], row.sent_at);
  }
  return row;
}

/** An answer's row, not stored; category follows the score unless a test overrides it on purpose. */
export function responseRow(
  refs: { organisationId: string; surveyId: string },
  overrides: Partial<ResponseTable> = {},
): ResponseTable {
  const score = overrides.score ?? 9;
  const answeredAt = overrides.answered_at ?? FACTORY_NOW;
  return {
    id: newId(),
    organisation_id: refs.organisationId,
    survey_id: refs.surveyId,
    invitation_id: null,
    contact_id: null,
    channel: 'email',
    score,
    category: categorise(score),
    comment: null,
    employee_score: null,
    may_contact: 0,
    ambassador_opt_in: 0,
    locale: 'nl',
    owner_employee_id: null,
    account_id: null,
    segment: null,
    location_id: null,
    device_key: null,
    answered_at: answeredAt,
    updated_at: answeredAt,
    closes_at: answeredAt + 7 * DAY,
    created_at: answeredAt,
    anonymised_at: null,
    ...overrides,
  };
}

/** A stored answer (`responseRow`), with the rollups and loyalty facts its storing keeps. */
export async function buildResponse(
  db: Executor,
  refs: { organisationId: string; surveyId: string },
  overrides: Partial<ResponseTable> = {},
): Promise<ResponseTable> {
  const row = responseRow(refs, overrides);
  await db.insertInto('responses').values(row).execute();
  // What storeAnswers' response.saved subscriber does in production: keep the rollups in step. In
  // shard 0, as a rebuild writes: the seeds of upgrade tests run on schemas older than the claimed
  // shards (migration 0058).
  await applyAnswers(
    db,
    [
      {
        organisationId: row.organisation_id,
        surveyId: row.survey_id,
        channel: row.channel,
        segment: row.segment,
        ownerEmployeeId: row.owner_employee_id,
        locationId: row.location_id,
        answeredAt: row.answered_at,
        score: row.score,
        previousScore: null,
      },
    ],
    0,
  );
  // And the loyalty report's facts per contact (response.saved's loyalty subscriber).
  if (row.contact_id !== null) {
    await refreshContactFacts(db, row.organisation_id, [row.contact_id], row.answered_at);
  }
  return row;
}

/** The answer the one-click score in the email sends: a score, no comment, no opt-ins. */
export const scoreAnswer = (score: number): AnswerInput => ({
  score,
  comment: null,
  employeeScore: null,
  mayContact: false,
  ambassadorOptIn: false,
});

/**
 * An enabled webhook endpoint for every event (`events` narrows it). Its secret is a placeholder
 * that cannot be unsealed: enough for tests that look at the deliveries and jobs an answer writes,
 * not for tests that run the worker's delivery.
 */
export async function buildWebhookEndpoint(
  db: Executor,
  organisationId: string,
  overrides: Partial<Omit<WebhookEndpointTable, 'events'>> & { events?: readonly string[] } = {},
): Promise<WebhookEndpointTable> {
  const { events, ...rest } = overrides;
  const row: WebhookEndpointTable = {
    id: newId(),
    organisation_id: organisationId,
    url: 'https://hooks.example.nl/loyaal',
    description: 'test',
    events: JSON.stringify(events ?? WEBHOOK_EVENT_TYPES),
    format: 'standard',
    enabled: 1,
    disabled_reason: null,
    secret_sealed: 'never-unsealed-in-this-test',
    previous_secret_sealed: null,
    previous_secret_until: null,
    created_at: FACTORY_NOW,
    updated_at: FACTORY_NOW,
    ...rest,
  };
  await db.insertInto('webhook_endpoints').values(row).execute();
  return row;
}

/** An owner's API key as the acting party, for calling a service directly in a test. */
export function ownerActor(organisationId: string): Actor {
  return {
    kind: 'api_key',
    id: newId(),
    organisationId,
    role: 'owner',
    employeeId: null,
    locale: 'nl',
  };
}
