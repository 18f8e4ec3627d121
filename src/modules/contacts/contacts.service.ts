import type { Executor } from '../../db/database.ts';
import type { ContactTable, Locale } from '../../db/schema.ts';
import { phoneKey } from '../../domain/identity/identity.ts';
import type { Deps } from '../../platform/deps.ts';
import { emit } from '../../platform/events/emit.ts';
import { pageRequest, toPage } from '../../shared/cursor.ts';
import { AppError, forbidden, notFound, type FieldIssue } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { searchText } from '../../shared/text.ts';
import type { Actor } from '../auth/actor.ts';
import { inScope, narrowScope, recordScope } from '../auth/record-scope.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { findLocation } from '../locations/locations.repository.ts';
import { parseAttributes, presentContact, type consentEventSchema } from './contacts.presenter.ts';
import type { z } from 'zod';

type ConsentEventJson = z.output<typeof consentEventSchema>;
import { contactAccountChanged, contactOwnerChanged } from './contacts.events.ts';
import * as repo from './contacts.repository.ts';
import type {
  CreateContactInput,
  ListContactsInput,
  UpdateContactInput,
} from './contacts.schemas.ts';

export const emailKey = (email: string | null | undefined): string | null =>
  email ? email.trim().toLowerCase() : null;

export function contactSearchText(c: {
  name: string | null;
  email: string | null;
  phone: string | null;
  external_id: string | null;
  segment: string | null;
}): string {
  return searchText([c.name, c.email, c.phone, c.external_id, c.segment]);
}

export async function listContacts(db: Executor, actor: Actor, input: ListContactsInput) {
  const rows = await repo.listContacts(
    db,
    {
      organisationId: actor.organisationId,
      scope: narrowScope(recordScope(actor), input.ownerEmployeeId),
      accountId: input.accountId,
      segment: input.segment,
      status: input.status,
      q: input.q,
    },
    pageRequest(input),
  );
  return toPage(rows, input.limit, presentContact);
}

/** Reads one contact the actor may see; another organisation's id, or an account manager's
 * colleague's customer, is indistinguishable from a missing one. */
export async function getContactRow(db: Executor, actor: Actor, id: string) {
  const row = await repo.findContact(db, actor.organisationId, id);
  if (!row || !inScope(recordScope(actor), row.owner_employee_id)) throw notFound('contact');
  return row;
}

export async function getContact(db: Executor, actor: Actor, id: string) {
  return presentContact(await getContactRow(db, actor, id));
}

async function checkReferences(
  db: Executor,
  actor: Actor,
  input: {
    ownerEmployeeId?: string | null | undefined;
    accountId?: string | null | undefined;
    locationId?: string | null | undefined;
  },
  current: { location_id: string | null; account_id: string | null } | null = null,
): Promise<void> {
  const issues: FieldIssue[] = [];
  // A location must be one of the organisation's (another organisation's id reads as unknown) and
  // still offered: an archived one may stay on a contact that has it, not be newly given.
  if (input.locationId && input.locationId !== current?.location_id) {
    const location = await findLocation(db, actor.organisationId, input.locationId);
    if (!location) issues.push({ field: 'locationId', problem: 'unknown_location' });
    else if (location.archived_at !== null) {
      issues.push({ field: 'locationId', problem: 'archived_location' });
    }
  }
  if (
    input.ownerEmployeeId &&
    !(await repo.employeeExists(db, actor.organisationId, input.ownerEmployeeId))
  ) {
    issues.push({ field: 'ownerEmployeeId', problem: 'unknown_employee' });
  }
  // An account manager may link a customer only to an account of their own; a colleague's account
  // is answered like one that does not exist. The account the customer already has stays (the
  // contact screen sends the whole form back with every change).
  const scope = recordScope(actor);
  if (
    input.accountId &&
    input.accountId !== current?.account_id &&
    !(await repo.accountExists(db, actor.organisationId, input.accountId, scope))
  ) {
    issues.push({ field: 'accountId', problem: 'invalid_value' });
  }
  // An account manager may only assign customers to themselves.
  if (input.ownerEmployeeId !== undefined && !inScope(scope, input.ownerEmployeeId)) {
    throw new AppError('forbidden');
  }
  if (issues.length) throw new AppError('validation_failed', { issues });
}

/**
 * One contact per email address and per external id in an organisation (a second one would get
 * its own contact budget). A clash with a contact the actor can see is a 409 `taken` on the field.
 * A clash with a customer an account manager may not see is answered 403 `forbidden`, the answer
 * to every other action on a colleague's customer: it says neither `taken`, nor whose customer it
 * is, nor anything about them. That the address cannot be used is all an account manager can
 * learn, one address at a time, and it is inherent to one-contact-per-address.
 */
