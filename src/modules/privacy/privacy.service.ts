import type { Executor } from '../../db/database.ts';
import type { Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { getContactRow } from '../contacts/contacts.service.ts';
import { personalDataHolders } from './personal-data.ts';
// Every holder registers itself when imported. They are imported HERE, not by route files, so any
// caller of exportContact/eraseContact (routes, CLI, worker, tests) covers every holder.
import '../contacts/contacts.personal-data.ts';
import '../email/emails.personal-data.ts';
import '../imports/imports.personal-data.ts';
import '../responses/responses.personal-data.ts';

/** Everything Loyaal holds about one contact, as one JSON document (AVG/GDPR art. 15 and 20). */
export async function exportContact(db: Executor, actor: Actor, contactId: string, now: number) {
  await getContactRow(db, actor, contactId);
  const sections: Record<string, unknown> = {};
  for (const holder of personalDataHolders()) {
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
  actor: Actor,
  contactId: string,
  now: number,
): Promise<void> {
  const row = await getContactRow(db, actor, contactId);
  if (row.erased_at !== null) return;
  for (const holder of personalDataHolders())
    await holder.erase(db, actor.organisationId, contactId, now);
  await recordAudit(
    db,
    actor,
    { action: 'contact.erased', entityType: 'contact', entityId: contactId },
    now,
  );
}
