import type { Executor } from '../../db/database.ts';
import type { Deps } from '../../platform/deps.ts';
import { emit } from '../../platform/events/emit.ts';
import type { Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { getContactRow } from '../contacts/contacts.service.ts';
import { contactErased } from './privacy.events.ts';

/**
 * Everything Loyaal holds about one contact, as one JSON document (AVG/GDPR art. 15 and 20): one
 * section per personal-data holder that the modules declare, so a new module's table is included
 * the moment the module is in the list.
 */
export async function exportContact(db: Executor, deps: Deps, actor: Actor, contactId: string) {
  const now = deps.now();
  await getContactRow(db, actor, contactId);
  const sections: Record<string, unknown> = {};
  for (const holder of deps.platform.personalData) {
    sections[holder.name] = await holder.export(db, actor.organisationId, contactId);
  }
  await recordAudit(
    db,
    actor,
    { action: 'contact.exported', entityType: 'contact', entityId: contactId },
    now,
  );
  return { exportedAt: new Date(now).toISOString(), contactId, ...sections };
}

/**
 * Erases a contact's personal data in every module (AVG/GDPR art. 17). The row stays as an
 * anonymous shell so scores and counts keep adding up; the contact can never be invited again.
 */
export async function eraseContact(
  db: Executor,
  deps: Deps,
  actor: Actor,
  contactId: string,
): Promise<void> {
  const now = deps.now();
  const row = await getContactRow(db, actor, contactId);
  if (row.erased_at !== null) return;
  for (const holder of deps.platform.personalData) {
    await holder.erase(db, actor.organisationId, contactId, now);
  }
  await recordAudit(
    db,
    actor,
    { action: 'contact.erased', entityType: 'contact', entityId: contactId },
    now,
  );
  await emit(
    db,
    deps,
    contactErased,
    [{ organisationId: actor.organisationId, data: { contactId } }],
    now,
  );
}