async function assertKeysFree(
  db: Executor,
  actor: Actor,
  selfId: string | null,
  keys: { externalId: string | null; emailKey: string | null },
): Promise<void> {
  const scope = recordScope(actor);
  for (const [field, key] of [
    ['externalId', { externalId: keys.externalId, emailKey: null }],
    ['email', { externalId: null, emailKey: keys.emailKey }],
  ] as const) {
    if (!key.externalId && !key.emailKey) continue;
    const other = await repo.findContactIdByKey(db, actor.organisationId, key);
    if (!other || other.id === selfId) continue;
    if (!inScope(scope, other.owner_employee_id)) throw forbidden();
    throw new AppError('conflict', { issues: [{ field, problem: 'taken' }] });
  }
}

export async function createContact(
  db: Executor,
  actor: Actor,
  input: CreateContactInput,
  now: number,
  defaultLocale: Locale,
) {
  const scope = recordScope(actor);
  // An account manager without a linked employee owns no customers, so cannot add one either.
  if (scope.kind === 'none') throw forbidden();
  const ownerEmployeeId =
    input.ownerEmployeeId ?? (scope.kind === 'employee' ? scope.employeeId : null);
  await checkReferences(db, actor, {
    ownerEmployeeId,
    accountId: input.accountId,
    locationId: input.locationId,
  });
  const row: ContactTable = {
    id: newId(),
    organisation_id: actor.organisationId,
    external_id: input.externalId ?? null,
    name: input.name ?? null,
    first_name: input.firstName ?? null,
    salutation: input.salutation ?? null,
    email: input.email ?? null,
    email_key: emailKey(input.email),
    phone: input.phone ?? null,
    phone_key: phoneKey(input.phone),
    language: input.language ?? defaultLocale,
    owner_employee_id: ownerEmployeeId,
    account_id: input.accountId ?? null,
    segment: input.segment ?? null,
    location_id: input.locationId ?? null,
    attributes: JSON.stringify(input.attributes ?? {}),
    consent_status: input.consent ?? 'unknown',
    consent_source: input.consent === 'granted' ? `${actor.kind}:${actor.id}` : null,
    consent_at: input.consent === 'granted' ? now : null,
    unsubscribed_at: null,
    bounced_at: null,
    erased_at: null,
    search_text: '',
    created_at: now,
    updated_at: now,
  };
  row.search_text = contactSearchText(row);
  await assertKeysFree(db, actor, null, {
    externalId: row.external_id,
    emailKey: row.email_key,
  });
  await repo.insertContact(db, row);
  if (row.consent_status === 'granted') {
    await repo.insertConsentEvent(db, {
      id: newId(),
      organisation_id: actor.organisationId,
      contact_id: row.id,
      kind: 'granted',
      source: row.consent_source ?? 'api',
      created_at: now,
    });
  }
  await recordAudit(
    db,
    actor,
    { action: 'contact.created', entityType: 'contact', entityId: row.id },
    now,
  );
  return presentContact(row);
}

export async function updateContact(
  db: Executor,
  deps: Deps,
  actor: Actor,
  id: string,
  input: UpdateContactInput,
  now: number,
) {
  const current = await getContactRow(db, actor, id);
  if (current.erased_at !== null) throw notFound('contact');
  await checkReferences(db, actor, input, current);
  const next = {
    external_id: input.externalId !== undefined ? input.externalId : current.external_id,
    name: input.name !== undefined ? input.name : current.name,
    first_name: input.firstName !== undefined ? input.firstName : current.first_name,
    salutation: input.salutation !== undefined ? input.salutation : current.salutation,
    email: input.email !== undefined ? input.email : current.email,
    phone: input.phone !== undefined ? input.phone : current.phone,
    language: input.language ?? current.language,
    owner_employee_id:
      input.ownerEmployeeId !== undefined ? input.ownerEmployeeId : current.owner_employee_id,
    account_id: input.accountId !== undefined ? input.accountId : current.account_id,
    segment: input.segment !== undefined ? input.segment : current.segment,
    location_id: input.locationId !== undefined ? input.locationId : current.location_id,
    attributes:
      input.attributes !== undefined ? JSON.stringify(input.attributes) : current.attributes,
  };
  if (!next.email && !next.external_id) {
    throw new AppError('validation_failed', {
      issues: [{ field: 'email', problem: 'missing_identity' }],
    });
  }
  const patch = {
    ...next,
    email_key: emailKey(next.email),
    phone_key: phoneKey(next.phone),
    search_text: contactSearchText(next),
    updated_at: now,
  };
  await assertKeysFree(db, actor, id, {
    externalId: patch.external_id,
    emailKey: patch.email_key,
  });
  // Erased meanwhile (the check above read the contact before an erasure committed): nothing is
  // written, as for an erased contact.
  if (!(await repo.updateContact(db, actor.organisationId, id, patch))) {
    throw notFound('contact');
  }
  if (patch.owner_employee_id !== current.owner_employee_id) {
    const data = {
      contactId: id,
      previousOwnerEmployeeId: current.owner_employee_id,
      ownerEmployeeId: patch.owner_employee_id,
    };
    await emit(
      db,
      deps,
      contactOwnerChanged,
      [{ organisationId: actor.organisationId, data }],
      now,
    );
  }
  if (patch.account_id !== current.account_id) {
    const data = {
      contactId: id,
      previousAccountId: current.account_id,
      accountId: patch.account_id,
    };
    await emit(
      db,
      deps,
      contactAccountChanged,
      [{ organisationId: actor.organisationId, data }],
      now,
    );
  }
  await recordAudit(
    db,
    actor,
    {
      action: 'contact.updated',
      entityType: 'contact',
      entityId: id,
      data: { fields: Object.keys(input) },
    },
    now,
  );
  return presentContact({ ...current, ...patch });
}

