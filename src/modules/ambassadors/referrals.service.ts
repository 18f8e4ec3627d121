import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import disposableDomains from 'disposable-email-domains' with { type: 'json' };
import type { Executor } from '../../db/database.ts';
import type { ContactTable, Locale, ReferralTable, RewardTable } from '../../db/schema.ts';
import { makeCode, randomBytesFor } from '../../domain/referrals/codes.ts';
import {
  assessReferral,
  DAY_MS,
  HOUR_MS,
  type FraudAssessment,
} from '../../domain/referrals/fraud-rules.ts';
import {
  emailKey,
  phoneKey,
  sharedDetails,
  type Identity,
} from '../../domain/identity/identity.ts';
import {
  holdEndsAt,
  initialStatus,
  rewardsForConversion,
  welcomeReward,
  type RewardToCreate,
} from '../../domain/referrals/reward-rules.ts';
import type { Deps } from '../../platform/deps.ts';
import { emit } from '../../platform/events/emit.ts';
import { enqueue } from '../../platform/jobs/define-job.ts';
import { AppError, conflict, notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { foldForSearch } from '../../shared/text.ts';
import type { Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { contactSearchText, emailKey as contactEmailKey } from '../contacts/contacts.service.ts';
import { insertContact } from '../contacts/contacts.repository.ts';
import * as repo from './ambassadors.repository.ts';
import { referralConverted, referralCreated, rewardIssued } from './ambassadors.events.ts';
import { friendWelcomeJob, rewardReleaseJob } from './ambassadors.jobs.ts';
import { fraudSettings, programmeRewards, type ProgrammeSettings } from './programme-settings.ts';
import { getProgramme, newLinkToken } from './ambassadors.service.ts';
import { validUntil } from '../../domain/referrals/reward-rules.ts';

const DISPOSABLE = new Set<string>(disposableDomains);
const isDisposableDomain = (domain: string): boolean => DISPOSABLE.has(domain);

/** A voucher code no reward of the organisation has yet. */
async function freshVoucherCode(db: Executor, organisationId: string): Promise<string> {
  for (let i = 0; i < 8; i++) {
    const code = makeCode('voucher', randomBytes(randomBytesFor('voucher')));
    if (!(await repo.findRewardByCode(db, organisationId, code))) return code;
  }
  throw new Error('could not find a free voucher code');
}

/** Free attributes a CRM or the visits module may keep on a contact, read for the fraud rules. */
function identityOfContact(c: {
  email: string | null;
  phone: string | null;
  name: string | null;
  attributes: string;
}): Identity {
  let attrs: Record<string, unknown> = {};
  try {
    attrs = JSON.parse(c.attributes) as Record<string, unknown>;
  } catch {
    attrs = {};
  }
  const pick = (...keys: string[]): string | null => {
    for (const k of keys) {
      const v = attrs[k];
      if (typeof v === 'string' && v.trim()) return v;
    }
    return null;
  };
  const plate = pick('kenteken', 'licencePlate', 'licensePlate', 'plate');
  return {
    email: c.email,
    phone: c.phone,
    postcode: pick('postcode', 'postalCode', 'zip'),
    houseNumber: pick('huisnummer', 'houseNumber'),
    lastName: pick('achternaam', 'lastName') ?? c.name?.trim().split(/\s+/).slice(-1)[0] ?? null,
    licencePlates: plate ? [plate] : [],
  };
}

/**
 * Whether an earlier lead of this friend (by email or phone key) gave them a welcome offer that
 * still stands. One offer per friend: a friend who withdrew a lead ("do not contact me") and
 * leaves their details again is no duplicate, but the offer they hold is not given twice.
 */
async function friendWelcomedBefore(
  db: Executor,
  organisationId: string,
  lead: Pick<ReferralTable, 'id' | 'friend_email_key' | 'friend_phone_key'>,
): Promise<boolean> {
  const earlier = await repo.referralsOfFriend(
    db,
    organisationId,
    lead.friend_email_key,
    lead.friend_phone_key,
  );
  const ids = earlier.filter((e) => e.id !== lead.id).map((e) => e.id);
  return repo.welcomeGiven(db, organisationId, ids);
}

/**
 * How long before their lead a friend may have become a customer and still be the friend won,
 * not an existing customer: a garage registers the new customer at the counter, then the friend's
 * details go in. The same day on which a first visit before the lead still converts it
 * (`visit-conversions.ts`).
 */
export const NEW_CUSTOMER_GRACE_MS = DAY_MS;

/**
 * Runs the fraud rules for a friend of an ambassador at `now`: reads the ambassador's details,
 * the chain that brought them in, customers who match the friend (known before `customersBefore`),
 * earlier referrals of the same friend and the link's recent traffic. At a conversion
 * (`exclude.contactId`: the customer the friend turned out to be) that customer is one of the
 * candidates too: found through a visit by a mailbox the lookup by address does not see (a Gmail
 * `+tag`, dots), and, when known before the referral, the very customer who was referred again.
 */
export async function assessFriend(
  db: Executor,
  organisationId: string,
  ambassador: repo.AmbassadorRow,
  friend: Identity,
  settings: ProgrammeSettings,
  now: number,
  exclude: { referralId?: string; contactId?: string | null; customersBefore: number },
): Promise<FraudAssessment> {
  const own = await repo.contactIdentity(db, organisationId, ambassador.contact_id);
  const upstream: { ambassadorId: string; identity: Identity }[] = [];
  let next = ambassador.referred_by_ambassador_id;
  for (let depth = 0; next && depth < 5; depth++) {
    const up = await repo.findAmbassador(db, organisationId, next);
    if (!up) break;
    const c = await repo.contactIdentity(db, organisationId, up.contact_id);
    if (c) upstream.push({ ambassadorId: up.id, identity: identityOfContact(c) });
    next = up.referred_by_ambassador_id;
  }
  const eKey = emailKey(friend.email);
  const pKey = phoneKey(friend.phone);
  const candidates = await repo.customersMatching(
    db,
    organisationId,
    contactEmailKey(friend.email),
    pKey,
  );
  if (exclude.contactId && !candidates.some((c) => c.id === exclude.contactId)) {
    const converted = await repo.contactIdentity(db, organisationId, exclude.contactId);
    if (converted) candidates.push(converted);
  }
  const matchingCustomers = candidates
    .filter((c) => c.created_at < exclude.customersBefore)
    .map((c) => ({ shared: sharedDetails({ email: c.email, phone: c.phone }, friend) }))
    .filter((m) => m.shared.length > 0);
  const earlier = await repo.referralsOfFriend(db, organisationId, eKey, pKey);
  const s = fraudSettings(settings);
  const recent = await repo.recentReferralTimes(
    db,
    organisationId,
    ambassador.id,
    now - s.burstWindowHours * HOUR_MS,
  );
  return assessReferral({
    now,
    ambassador: { id: ambassador.id, identity: own ? identityOfContact(own) : {} },
    upstream,
    friend,
    matchingCustomers,
    earlierReferrals: earlier
      .filter((r) => r.id !== exclude.referralId)
      .filter((r) => !exclude.referralId || r.created_at <= now)
      .map((r) => ({
        id: r.id,
        ambassadorId: r.ambassador_id,
        createdAt: r.created_at,
        withdrawn: r.status === 'lost' || r.verdict === 'ineligible',
      })),
    recentLinkReferrals: recent.filter((t) => t.id !== exclude.referralId).map((t) => t.created_at),
    isDisposableDomain,
    settings: s,
  });
}

// ---- The friend's lead ----

/** What the friend's page posts, validated at the edge. */
export const friendFormSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z
    .string()
    .trim()
    .max(254)
    .transform((v) => (v === '' ? null : v))
    .pipe(z.email().nullable()),
  phone: z
    .string()
    .trim()
    .max(40)
    .transform((v) => (v === '' ? null : v))
    .pipe(
      z
        .string()
        .regex(/^\+?[0-9 ()./-]{8,40}$/)
        .nullable(),
    ),
  consent: z.literal('1'),
});
export type FriendForm = z.infer<typeof friendFormSchema>;

