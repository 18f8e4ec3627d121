import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { DAY_MS } from '../../domain/referrals/fraud-rules.ts';
import { emailKey, phoneKey } from '../../domain/identity/identity.ts';
import { holdEndsAt } from '../../domain/referrals/reward-rules.ts';
import { inTransaction } from '../../platform/events/define-event.ts';
import { visitCancelled, visitRecorded } from '../visits/visits.events.ts';
import * as repo from './ambassadors.repository.ts';
import { getProgramme } from './ambassadors.service.ts';
import { cancelConversion, recordConversion } from './referrals.service.ts';

/**
 * Referrals follow the visits module's events: a referred friend's first paid visit converts the
 * lead, and a cancellation or refund within the hold period voids the reward still held. Both run
 * in the transaction that stores the visits (all visits of a batch at once, one lookup for them),
 * so an import or API call that converts a lead either stores both or neither. Staff can still
 * record a conversion by hand (`POST /api/v1/referrals/:id/conversion`), e.g. for a purchase the
 * workshop system does not send.
 */

interface OpenReferral {
  id: string;
  contact_id: string | null;
  friend_email_key: string | null;
  friend_phone_key: string | null;
  created_at: number;
}

/**
 * The open leads (not converted, not lost, not erased) that name one of these contacts: by the
 * contact the lead was linked to, or by the friend's email or phone as the contact has them.
 */
export async function openReferralsFor(
  trx: Executor,
  organisationId: string,
  contactIds: readonly string[],
): Promise<Map<string, OpenReferral>> {
  const contacts = await trx
    .selectFrom('contacts')
    .select(['id', 'email', 'phone'])
    .where('organisation_id', '=', organisationId)
    .where('id', 'in', contactIds)
    .where('erased_at', 'is', null)
    .execute();
  const emailKeys = new Map<string, string>();
  const phoneKeys = new Map<string, string>();
  for (const c of contacts) {
    const e = emailKey(c.email);
    if (e) emailKeys.set(e, c.id);
    const p = phoneKey(c.phone);
    if (p) phoneKeys.set(p, c.id);
  }
  // Each way of naming the contacts is read by its own index (`referrals_org_contact`,
  // `referrals_org_email`, `referrals_org_phone`): an `or` of them is served by none, and SQLite
  // then read every referral of the organisation. `union` keeps a lead found two ways once.
  const open = (named: (eb: ExpressionBuilder<Database, 'referrals'>) => Expression<SqlBool>) =>
    trx
      .selectFrom('referrals')
      .select(['id', 'contact_id', 'friend_email_key', 'friend_phone_key', 'created_at'])
      .where('organisation_id', '=', organisationId)
      .where('status', 'in', ['lead', 'contacted'])
      .where('erased_at', 'is', null)
      .where(named);
  let named = open((eb) => eb('contact_id', 'in', contactIds));
  if (emailKeys.size) {
    named = named.union(open((eb) => eb('friend_email_key', 'in', [...emailKeys.keys()])));
  }
  if (phoneKeys.size) {
    named = named.union(open((eb) => eb('friend_phone_key', 'in', [...phoneKeys.keys()])));
  }
  const rows = await trx
    .selectFrom(named.as('r'))
    .selectAll()
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute();
  // Per contact the first lead wins (the same friend referred twice: the fraud rules judge the rest).
  const byContact = new Map<string, OpenReferral>();
  for (const r of rows) {
    const contactId =
      (r.contact_id && contactIds.includes(r.contact_id) ? r.contact_id : undefined) ??
      (r.friend_email_key ? emailKeys.get(r.friend_email_key) : undefined) ??
      (r.friend_phone_key ? phoneKeys.get(r.friend_phone_key) : undefined);
    if (contactId && !byContact.has(contactId)) byContact.set(contactId, r);
  }
  return byContact;
}

