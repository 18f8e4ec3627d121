/**
 * The contact-frequency rules (PRODUCT.md, principle 3: "don't bombard customers").
 *
 * Every send path — a one-off survey, a continuous wave, an API-triggered invitation, a reminder —
 * asks these functions first, so the rules hold across every survey of the organisation. The
 * functions are pure: the caller reads the history, passes the current time in, and gets back a
 * decision with structured reasons that a UI can explain ("asked 40 days ago, eligible again on …")
 * and translate elsewhere.
 *
 * All times are milliseconds since the epoch; a "day" is exactly 24 hours, so time zones and leap
 * years do not change a decision.
 */

/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

/** Length of the rolling window of `maxInvitationsPer365Days`. */
export const YEAR_WINDOW_DAYS = 365;

/** The organisation's contact-frequency settings. */
export type ContactRules = Readonly<{
  /** At most this many invitations per contact in any rolling 365 days, across all surveys. */
  maxInvitationsPer365Days: number;
  /** At least this many days between two invitations of the same contact. */
  minDaysBetweenInvitations: number;
  /** At most this many different contacts of one client company (account) per account window. */
  accountMaxContactsPerWindow: number;
  /** Length of the account window in days; 0 switches the account budget off. */
  accountWindowDays: number;
  /** Skip a contact who responded (to any survey, through any channel) within this many days. */
  recentResponseDays: number;
  /** A reminder is due this many days after its invitation. */
  reminderAfterDays: number;
  /** Reminders per invitation: 0 (none) or 1 (PRODUCT.md allows at most one). */
  maxReminders: 0 | 1;
}>;

/**
 * Defaults that follow the source articles: at most twice a year, half a year apart, one contact per
 * client company per quarter, one reminder after five days.
 */
export const DEFAULT_CONTACT_RULES: ContactRules = Object.freeze({
  maxInvitationsPer365Days: 2,
  minDaysBetweenInvitations: 180,
  accountMaxContactsPerWindow: 1,
  accountWindowDays: 90,
  recentResponseDays: 180,
  reminderAfterDays: 5,
  maxReminders: 1,
});

function assertInteger(name: string, value: number, min: number, max = Infinity): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(`contact rules: ${name} must be an integer ${range}, got ${value}`);
  }
}

function assertDays(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`contact rules: ${name} must be a finite number ≥ 0, got ${value}`);
  }
}

/**
 * Throws when rules are nonsensical, so that a bad organisation setting fails loudly instead of
 * silently sending too much (or nothing).
 *
 * Day counts may be fractional (tests and tight pilots use hours); counts must be integers. The
 * yearly maximum is at least 1: an organisation that wants no invitations pauses its surveys.
 *
 * @throws RangeError naming the offending setting.
 */
export function assertValidContactRules(rules: ContactRules): void {
  assertInteger('maxInvitationsPer365Days', rules.maxInvitationsPer365Days, 1);
  assertDays('minDaysBetweenInvitations', rules.minDaysBetweenInvitations);
  assertInteger('accountMaxContactsPerWindow', rules.accountMaxContactsPerWindow, 1);
  assertDays('accountWindowDays', rules.accountWindowDays);
  assertDays('recentResponseDays', rules.recentResponseDays);
  assertDays('reminderAfterDays', rules.reminderAfterDays);
  assertInteger('maxReminders', rules.maxReminders, 0, 1);
}

/**
 * The defaults overlaid with an organisation's overrides, validated.
 *
 * @throws RangeError when the result is invalid.
 */
export function resolveContactRules(overrides: Partial<ContactRules> = {}): ContactRules {
  const defined = Object.fromEntries(
    Object.entries(overrides).filter(([, value]) => value !== undefined),
  ) as Partial<ContactRules>;
  const rules: ContactRules = Object.freeze({ ...DEFAULT_CONTACT_RULES, ...defined });
  assertValidContactRules(rules);
  return rules;
}

/**
 * Consent for research invitations. NPS invitations are research, not marketing, so 'unknown' is
 * allowed (legitimate interest); only an explicit withdrawal blocks.
 */
export type Consent = 'granted' | 'unknown' | 'withdrawn';