export interface NewLead {
  name: string;
  email: string | null;
  phone: string | null;
  locale: Locale;
  consentText: string;
  source: 'link' | 'staff';
}

/**
 * Records a friend's lead with its consent and fraud assessment. A double-sided programme gives
 * an eligible friend their welcome offer straight away (a voucher for the first visit), and a
 * friend who left an email address gets it by email — they asked to be contacted; nobody else is
 * ever emailed about a referral. The same answer is given whatever the verdict, so the page
 * reveals nothing about who is already a customer.
 *
 * The friend's form is idempotent: the same friend leaving the same details on the same link again
 * (a double tap, a re-sent POST, a second visit while their lead is open) gets the lead they have
 * (its id is returned) and nothing new. The friend's leads are serialised, so two sent at once
 * are one lead, one welcome offer.
 */
export async function createLead(
  trx: Executor,
  deps: Deps,
  ambassador: repo.AmbassadorRow,
  lead: NewLead,
  now: number,
): Promise<string> {
  const organisationId = ambassador.organisation_id;
  const keys = { email: emailKey(lead.email), phone: phoneKey(lead.phone) };
  await repo.lockFriend(trx, organisationId, keys.email, keys.phone);
  const programme = await getProgramme(trx, organisationId);
  if (lead.source === 'link') {
    const friend = { name: lead.name, ...keys };
    const open = await openLinkLead(trx, ambassador, friend, programme.settings, now);
    if (open) return open;
  }
  const friend: Identity = { email: lead.email, phone: lead.phone, lastName: lastWord(lead.name) };
  const assessment = await assessFriend(
    trx,
    organisationId,
    ambassador,
    friend,
    programme.settings,
    now,
    { customersBefore: now - NEW_CUSTOMER_GRACE_MS },
  );
  const id = newId();
  const row: ReferralTable = {
    id,
    organisation_id: organisationId,
    ambassador_id: ambassador.id,
    source: lead.source,
    status: 'lead',
    friend_name: lead.name,
    friend_email: lead.email,
    friend_phone: lead.phone,
    friend_email_key: keys.email,
    friend_phone_key: keys.phone,
    locale: lead.locale,
    consent_text: lead.consentText,
    consent_at: now,
    verdict: assessment.verdict,
    findings: JSON.stringify(assessment.findings),
    contact_id: null,
    converted_at: null,
    conversion_ref: null,
    conversion_amount_cents: null,
    conversion_cancelled_at: null,
    erased_at: null,
    created_at: now,
    updated_at: now,
  };
  await repo.insertReferral(trx, row);
  const welcome = welcomeReward(programmeRewards(programme.settings));
  if (
    welcome &&
    assessment.verdict === 'eligible' &&
    !(await friendWelcomedBefore(trx, organisationId, row))
  ) {
    // The welcome offer is for the first visit itself, so it is issued now, not held.
    await createReward(trx, deps, organisationId, row, ambassador.id, welcome, 'issued', null, now);
    if (lead.email) {
      await enqueue(trx, friendWelcomeJob, { referralId: id }, { organisationId, now });
    }
  }
  await emit(
    trx,
    deps,
    referralCreated,
    [
      {
        organisationId,
        data: {
          referralId: id,
          ambassadorId: ambassador.id,
          source: lead.source,
          verdict: assessment.verdict,
        },
      },
    ],
    now,
  );
  return id;
}