/**
 * A completed visit with an amount (a paid visit or purchase) of a contact who was referred as a
 * friend converts that lead: the friend is this contact, the amount and the visit's number go on
 * the referral, the fraud rules run again and the reward is held. A visit from before the lead
 * (history imported later) converts nothing.
 */
export const convertReferredFriends = inTransaction(
  visitRecorded,
  'ambassadors.convert-on-visit',
  async (trx, events, { deps, now }) => {
    const byOrganisation = new Map<string, (typeof events)[number][]>();
    for (const e of events) {
      const paid =
        e.data.status === 'completed' &&
        e.data.amountCents > 0 &&
        e.data.previousStatus !== 'completed';
      if (!paid) continue;
      const list = byOrganisation.get(e.organisationId) ?? [];
      list.push(e);
      byOrganisation.set(e.organisationId, list);
    }
    for (const [organisationId, paid] of byOrganisation) {
      const open = await openReferralsFor(trx, organisationId, [
        ...new Set(paid.map((e) => e.data.contactId)),
      ]);
      if (open.size === 0) continue;
      // The earliest paid visit of each contact in this batch is their first.
      const sorted = [...paid].sort((a, b) => a.data.visitedAt - b.data.visitedAt);
      for (const e of sorted) {
        const referral = open.get(e.data.contactId);
        if (!referral || e.data.visitedAt < referral.created_at - DAY_MS) continue;
        open.delete(e.data.contactId);
        // Converted by hand meanwhile (PostgreSQL: read again under the lead's lock, which waits
        // for that conversion): the visit stays a visit, and converts nothing a second time.
        const current = await repo.findReferral(trx, organisationId, referral.id, { lock: true });
        if (current?.status === 'converted') continue;
        await recordConversion(
          trx,
          deps,
          organisationId,
          null,
          referral.id,
          {
            at: e.data.visitedAt,
            amountCents: e.data.amountCents,
            reference: e.data.externalId ?? e.data.visitId,
            contactId: e.data.contactId,
          },
          now,
        );
      }
    }
  },
);

/**
 * The friend's converting visit was cancelled, or the friend got money back, within the hold
 * period: the conversion no longer stands and the rewards still held are voided. A cancellation
 * counts when it is that visit (by its number); a refund counts for the customer's conversion. After
 * the hold period an issued reward stays the ambassador's and nothing changes.
 */
export const voidRewardsOnCancelledVisit = inTransaction(
  visitCancelled,
  'ambassadors.void-on-cancelled-visit',
  async (trx, events, { now }) => {
    for (const e of events) {
      const referrals = await trx
        .selectFrom('referrals')
        .select(['id', 'converted_at', 'conversion_ref'])
        .where('organisation_id', '=', e.organisationId)
        .where('contact_id', '=', e.data.contactId)
        .where('status', '=', 'converted')
        .where('conversion_cancelled_at', 'is', null)
        .execute();
      if (referrals.length === 0) continue;
      const { settings } = await getProgramme(trx, e.organisationId);
      for (const r of referrals) {
        if (r.converted_at === null) continue;
        const sameVisit =
          r.conversion_ref !== null &&
          (r.conversion_ref === e.data.externalId || r.conversion_ref === e.data.visitId);
        if (e.data.how === 'cancelled' && !sameVisit) continue;
        // After the hold an issued reward stands; one still waiting (for review) is voided.
        if (
          now > holdEndsAt(r.converted_at, settings.holdDays) &&
          !(await hasUnissuedAmbassadorReward(trx, e.organisationId, r.id))
        ) {
          continue;
        }
        await cancelConversion(trx, e.organisationId, null, r.id, now);
      }
    }
  },
);

/** Whether a reward of this conversion for the ambassador still waits (pending, or in review). */
async function hasUnissuedAmbassadorReward(
  trx: Executor,
  organisationId: string,
  referralId: string,
): Promise<boolean> {
  const rewards = await repo.rewardsOfReferral(trx, organisationId, referralId);
  return rewards.some(
    (w) => w.recipient === 'ambassador' && (w.status === 'pending' || w.status === 'review'),
  );
}