/**
 * How an invitation reaches the contact: 'email' is sent by the platform; 'link' is a personal link
 * the business hands over itself (on an invoice, from its CRM), so email state does not matter, but
 * the frequency rules still do.
 */
export type InvitationChannel = 'email' | 'link';

/** What the rules need to know about a contact right now. */
export type ContactState = Readonly<{
  id: string;
  unsubscribed: boolean;
  /** The email address hard-bounced; only matters for the email channel. */
  bounced: boolean;
  /** Erased under the GDPR (AVG): never contact again. */
  erased: boolean;
  /** The contact has an email address; only matters for the email channel. */
  hasEmail: boolean;
  consent: Consent;
}>;

/** The contact's own history, across every survey and channel of the organisation. */
export type ContactHistory = Readonly<{
  /**
   * Times of the contact's invitations (reminders excluded). Times after `now` (an invitation
   * already scheduled) count as well, so a scheduled invitation is never doubled.
   */
  invitedAt: readonly number[];
  /** Time of the contact's latest response to any survey, or null. */
  lastRespondedAt: number | null;
}>;

/** One invitation of a contact of an account. */
export type AccountInvitation = Readonly<{ contactId: string; invitedAt: number }>;

/**
 * Recent invitations of the contacts of the client company (account) the contact belongs to. The
 * contact's own invitations may be included; they are ignored for the account budget, which counts
 * other contacts.
 */
export type AccountHistory = Readonly<{
  accountId: string;
  invitations: readonly AccountInvitation[];
}>;

/** Everything `decideInvitation` needs; the caller reads it, the function decides. */
export type InvitationInput = Readonly<{
  /** The moment of sending (ms since the epoch). */
  now: number;
  rules: ContactRules;
  /** Defaults to 'email'. */
  channel?: InvitationChannel;
  contact: ContactState;
  contactHistory: ContactHistory;
  /** null for a consumer who belongs to no client company. */
  account: AccountHistory | null;
}>;

/** Why a contact is not invited. `code` is stable: UIs, logs and exports key on it. */
export type SkipReason =
  | Readonly<{ code: 'erased' }>
  | Readonly<{ code: 'unsubscribed' }>
  | Readonly<{ code: 'consent_withdrawn' }>
  | Readonly<{ code: 'bounced' }>
  | Readonly<{ code: 'no_email' }>
  | Readonly<{
      code: 'responded_recently';
      respondedAt: number;
      /** Whole days since the response (floored, never negative). */
      daysAgo: number;
      eligibleFrom: number;
    }>
  | Readonly<{
      code: 'too_recent';
      lastInvitedAt: number;
      /** Whole days since the latest invitation (floored, never negative). */
      daysAgo: number;
      eligibleFrom: number;
    }>
  | Readonly<{
      code: 'too_many_in_year';
      /** Invitations in the 365 days before `now`. */
      invitationsInWindow: number;
      max: number;
      eligibleFrom: number;
    }>
  | Readonly<{
      code: 'account_budget';
      accountId: string;
      /** Other contacts of the account invited within the account window. */
      contactsInWindow: number;
      max: number;
      eligibleFrom: number;
    }>
  | Readonly<{
      code: 'duplicate_in_batch';
      /** Position of the first occurrence of the contact in the batch. */
      firstIndex: number;
    }>;

/** Stable codes of skip reasons. */
export type SkipCode = SkipReason['code'];

/**
 * Reasons from most to least important: permanent and legal blocks first (they make the timing
 * irrelevant), then the frequency rules, then batch bookkeeping. Decisions list reasons in this
 * order, so a UI can show the first one as the headline.
 */
export const SKIP_REASON_ORDER: readonly SkipCode[] = Object.freeze([
  'erased',
  'unsubscribed',
  'consent_withdrawn',
  'bounced',
  'no_email',
  'responded_recently',
  'too_recent',
  'too_many_in_year',
  'account_budget',
  'duplicate_in_batch',
]);

/**
 * The outcome of `decideInvitation`. When ineligible, `eligibleFrom` is the first moment at which
 * every reason will have expired (if nothing else happens), or null when a reason never expires by
 * itself (erased, unsubscribed, …).
 */
export type InvitationDecision =
  | Readonly<{ eligible: true }>
  | Readonly<{ eligible: false; reasons: readonly SkipReason[]; eligibleFrom: number | null }>;