/**
 * The friend's lead through this ambassador's link that the same form sent again would only
 * repeat: the same name and the same email and phone keys (a housemate on the same landline, or a
 * partner on the shared mailbox, is someone else), made within the attribution window (a second
 * lead there would merely be flagged as a duplicate of it) and not lost (a friend who withdrew, or
 * whom staff gave up on, and comes back is news). A lead entered by staff is not the friend's own
 * request, so the form still records theirs.
 */
async function openLinkLead(
  db: Executor,
  ambassador: repo.AmbassadorRow,
  friend: { name: string; email: string | null; phone: string | null },
  settings: ProgrammeSettings,
  now: number,
): Promise<string | null> {
  const since = now - fraudSettings(settings).attributionWindowDays * DAY_MS;
  const leads = await repo.linkLeadsWithKeys(
    db,
    ambassador.organisation_id,
    ambassador.id,
    friend.email,
    friend.phone,
    since,
  );
  const name = foldForSearch(friend.name);
  const open = leads.find(
    (l) =>
      l.status !== 'lost' &&
      l.created_at <= now &&
      l.friend_name !== null &&
      foldForSearch(l.friend_name) === name,
  );
  return open?.id ?? null;
}

const lastWord = (name: string): string | null => name.trim().split(/\s+/).slice(-1)[0] ?? null;

