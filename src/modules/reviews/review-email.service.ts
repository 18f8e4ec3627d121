import type { EmailSkipReason } from '../email/skip-reasons.ts';
import type { Executor } from '../../db/database.ts';
import { chooseGreeting } from '../../domain/greeting/greeting.ts';
import { decideReviewEmail } from '../../domain/reviews/review-email.ts';
import { reviewSiteName } from '../../domain/reviews/review-sites.ts';
import { customerT } from '../../i18n/messages.ts';
import type { Deps } from '../../platform/deps.ts';
import type { JobResult } from '../../platform/jobs/define-job.ts';
import { newId, newToken, uuidv7Time } from '../../shared/ids.ts';
import {
  customerMailHeaders,
  deliverCustomerMail,
  renderCustomerMail,
  senderAddressFor,
  skipCustomerMail,
} from '../email/customer-mail.ts';
import { emailStatusesByMessageId } from '../email/emails.repository.ts';
import { messageIdHost } from '../email/mail-transport.ts';
import { greetingText } from '../email/render-invitation-email.ts';
import { organisationLogo } from '../organisations/logos.service.ts';
import { parseSettings } from '../organisations/organisation-settings.ts';
import { findOrganisation } from '../organisations/organisations.repository.ts';
import * as repo from './review-requests.repository.ts';
import type { ReviewRequestRow } from './review-requests.repository.ts';
import { findReviewSettings } from './reviews.repository.ts';
import { reviewPolicyPath } from './reviews.routes.ts';

/**
 * When the contact was last asked, by another answer's request: when it was sent, or — while its
 * email is still on its way (not written yet, queued, or sent but not yet marked) — when it was
 * made, so a job running just after another one does not ask again. A request whose email was held
 * (no mail server) or refused asked nobody.
 */
async function lastAskedAt(
  db: Executor,
  organisationId: string,
  others: readonly ReviewRequestRow[],
): Promise<number | null> {
  const unsent = others.filter((r) => r.sent_at === null);
  const statuses = await emailStatusesByMessageId(
    db,
    organisationId,
    unsent.map((r) => r.message_id),
  );
  const asked = others.flatMap((r) => {
    if (r.sent_at !== null) return [r.sent_at];
    const status = statuses.get(r.message_id);
    return status === undefined || status === 'queued' || status === 'sent' ? [r.created_at] : [];
  });
  return asked.length > 0 ? Math.max(...asked) : null;
}

type ReviewContact = NonNullable<Awaited<ReturnType<typeof repo.findContactForReview>>> & {
  email: string;
};

/** The one-click unsubscribe from review requests only (`/rv/:token`). */
export const reviewUnsubscribePath = (token: string): string => `/rv/${token}`;

/**
 * The review-request email of one answer (issue 12), when its job comes due. Everything that
 * decides is read again now — the answer's "you may contact me" (an edit may have changed it),
 * the contact's address, unsubscribes (from everything, or from review requests), bounces and
 * erasure, the organisation's setting and sites, and the contact's earlier requests — and the pure
 * rule `decideReviewEmail` decides, without the score. One request per answer (a retried job sends
 * the same message, with the same unsubscribe link); at most one a year per contact.
 */