function assertTime(name: string, value: number): void {
  if (!Number.isFinite(value)) {
    throw new RangeError(`${name} must be a finite time in ms, got ${value}`);
  }
}

function daysBetween(from: number, to: number): number {
  return Math.max(0, Math.floor((to - from) / DAY_MS));
}

/**
 * The earliest time at which at most `allowed` of the given times remain inside a rolling window
 * that counts times t with t > T − windowMs. Times leave the window oldest first.
 */
function windowExit(sortedTimes: readonly number[], allowed: number, windowMs: number): number {
  const mustLeave = sortedTimes.length - allowed;
  const lastToLeave = sortedTimes[mustLeave - 1];
  if (lastToLeave === undefined) {
    throw new Error('windowExit called while within the allowance');
  }
  return lastToLeave + windowMs;
}

/** Reasons that come from the contact's state rather than from its history. */
type ContactStateReason = Extract<
  SkipReason,
  { code: 'erased' | 'unsubscribed' | 'consent_withdrawn' | 'bounced' | 'no_email' }
>;

function contactStateReasons(
  contact: ContactState,
  channel: InvitationChannel,
): ContactStateReason[] {
  const reasons: ContactStateReason[] = [];
  if (contact.erased) reasons.push({ code: 'erased' });
  if (contact.unsubscribed) reasons.push({ code: 'unsubscribed' });
  if (contact.consent === 'withdrawn') reasons.push({ code: 'consent_withdrawn' });
  if (channel === 'email') {
    if (contact.bounced) reasons.push({ code: 'bounced' });
    if (!contact.hasEmail) reasons.push({ code: 'no_email' });
  }
  return reasons;
}

/**
 * The one exception to the frequency rules: the short "is your problem solved to your
 * satisfaction?" follow-up of a resolved case (PRODUCT.md principle 5). It is tied to the case and
 * sent once, so the history windows (asked recently, too many this year, the account's budget, a
 * recent answer — the answer that opened the case) do not hold it back; the contact's state always
 * does: erased, unsubscribed, consent withdrawn, bounced or without an address is never asked.
 * The follow-up still counts as an invitation for every later send.
 */
export function decideCaseFollowUp(
  contact: ContactState,
  channel: InvitationChannel = 'email',
): InvitationDecision {
  const reasons = contactStateReasons(contact, channel);
  return reasons.length === 0 ? { eligible: true } : ineligible(reasons);
}

/**
 * Decides whether a contact may be invited now, under the organisation's rules.
 *
 * Returns every reason that applies, not just the first, so that the UI can tell the whole story
 * ("unsubscribed, and asked 40 days ago anyway") and so that fixing one cause does not reveal a
 * surprise second one. Reasons are ordered as in `SKIP_REASON_ORDER`.
 *
 * Windows, with now = the moment of sending:
 * - too_recent: the latest invitation is less than `minDaysBetweenInvitations` before now; at
 *   exactly that many days the contact is eligible again.
 * - too_many_in_year: invitations at t > now − 365 days number `maxInvitationsPer365Days` or more;
 *   an invitation exactly 365 days ago has left the window.
 * - responded_recently: the latest response is less than `recentResponseDays` before now.
 * - account_budget: other contacts of the account invited at t > now − `accountWindowDays` number
 *   `accountMaxContactsPerWindow` or more.
 *
 * @throws RangeError on invalid rules or non-finite times.
 */