/**
 * Unsubscribes a contact from all research email. Idempotent: a second call changes nothing and
 * records no second event. Used by the admin app, the API and (later) the one-click link.
 */
export async function unsubscribeContact(
  db: Executor,
  organisationId: string,
  contactId: string,
  source: string,
  now: number,
): Promise<boolean> {
  const row = await repo.findContact(db, organisationId, contactId);
  if (!row) throw notFound('contact');
  if (row.unsubscribed_at !== null) return false;
  await repo.updateContact(db, organisationId, contactId, {
    unsubscribed_at: now,
    updated_at: now,
  });
  await repo.insertConsentEvent(db, {
    id: newId(),
    organisation_id: organisationId,
    contact_id: contactId,
    kind: 'unsubscribed',
    source,
    created_at: now,
  });
  return true;
}

/**
 * Marks a contact bounced after a hard bounce or a complaint about mail to them, once: the rules
 * skip them in every later send. The consent event and the audit entry say why and where (the
 * invitation or the Message-ID the report was about). Reports come through the email module's
 * bounce webhook and the invitation send's refused recipient.
 */
export async function suppressContact(
  db: Executor,
  organisationId: string,
  contactId: string,
  report: { type: 'bounce' | 'complaint'; source: string; now: number },
  cause: { invitationId: string } | { messageId: string },
): Promise<void> {
  const { now } = report;
  const contact = await repo.findContact(db, organisationId, contactId);
  if (!contact || contact.bounced_at !== null) return;
  await repo.updateContact(db, organisationId, contact.id, {
    bounced_at: now,
    updated_at: now,
  });
  await repo.insertConsentEvent(db, {
    id: newId(),
    organisation_id: organisationId,
    contact_id: contact.id,
    kind: report.type === 'complaint' ? 'complained' : 'bounced',
    source: `${report.source}:${'invitationId' in cause ? cause.invitationId : cause.messageId}`,
    created_at: now,
  });
  await recordAudit(
    db,
    { kind: 'system', organisationId },
    {
      action: report.type === 'complaint' ? 'contact.complained' : 'contact.bounced',
      entityType: 'contact',
      entityId: contact.id,
      data: { ...cause, source: report.source },
    },
    now,
  );
}

/**
 * Records in the contact's consent history that they asked for no more review requests (the
 * review email's one-click link). Only that: the contact stays subscribed to the NPS surveys.
 * The reviews module keeps the state itself; this is the record staff see with the rest.
 */
export async function recordReviewUnsubscribe(
  db: Executor,
  organisationId: string,
  contactId: string,
  source: string,
  now: number,
): Promise<void> {
  await repo.insertConsentEvent(db, {
    id: newId(),
    organisation_id: organisationId,
    contact_id: contactId,
    kind: 'review_unsubscribed',
    source,
    created_at: now,
  });
}

export async function resubscribeContact(
  db: Executor,
  actor: Actor,
  contactId: string,
  now: number,
) {
  const row = await getContactRow(db, actor, contactId);
  if (row.erased_at !== null) throw notFound('contact');
  if (row.unsubscribed_at !== null) {
    await repo.updateContact(db, actor.organisationId, contactId, {
      unsubscribed_at: null,
      updated_at: now,
    });
    await repo.insertConsentEvent(db, {
      id: newId(),
      organisation_id: actor.organisationId,
      contact_id: contactId,
      kind: 'resubscribed',
      source: `${actor.kind}:${actor.id}`,
      created_at: now,
    });
    await recordAudit(
      db,
      actor,
      { action: 'contact.resubscribed', entityType: 'contact', entityId: contactId },
      now,
    );
  }
  return getContact(db, actor, contactId);
}

export async function consentHistory(
  db: Executor,
  actor: Actor,
  contactId: string,
): Promise<ConsentEventJson[]> {
  await getContactRow(db, actor, contactId);
  const events = await repo.listConsentEvents(db, actor.organisationId, contactId);
  return events.map((e) => ({
    id: e.id,
    kind: e.kind,
    source: e.source,
    at: new Date(e.created_at).toISOString(),
  }));
}

export { parseAttributes };