export async function sendReviewEmail(
  deps: Deps,
  organisationId: string,
  responseId: string,
): Promise<JobResult> {
  const db = deps.db.kysely;
  const skipped = (detail: string): JobResult => ({ status: 'skipped', detail });
  const settings = await findReviewSettings(db, organisationId);
  const now = deps.now();
  // Decide and record the request in one transaction, the contact's requests locked: of two
  // answers' jobs at once, the second waits and then sees the first one's request.
  type Claim =
    | { skip: EmailSkipReason; contact?: undefined; request?: undefined; composed?: string }
    | { skip?: undefined; contact: ReviewContact; request: ReviewRequestRow };
  const claim = await db.transaction().execute(async (trx): Promise<Claim> => {
    const answer = await repo.findAnswerForReview(trx, organisationId, responseId);
    if (!answer) return { skip: 'answer not found' };
    const contactId = answer.contact_id;
    if (contactId) await repo.lockContactReviewRequests(trx, organisationId, contactId);
    const contact = contactId
      ? await repo.findContactForReview(trx, organisationId, contactId)
      : undefined;
    const earlier = contactId
      ? await repo.listContactReviewRequests(trx, organisationId, contactId)
      : [];
    const own = earlier.find((r) => r.response_id === responseId);
    const others = earlier.filter((r) => r !== own);
    const decision = decideReviewEmail({
      // The answer's score is not read (`findAnswerForReview` does not select it): the rule is
      // handed a constant, and it ignores the value anyway.
      score: 0,
      emailAfterHours: settings.emailAfterHours,
      siteCount: settings.sites.length,
      hasContact: contact !== undefined,
      mayContact: answer.may_contact === 1,
      hasEmail: Boolean(contact?.email),
      erased: contact?.erased_at != null,
      bounced: contact?.bounced_at != null,
      unsubscribed: contact?.unsubscribed_at != null,
      reviewUnsubscribed: earlier.some((r) => r.unsubscribed_at !== null),
      requestedForAnswer: own?.sent_at != null,
      lastSentAt: await lastAskedAt(trx, organisationId, others),
      now,
    });
    // An earlier attempt of this answer's request may have composed its email (a retry).
    const composed = own?.message_id;
    if (!decision.send) return { skip: decision.reason, composed };
    if (!contact?.email || !contactId) return { skip: 'no_email', composed };

    // The request is written before the email, so a retry finds it and sends the same message.
    if (own) return { contact: { ...contact, email: contact.email }, request: own };
    const id = newId();
    await repo.insertReviewRequestIfAbsent(trx, {
      id,
      organisation_id: organisationId,
      contact_id: contactId,
      response_id: responseId,
      token: newToken(),
      message_id: `<${id}.review@${messageIdHost(deps.config.publicUrl)}>`,
      created_at: now,
      sent_at: null,
      unsubscribed_at: null,
    });
    const request = (await repo.listContactReviewRequests(trx, organisationId, contactId)).find(
      (r) => r.response_id === responseId,
    );
    if (!request) return { skip: 'request row missing' };
    return { contact: { ...contact, email: contact.email }, request };
  });
  if (claim.skip !== undefined) {
    return claim.composed
      ? skipCustomerMail(deps, organisationId, claim.composed, claim.skip)
      : skipped(claim.skip);
  }
  const { contact, request } = claim;
  const org = await findOrganisation(db, organisationId);
  if (!org) return skipped('organisation not found');

  const orgSettings = parseSettings(org.settings);
  const locale = contact.language;
  const t = customerT(locale, orgSettings.formality);
  const base = deps.config.publicUrl.replace(/\/+$/, '');
  const unsubscribeUrl = `${base}${reviewUnsubscribePath(request.token)}`;
  const organisation = org.name;
  const subject = t('email.review.subject', { organisation });
  const rendered = renderCustomerMail({
    subject,
    paragraphs: [
      greetingText(
        t,
        chooseGreeting({ firstName: contact.first_name, salutation: contact.salutation }),
      ),
      t('email.review.intro', { organisation }),
      t('email.review.ask'),
      t('email.review.everyone'),
    ],
    links: settings.sites.map((site) => ({
      label: t('page.review.on', { site: reviewSiteName(site) }),
      url: site.url,
    })),
    secondaryLinks: [
      {
        label: t('email.review.policy'),
        url: `${base}${reviewPolicyPath(organisationId)}?lang=${locale}`,
      },
    ],
    footer: t('email.review.footer', { organisation }),
    unsubscribe: { label: t('email.review.unsubscribe'), url: unsubscribeUrl },
    brandColor: orgSettings.brandColor,
    logoUrl: organisationLogo(orgSettings, base),
    organisationName: organisation,
    locale,
  });
  const fromAddress = await senderAddressFor(deps, organisationId);
  const result = await deliverCustomerMail(
    deps,
    organisationId,
    'review_request',
    request.message_id,
    uuidv7Time(request.id) ?? 0,
    contact.email,
    {
      subject,
      ...rendered,
      headers: customerMailHeaders(
        { name: org.name, settings: orgSettings },
        fromAddress,
        unsubscribeUrl,
      ),
    },
  );
  if (result.sent) await repo.markReviewRequestSent(db, organisationId, request.id, deps.now());
  return { status: result.status, ...(result.detail ? { detail: result.detail } : {}) };
}
