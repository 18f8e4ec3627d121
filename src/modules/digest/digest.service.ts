import type { Executor } from '../../db/database.ts';
import type { Role } from '../../db/schema.ts';
import { AppError, forbidden } from '../../shared/errors.ts';
import { addLocalDays } from '../analytics/calendar.ts';
import type { OverviewJson } from '../analytics/analytics.schemas.ts';
import { resultsOverview } from '../analytics/insight.service.ts';
import type { EventEnvelope } from '../../platform/events/define-event.ts';
import type { Actor } from '../auth/actor.ts';
import { can } from '../auth/policies.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { listCases } from '../cases/case-views.service.ts';
import type { EmailReported } from '../email/email.events.ts';
import type { NotificationJson } from '../notifications/notifications.schemas.ts';
import { listNotifications } from '../notifications/notifications.service.ts';
import { digestOfMessageId } from './digest-message-id.ts';
import type { DigestWeek } from './digest-week.ts';
import * as repo from './digest.repository.ts';

/**
 * Who gets the weekly digest. The issue asks for a digest "to managers (opt-out per user)": the
 * people who run the programme — owners, admins and managers — get it until they turn it off.
 * Account managers and viewers may turn it on (an account manager's holds their own customers
 * only); it is not pushed on them, since their home screen and case alerts already reach them.
 */
export function digestByDefault(role: Role): boolean {
  return repo.DEFAULT_DIGEST_ROLES.includes(role);
}

/** The member's own choice when they made one (1 or 0), else their role's default. */
export function wantsDigest(role: Role, choice: number | null): boolean {
  return choice === null ? digestByDefault(role) : choice === 1;
}

export interface DigestSettingJson {
  weeklyDigest: boolean;
  /** What the role gets without a choice; `chosen` says whether the member chose. */
  byDefault: boolean;
  chosen: boolean;
}

async function ownMembership(db: Executor, actor: Actor) {
  // An API key has no membership and no mailbox: the digest is a person's.
  if (actor.kind !== 'user') throw forbidden();
  const m = await repo.findOwnMembership(db, actor.organisationId, actor.id);
  if (!m) throw new AppError('unauthenticated');
  return m;
}

function presentSetting(role: Role, choice: number | null): DigestSettingJson {
  return {
    weeklyDigest: wantsDigest(role, choice),
    byDefault: digestByDefault(role),
    chosen: choice !== null,
  };
}

export async function myDigestSetting(db: Executor, actor: Actor): Promise<DigestSettingJson> {
  const m = await ownMembership(db, actor);
  return presentSetting(m.role, m.weekly_digest);
}

/** Turns the member's own digest on or off (in the organisation of their session), audited. */
export async function setMyDigest(
  db: Executor,
  actor: Actor,
  wanted: boolean,
  now: number,
): Promise<DigestSettingJson> {
  const m = await ownMembership(db, actor);
  await repo.setDigestChoice(db, actor.organisationId, m.id, wanted);
  await recordAudit(
    db,
    actor,
    {
      action: wanted ? 'member.digest_on' : 'member.digest_off',
      entityType: 'membership',
      entityId: m.id,
      data: { via: 'settings' },
    },
    now,
  );
  return presentSetting(m.role, wanted ? 1 : 0);
}

/**
 * Why a digest was stopped from outside the app: its one-click unsubscribe, or the mail provider's
 * report of a complaint or hard bounce about one digest (`source`: where the report came from).
 */
export type DigestStop =
  { via: 'email' } | { via: 'complaint' | 'bounce'; source: string; messageId: string };

/**
 * Stops the digest of one membership only (no other mail, no other organisation): the one-click
 * unsubscribe behind a digest, and a complaint or hard bounce about one. Idempotent; the first
 * change is audited, saying why.
 */
export async function stopDigest(
  db: Executor,
  member: { id: string; organisation_id: string; weekly_digest: number | null },
  why: DigestStop,
  now: number,
): Promise<void> {
  if (member.weekly_digest === 0) return;
  await repo.setDigestChoice(db, member.organisation_id, member.id, false);
  await recordAudit(
    db,
    { kind: 'system', organisationId: member.organisation_id },
    {
      action: 'member.digest_off',
      entityType: 'membership',
      entityId: member.id,
      data: why,
    },
    now,
  );
}

/**
 * The mail provider's reports about digests (the email module's `email.reported`, from the bounce
 * webhook): a reader marked one as spam, or their address bounced for good. Each stops that
 * membership's digest, as its one-click unsubscribe does (audited with the report's source and
 * Message-ID). A report about another kind of mail, a Message-ID that is no digest's, or a member
 * who is gone changes nothing.
 */
export async function stopDigestsOnReports(
  db: Executor,
  reports: readonly EventEnvelope<EmailReported>[],
  now: number,
): Promise<void> {
  for (const { organisationId, data } of reports) {
    if (data.kind !== 'weekly_digest') continue;
    const digest = digestOfMessageId(data.messageId);
    if (!digest) continue;
    const member = await repo.findDigestMember(db, organisationId, digest.membershipId);
    if (!member) continue;
    const { report: via, source, messageId } = data;
    await stopDigest(db, member, { via, source, messageId }, now);
  }
}

/** What one member's digest says, each figure read through their own scoped actor. */
export interface DigestContent {
  week: DigestWeek;
  /** The last 7 days: the reported week, against the week before it. */
  lastWeek: OverviewJson;
  /** The last 90 days up to the end of the week, against the 90 days before. */
  last90: OverviewJson;
  /** Open cases and those past their first-contact deadline; null for a role without cases. */
  cases: { open: number; overdue: number } | null;
  /** Celebrate and attention notes made in the week (none while NPS per employee is off). */
  notes: NotificationJson[];
  /** A few of the week's latest comments: score and text only, no customer named. */
  comments: { score: number; comment: string }[];
}

export const DIGEST_COMMENTS = 3;

/**
 * Composes a digest with the member's own actor, through the very reads of their screens: the
 * home screen's overview (`resultsOverview`: NPS with interval and n, the change against the
 * previous period and whether it is real), the case inbox's counts, the notification feed. So an
 * account manager's digest holds their own customers' figures and nothing else, as their home.
 */
export async function composeDigest(
  db: Executor,
  actor: Actor,
  week: DigestWeek,
  now: number,
): Promise<DigestContent> {
  const lastWeek = await resultsOverview(db, actor, { from: week.from, to: week.to }, now);
  const last90 = await resultsOverview(
    db,
    actor,
    { from: addLocalDays(week.to, -90), to: week.to },
    now,
  );
  let cases: DigestContent['cases'] = null;
  if (can(actor, 'cases:read')) {
    const open = await listCases(db, actor, { status: 'active', limit: 1, total: true }, now);
    const overdue = await listCases(
      db,
      actor,
      { status: 'active', overdue: 'true', limit: 1, total: true },
      now,
    );
    cases = { open: open.total ?? 0, overdue: overdue.total ?? 0 };
  }
  let notes: NotificationJson[] = [];
  try {
    const feed = await listNotifications(db, actor, { status: 'all', limit: 50 });
    notes = feed.items.filter((n) => {
      const at = Date.parse(n.createdAt);
      return at >= week.from && at < week.to;
    });
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'employee_nps_disabled')) throw err;
  }
  const comments = lastWeek.latestComments
    .filter((c) => c.comment !== null && c.comment.trim() !== '')
    .slice(0, DIGEST_COMMENTS)
    .map((c) => ({ score: c.score, comment: c.comment ?? '' }));
  return { week, lastWeek, last90, cases, notes, comments };
}