export function decideInvitation(input: InvitationInput): InvitationDecision {
  const { now, rules, contact, contactHistory, account } = input;
  const channel = input.channel ?? 'email';
  assertValidContactRules(rules);
  assertTime('now', now);
  contactHistory.invitedAt.forEach((t) => assertTime('contactHistory.invitedAt', t));
  if (contactHistory.lastRespondedAt !== null) {
    assertTime('contactHistory.lastRespondedAt', contactHistory.lastRespondedAt);
  }
  account?.invitations.forEach((i) => assertTime('account.invitations.invitedAt', i.invitedAt));

  const reasons: SkipReason[] = [...contactStateReasons(contact, channel)];

  // Responded recently: an answer is the best reason not to ask again.
  const respondedAt = contactHistory.lastRespondedAt;
  if (respondedAt !== null) {
    const eligibleFrom = respondedAt + rules.recentResponseDays * DAY_MS;
    if (now < eligibleFrom) {
      reasons.push({
        code: 'responded_recently',
        respondedAt,
        daysAgo: daysBetween(respondedAt, now),
        eligibleFrom,
      });
    }
  }

  // Spacing between two invitations of this contact.
  const invitedAt = [...contactHistory.invitedAt].sort((a, b) => a - b);
  const lastInvitedAt = invitedAt[invitedAt.length - 1];
  if (lastInvitedAt !== undefined) {
    const eligibleFrom = lastInvitedAt + rules.minDaysBetweenInvitations * DAY_MS;
    if (now < eligibleFrom) {
      reasons.push({
        code: 'too_recent',
        lastInvitedAt,
        daysAgo: daysBetween(lastInvitedAt, now),
        eligibleFrom,
      });
    }
  }

  // Yearly maximum over a rolling 365-day window.
  const yearMs = YEAR_WINDOW_DAYS * DAY_MS;
  const inYear = invitedAt.filter((t) => t > now - yearMs);
  if (inYear.length >= rules.maxInvitationsPer365Days) {
    reasons.push({
      code: 'too_many_in_year',
      invitationsInWindow: inYear.length,
      max: rules.maxInvitationsPer365Days,
      eligibleFrom: windowExit(inYear, rules.maxInvitationsPer365Days - 1, yearMs),
    });
  }

  // Account budget: distinct other contacts of the same client company within the window.
  if (account !== null) {
    const windowMs = rules.accountWindowDays * DAY_MS;
    const latestByContact = new Map<string, number>();
    for (const { contactId, invitedAt: t } of account.invitations) {
      if (contactId === contact.id || t <= now - windowMs) continue;
      latestByContact.set(contactId, Math.max(t, latestByContact.get(contactId) ?? -Infinity));
    }
    if (latestByContact.size >= rules.accountMaxContactsPerWindow) {
      const latest = [...latestByContact.values()].sort((a, b) => a - b);
      reasons.push({
        code: 'account_budget',
        accountId: account.accountId,
        contactsInWindow: latest.length,
        max: rules.accountMaxContactsPerWindow,
        eligibleFrom: windowExit(latest, rules.accountMaxContactsPerWindow - 1, windowMs),
      });
    }
  }

  return reasons.length === 0 ? { eligible: true } : ineligible(reasons);
}

function ineligible(reasons: SkipReason[]): InvitationDecision {
  const ordered = [...reasons].sort(
    (a, b) => SKIP_REASON_ORDER.indexOf(a.code) - SKIP_REASON_ORDER.indexOf(b.code),
  );
  let eligibleFrom: number | null = -Infinity;
  for (const reason of ordered) {
    if ('eligibleFrom' in reason) {
      eligibleFrom = eligibleFrom === null ? null : Math.max(eligibleFrom, reason.eligibleFrom);
    } else {
      eligibleFrom = null;
    }
  }
  return { eligible: false, reasons: ordered, eligibleFrom };
}

/** One contact offered to `planBatch`. */
export type BatchCandidate = Readonly<{
  contact: ContactState;
  contactHistory: ContactHistory;
  account: AccountHistory | null;
  /** Defaults to 'email'. */
  channel?: InvitationChannel;
}>;

/** The decision for one candidate of a batch, in the candidate's position. */
export type BatchDecision = Readonly<{ contactId: string; decision: InvitationDecision }>;

/**
 * Decides a whole batch in order, as if each admitted invitation were sent at `now` before the next
 * candidate is considered.
 *
 * Why: the history read from the database does not yet contain the invitations of this batch, so
 * deciding candidates one by one would let ten colleagues of one firm through in the same send.
 * Here the second contact of an account gets 'account_budget', and a contact listed twice is
 * decided once (the repeat gets 'duplicate_in_batch'). Order is priority: put the contacts you most
 * want to hear from first.
 *
 * @returns one decision per candidate, in input order.
 * @throws RangeError on invalid rules or times.
 */
