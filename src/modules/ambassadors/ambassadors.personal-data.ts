import type { Executor } from '../../db/database.ts';
import { emailKey } from '../../domain/identity/identity.ts';
import type { PersonalDataHolder } from '../../platform/contract.ts';
import * as repo from './ambassadors.repository.ts';
import { newLinkToken } from './ambassadors.service.ts';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * The ambassador register: the consent record (what the person agreed to, when and how), their
 * links, what they brought in and earned. Erasure takes them out of the programme (status
 * `removed`, links replaced so the old ones lead nowhere, name no longer shown) and clears the
 * consent note; the counts and the ledger's amounts stay, so the programme's figures add up.
 */
export const ambassadorsHolder: PersonalDataHolder = {
  name: 'ambassador',
  async export(db, organisationId, contactId) {
    const a = await repo.findAmbassadorByContact(db, organisationId, contactId);
    if (!a) return null;
    const rewards = await repo.rewardsOfAmbassador(db, organisationId, a.id);
    return {
      status: a.status,
      code: a.code,
      showName: a.show_name === 1,
      consent: {
        text: a.consent_text,
        source: a.consent_source,
        at: iso(a.consent_at),
        note: a.consent_note,
      },
      invitedAt: iso(a.invited_at),
      unsubscribedAt: iso(a.unsubscribed_at),
      joinedAt: iso(a.created_at),
      rewards: rewards.map((r) => ({
        description: r.description,
        status: r.status,
        code: r.code,
        issuedAt: iso(r.issued_at),
        validUntil: iso(r.valid_until),
        redeemedAt: iso(r.redeemed_at),
      })),
    };
  },
  async erase(db, organisationId, contactId, now) {
    const a = await repo.findAmbassadorByContact(db, organisationId, contactId);
    if (!a) return;
    await repo.updateAmbassador(db, organisationId, a.id, {
      status: 'removed',
      removed_at: a.removed_at ?? now,
      show_name: 0,
      consent_note: null,
      share_token: newLinkToken(),
      link_token: newLinkToken(),
      updated_at: now,
    });
  },
};

/**
 * A friend's details on a referral. Found by the friend's contact once they became a customer,
 * and, before that, by the contact's mailbox (`listContactReferrals`): a friend who
 * became a customer and asks to be erased before their first paid visit converted the lead is
 * erased from it too. So this holder runs before the contact's own, which clears those details
 * (`order: -10`). A lead of someone who never became a customer is found by nobody's contact:
 * retention clears its details after the organisation's retention period, and staff can erase one
 * lead directly.
 */
async function referralsOfPerson(db: Executor, organisationId: string, contactId: string) {
  const c = await repo.contactIdentity(db, organisationId, contactId);
  return repo.listContactReferrals(db, organisationId, contactId, emailKey(c?.email));
}

export const referralsHolder: PersonalDataHolder = {
  name: 'referrals',
  order: -10,
  async export(db, organisationId, contactId) {
    const rows = await referralsOfPerson(db, organisationId, contactId);
    return rows.map((r) => ({
      name: r.friend_name,
      email: r.friend_email,
      phone: r.friend_phone,
      consent: { text: r.consent_text, at: iso(r.consent_at) },
      status: r.status,
      referredAt: iso(r.created_at),
      convertedAt: iso(r.converted_at),
    }));
  },
  async erase(db, organisationId, contactId, now) {
    // The friend is erased: the number of the visit that converted them goes with their details.
    for (const r of await referralsOfPerson(db, organisationId, contactId)) {
      await repo.eraseReferral(db, organisationId, r.id, now, {
        conversion: r.contact_id === contactId,
      });
    }
  },
  async retain(db, organisationId, { cutoff, limit, now }) {
    const ids = await repo.staleLeadIds(db, organisationId, cutoff, limit);
    for (const id of ids) await repo.eraseReferral(db, organisationId, id, now);
    return { erasedLeads: ids.length };
  },
};