async function createReward(
  trx: Executor,
  deps: Deps,
  organisationId: string,
  referral: Pick<ReferralTable, 'id'>,
  ambassadorId: string,
  reward: RewardToCreate,
  status: RewardTable['status'],
  holdUntil: number | null,
  now: number,
): Promise<string> {
  const id = newId();
  const issued = status === 'issued';
  const until = issued ? validUntil(now, reward.definition.validMonths) : null;
  await repo.insertReward(trx, {
    id,
    organisation_id: organisationId,
    referral_id: referral.id,
    ambassador_id: ambassadorId,
    recipient: reward.recipient,
    reason: reward.reason,
    milestone: reward.milestone,
    kind: reward.definition.kind,
    description: reward.definition.description,
    cost_cents: reward.definition.costCents,
    valid_months: reward.definition.validMonths,
    status,
    code: await freshVoucherCode(trx, organisationId),
    token: newLinkToken(),
    hold_until: holdUntil,
    issued_at: issued ? now : null,
    valid_until: until,
    redeemed_at: null,
    redeemed_via: null,
    voided_at: null,
    void_reason: null,
    review_note: null,
    reviewed_by: null,
    created_at: now,
    updated_at: now,
  });
  if (issued) {
    await emit(
      trx,
      deps,
      rewardIssued,
      [
        {
          organisationId,
          data: {
            rewardId: id,
            referralId: referral.id,
            ambassadorId,
            recipient: reward.recipient,
            kind: reward.definition.kind,
            costCents: reward.definition.costCents,
            validUntil: until,
          },
        },
      ],
      now,
    );
  }
  return id;
}

// ---- Staff: leads by code, status, conversion ----

export const staffLeadSchema = z.strictObject({
  /** The ambassador's short code the friend mentioned at the counter. */
  ambassadorCode: z.string().trim().min(1).max(20),
  name: z.string().trim().min(1).max(200),
  email: z.email().max(254).nullable().default(null),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ()./-]{8,40}$/)
    .nullable()
    .default(null),
  /** How the friend agreed to be contacted, in staff's words. */
  consentNote: z.string().trim().min(3).max(500),
  locale: z.enum(['nl', 'en']).default('nl'),
});

export const referralStatusSchema = z.strictObject({ status: z.enum(['contacted', 'lost']) });

export async function setLeadStatus(
  trx: Executor,
  actor: Actor,
  id: string,
  status: 'contacted' | 'lost',
  now: number,
): Promise<void> {
  const r = await repo.findReferral(trx, actor.organisationId, id);
  if (!r) throw notFound('referral');
  if (r.status === 'converted') throw conflict({ field: 'status', problem: 'referral_converted' });
  await repo.updateReferral(trx, actor.organisationId, id, { status, updated_at: now });
  await recordAudit(
    trx,
    actor,
    { action: `referral.${status}`, entityType: 'referral', entityId: id },
    now,
  );
}