export function planBatch(
  now: number,
  rules: ContactRules,
  candidates: readonly BatchCandidate[],
): BatchDecision[] {
  const firstIndexByContact = new Map<string, number>();
  const plannedByAccount = new Map<string, AccountInvitation[]>();
  return candidates.map((candidate, index) => {
    const contactId = candidate.contact.id;
    const firstIndex = firstIndexByContact.get(contactId);
    if (firstIndex !== undefined) {
      return {
        contactId,
        decision: ineligible([{ code: 'duplicate_in_batch', firstIndex }]),
      };
    }
    firstIndexByContact.set(contactId, index);

    const account = candidate.account;
    const planned = account === null ? [] : (plannedByAccount.get(account.accountId) ?? []);
    const decision = decideInvitation({
      now,
      rules,
      channel: candidate.channel ?? 'email',
      contact: candidate.contact,
      contactHistory: candidate.contactHistory,
      account:
        account === null
          ? null
          : { accountId: account.accountId, invitations: [...account.invitations, ...planned] },
    });
    if (decision.eligible && account !== null) {
      plannedByAccount.set(account.accountId, [...planned, { contactId, invitedAt: now }]);
    }
    return { contactId, decision };
  });
}

/** Everything `decideReminder` needs. A reminder is always an email. */
export type ReminderInput = Readonly<{
  now: number;
  rules: ContactRules;
  /** When the invitation this reminder belongs to was sent. */
  invitationSentAt: number;
  /** Reminders already sent for this invitation. */
  remindersSent: number;
  /** The contact answered this invitation (any answer, even only a score). */
  responded: boolean;
  contact: ContactState;
}>;

/** Why no reminder is sent. `code` is stable. */
export type ReminderSkipReason =
  | Readonly<{ code: 'erased' }>
  | Readonly<{ code: 'unsubscribed' }>
  | Readonly<{ code: 'consent_withdrawn' }>
  | Readonly<{ code: 'bounced' }>
  | Readonly<{ code: 'no_email' }>
  | Readonly<{ code: 'responded' }>
  | Readonly<{ code: 'reminders_disabled' }>
  | Readonly<{ code: 'already_reminded'; remindersSent: number; max: number }>
  | Readonly<{ code: 'too_early'; dueAt: number }>;

/** Stable codes of reminder skip reasons, most important first. */
export const REMINDER_SKIP_REASON_ORDER: readonly ReminderSkipReason['code'][] = Object.freeze([
  'erased',
  'unsubscribed',
  'consent_withdrawn',
  'bounced',
  'no_email',
  'responded',
  'reminders_disabled',
  'already_reminded',
  'too_early',
]);

export type ReminderDecision =
  | Readonly<{ eligible: true }>
  | Readonly<{ eligible: false; reasons: readonly ReminderSkipReason[] }>;

/**
 * Decides whether the reminder of an invitation may be sent now.
 *
 * A reminder belongs to its invitation and is not a new one: it ignores the yearly maximum, the
 * spacing and the account budget (the invitation already passed them), but it respects everything
 * that changed since — unsubscribe, bounce, erasure, withdrawn consent — and is never sent to a
 * contact who already answered. Returns all reasons, ordered as in `REMINDER_SKIP_REASON_ORDER`.
 *
 * @throws RangeError on invalid rules, times or reminder count.
 */
export function decideReminder(input: ReminderInput): ReminderDecision {
  const { now, rules, invitationSentAt, remindersSent, responded, contact } = input;
  assertValidContactRules(rules);
  assertTime('now', now);
  assertTime('invitationSentAt', invitationSentAt);
  if (!Number.isInteger(remindersSent) || remindersSent < 0) {
    throw new RangeError(`remindersSent must be a non-negative integer, got ${remindersSent}`);
  }

  const reasons: ReminderSkipReason[] = [...contactStateReasons(contact, 'email')];
  if (responded) reasons.push({ code: 'responded' });
  if (rules.maxReminders === 0) {
    reasons.push({ code: 'reminders_disabled' });
  } else if (remindersSent >= rules.maxReminders) {
    reasons.push({ code: 'already_reminded', remindersSent, max: rules.maxReminders });
  }
  const dueAt = invitationSentAt + rules.reminderAfterDays * DAY_MS;
  if (now < dueAt) reasons.push({ code: 'too_early', dueAt });

  return reasons.length === 0 ? { eligible: true } : { eligible: false, reasons };
}
