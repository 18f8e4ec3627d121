import { formatCode } from '../../domain/referrals/codes.ts';
import { effectiveStatus } from '../../domain/referrals/reward-rules.ts';
import type { FraudFinding } from '../../domain/referrals/fraud-rules.ts';
import type { Locale } from '../../db/schema.ts';
import { t, type MessageKey } from '../../i18n/messages.ts';
import type * as repo from './ambassadors.repository.ts';
import type { ReferralJson, RegisterRowJson, RewardJson } from './ambassadors.schemas.ts';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Every fraud finding in words, for the review queue ("same phone number as the ambassador"). */
export function explainFindings(json: string, locale: Locale): { rule: string; text: string }[] {
  let findings: FraudFinding[];
  try {
    findings = JSON.parse(json) as FraudFinding[];
  } catch {
    findings = [];
  }
  return findings.map((f) => {
    const details =
      'shared' in f
        ? f.shared.map((d) => t(locale, `referral.detail.${d}` as MessageKey)).join(', ')
        : '';
    const params: Record<string, string | number> = { details };
    if (f.rule === 'burst') Object.assign(params, { count: f.count, hours: f.windowHours });
    if (f.rule === 'disposable_email') params.domain = f.domain;
    if (f.rule === 'duplicate_friend') {
      params.date = new Date(f.firstReferredAt).toISOString().slice(0, 10);
    }
    const key =
      f.rule === 'duplicate_friend' && f.sameAmbassador
        ? 'referral.fraud.duplicate_friend_same'
        : `referral.fraud.${f.rule}`;
    return { rule: f.rule, text: t(locale, key as MessageKey, params) };
  });
}

export function presentRegisterRow(
  r: Awaited<ReturnType<typeof repo.listRegister>>[number],
): RegisterRowJson {
  return {
    id: r.id,
    contactId: r.contact_id,
    name: r.contact_name,
    email: r.contact_email,
    status: r.status,
    code: formatCode(r.code),
    ownerEmployeeId: r.owner_employee_id,
    ownerName: r.owner_name,
    latestScore:
      r.latest_score === null || r.latest_score === undefined ? null : Number(r.latest_score),
    referrals: Number(r.referral_count ?? 0),
    conversions: Number(r.conversion_count ?? 0),
    rewards: Number(r.reward_count ?? 0),
    friendPageViews: r.friend_page_views,
    showName: r.show_name === 1,
    consent: {
      text: r.consent_text,
      source: r.consent_source,
      at: iso(r.consent_at),
      byUserId: r.consent_user_id,
      note: r.consent_note,
    },
    invitedAt: iso(r.invited_at),
    unsubscribedAt: iso(r.unsubscribed_at),
    joinedAt: iso(r.created_at),
  };
}

export function presentReferral(
  r: Awaited<ReturnType<typeof repo.listReferrals>>[number],
  locale: Locale,
): ReferralJson {
  return {
    id: r.id,
    ambassadorId: r.ambassador_id,
    ambassadorName: r.ambassador_name,
    source: r.source,
    status: r.status,
    friend: { name: r.friend_name, email: r.friend_email, phone: r.friend_phone },
    consent: { text: r.consent_text, at: iso(r.consent_at) },
    verdict: r.verdict,
    findings: explainFindings(r.findings, locale),
    contactId: r.contact_id,
    convertedAt: iso(r.converted_at),
    conversionAmountCents: r.conversion_amount_cents,
    conversionReference: r.conversion_ref,
    conversionCancelledAt: iso(r.conversion_cancelled_at),
    createdAt: iso(r.created_at),
  };
}

export function presentReward(
  r: Awaited<ReturnType<typeof repo.listRewards>>[number],
  locale: Locale,
  now: number,
  publicUrl: string,
): RewardJson {
  return {
    id: r.id,
    referralId: r.referral_id,
    ambassadorId: r.ambassador_id,
    ambassadorName: r.ambassador_name,
    friendName: r.friend_name,
    recipient: r.recipient,
    reason: r.reason,
    milestone: r.milestone,
    kind: r.kind,
    description: r.description,
    costCents: r.cost_cents,
    status: effectiveStatus({ status: r.status, validUntil: r.valid_until }, now),
    code: formatCode(r.code),
    voucherUrl: `${publicUrl.replace(/\/+$/, '')}/v/${r.token}`,
    holdUntil: iso(r.hold_until),
    issuedAt: iso(r.issued_at),
    validUntil: iso(r.valid_until),
    redeemedAt: iso(r.redeemed_at),
    voidedAt: iso(r.voided_at),
    voidReason: r.void_reason,
    reviewNote: r.review_note,
    findings: explainFindings(r.findings, locale),
    createdAt: iso(r.created_at),
  };
}