export const conversionSchema = z.strictObject({
  /** When the first paid visit or purchase took place (ms); now when omitted. */
  at: z.number().int().min(0).optional(),
  amountCents: z.number().int().min(1).max(100_000_000),
  /** The visit's or invoice's id in the workshop system, for the audit trail. */
  reference: z.string().trim().min(1).max(200).nullable().default(null),
  /** The friend's customer record, when it exists already (imported, or made by the CRM). */
  contactId: z.uuid().nullable().default(null),
});

/**
 * The friend's first paid visit: the lead converts, the friend becomes a customer (their contact
 * is made from the lead, with the consent they gave, unless one is named), the fraud rules run
 * again with everything known now, and the ambassador's reward (and any milestone) is created:
 * pending until the hold period is over, or waiting for review when the referral is suspicious,
 * or none at all when it is ineligible.
 */
export async function recordConversion(
  trx: Executor,
  deps: Deps,
  organisationId: string,
  actor: Actor | null,
  id: string,
  input: z.infer<typeof conversionSchema>,
  now: number,
) {
  // Locked: a second conversion of the lead at the same moment (a double click, a retried
  // request) waits here, then finds it converted — before it makes a customer record or a reward.
  const r = await repo.findReferral(trx, organisationId, id, { lock: true });
  if (!r) throw notFound('referral');
  const alreadyConverted = () => conflict({ field: 'status', problem: 'referral_converted' });
  if (r.status === 'converted') throw alreadyConverted();
  const ambassador = await repo.findAmbassador(trx, organisationId, r.ambassador_id);
  if (!ambassador) throw notFound('ambassador');
  const at = input.at ?? now;
  let contactId = input.contactId;
  if (contactId) {
    const c = await repo.contactIdentity(trx, organisationId, contactId);
    if (!c)
      throw new AppError('validation_failed', {
        issues: [{ field: 'contactId', problem: 'not_found' }],
      });
  } else {
    contactId = await contactForFriend(trx, organisationId, r, now);
  }
  const programme = await getProgramme(trx, organisationId);
  // A lead whose details were erased (on request, or by retention) cannot be judged again: it
  // keeps the verdict its details earned, so erasing a self-referral does not make it pay.
  const assessment: FraudAssessment =
    r.erased_at === null
      ? await assessFriend(
          trx,
          organisationId,
          ambassador,
          { email: r.friend_email, phone: r.friend_phone, lastName: lastWord(r.friend_name ?? '') },
          programme.settings,
          r.created_at,
          {
            referralId: r.id,
            contactId,
            customersBefore: r.created_at - NEW_CUSTOMER_GRACE_MS,
          },
        )
      : { verdict: r.verdict, findings: JSON.parse(r.findings) as FraudAssessment['findings'] };
  const converted = await repo.markConverted(trx, organisationId, id, {
    contact_id: contactId,
    converted_at: at,
    conversion_amount_cents: input.amountCents,
    conversion_ref: input.reference,
    verdict: assessment.verdict,
    findings: JSON.stringify(assessment.findings),
    updated_at: now,
  });
  if (!converted) throw alreadyConverted();
  const status = initialStatus(assessment.verdict);
  if (status) {
    const before = await repo.countStandingConversions(trx, organisationId, ambassador.id);
    const earned = await repo.earnedMilestones(trx, organisationId, ambassador.id);
    const holdUntil = holdEndsAt(at, programme.settings.holdDays);
    const rewards = rewardsForConversion(programmeRewards(programme.settings), before - 1, earned);
    for (const reward of rewards) {
      const rewardId = await createReward(
        trx,
        deps,
        organisationId,
        r,
        ambassador.id,
        reward,
        status,
        holdUntil,
        now,
      );
      if (status === 'pending') {
        await enqueue(
          trx,
          rewardReleaseJob,
          { rewardId },
          { organisationId, now, runAt: Math.max(now, holdUntil) },
        );
      }
    }
  }
  await repo.insertTaskIfAbsent(trx, {
    id: newId(),
    organisation_id: organisationId,
    ambassador_id: ambassador.id,
    kind: 'referral',
    referral_id: r.id,
    done_at: null,
    done_by: null,
    created_at: now,
  });
  if (actor) {
    await recordAudit(
      trx,
      actor,
      { action: 'referral.converted', entityType: 'referral', entityId: id },
      now,
    );
  }
  await emit(
    trx,
    deps,
    referralConverted,
    [
      {
        organisationId,
        data: {
          referralId: id,
          ambassadorId: ambassador.id,
          contactId,
          amountCents: input.amountCents,
          convertedAt: at,
          verdict: assessment.verdict,
        },
      },
    ],
    now,
  );
  return { verdict: assessment.verdict, contactId };
}

/** The friend's new customer record, made from the lead with the consent they gave on the page. */
async function contactForFriend(
  trx: Executor,
  organisationId: string,
  r: repo.ReferralRow,
  now: number,
): Promise<string> {
  const key = contactEmailKey(r.friend_email);
  if (key) {
    const existing = await trx
      .selectFrom('contacts')
      .select('id')
      .where('organisation_id', '=', organisationId)
      .where('email_key', '=', key)
      .executeTakeFirst();
    if (existing) return existing.id;
  }
  const id = newId();
  const row: ContactTable = {
    id,
    organisation_id: organisationId,
    external_id: null,
    name: r.friend_name,
    email: r.friend_email,
    email_key: key,
    phone: r.friend_phone,
    phone_key: phoneKey(r.friend_phone),
    first_name: r.friend_name?.trim().split(/\s+/)[0] ?? null,
    salutation: null,
    language: r.locale,
    owner_employee_id: null,
    account_id: null,
    segment: null,
    location_id: null,
    attributes: '{}',
    consent_status: 'granted',
    consent_source: 'referral',
    consent_at: r.consent_at,
    unsubscribed_at: null,
    bounced_at: null,
    erased_at: null,
    search_text: contactSearchText({
      name: r.friend_name,
      email: r.friend_email,
      phone: r.friend_phone,
      external_id: null,
      segment: null,
    }),
    created_at: now,
    updated_at: now,
  };
  await insertContact(trx, row);
  return id;
}

/**
 * The first visit was cancelled or refunded: the conversion no longer stands, and every reward
 * still pending or in review for it is voided. An issued reward stays the customer's.
 */
export async function cancelConversion(
  trx: Executor,
  organisationId: string,
  actor: Actor | null,
  id: string,
  now: number,
): Promise<{ voided: number }> {
  const r = await repo.findReferral(trx, organisationId, id);
  if (!r) throw notFound('referral');
  if (r.status !== 'converted')
    throw conflict({ field: 'status', problem: 'referral_not_converted' });
  await repo.updateReferral(trx, organisationId, id, {
    conversion_cancelled_at: r.conversion_cancelled_at ?? now,
    updated_at: now,
  });
  let voided = 0;
  for (const reward of await repo.rewardsOfReferral(trx, organisationId, id)) {
    if (reward.recipient !== 'ambassador') continue;
    const done = await repo.transitionReward(
      trx,
      organisationId,
      reward.id,
      ['pending', 'review'],
      {
        status: 'voided',
        voided_at: now,
        void_reason: 'conversion_cancelled',
        updated_at: now,
      },
    );
    if (done) voided++;
  }
  if (actor) {
    await recordAudit(
      trx,
      actor,
      {
        action: 'referral.conversion_cancelled',
        entityType: 'referral',
        entityId: id,
        data: { voided },
      },
      now,
    );
  }
  return { voided };
}

export { DAY_MS };
