import { chooseGreeting } from '../../domain/greeting/greeting.ts';
import { decideReviewEmail } from '../../domain/reviews/review-email.ts';
import { reviewSiteName } from '../../domain/reviews/review-sites.ts';
import { customerT } from '../../i18n/messages.ts';
import type { Deps } from '../../platform/deps.ts';
import type { JobResult } from '../../platform/jobs/define-job.ts';
import { newId, newToken } from '../../shared/ids.ts';
import {
  customerMailHeaders,
  deliverCustomerMail,
  renderCustomerMail,
  senderAddressFor,
} from '../email/customer-mail.ts';
import { messageIdHost } from '../email/mail-transport.ts';
import { greetingText } from '../email/render-invitation-email.ts';
import { organisationLogo } from '../organisations/logos.service.ts';
import { parseSettings } from '../organisations/organisation-settings.ts';
import { findOrganisation } from '../organisations/organisations.repository.ts';
import * as repo from './review-requests.repository.ts';
import { findReviewSettings } from './reviews.repository.ts';
import { reviewPolicyPath } from './reviews.routes.ts';

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
  const answer = await repo.findAnswerForReview(db, organisationId, responseId);
  if (!answer) return skipped('answer not found');
  const contact = answer.contact_id
    ? await repo.findContactForReview(db, organisationId, answer.contact_id)
    : undefined;
  const earlier = answer.contact_id
    ? await repo.listContactReviewRequests(db, organisationId, answer.contact_id)
    : [];
  const own = earlier.find((r) => r.response_id === responseId);
  const others = earlier.filter((r) => r !== own);
  const lastSent = Math.max(...others.map((r) => r.sent_at ?? -Infinity));
  const now = deps.now();
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
    lastSentAt: Number.isFinite(lastSent) ? lastSent : null,
    now,
  });
  if (!decision.send) return skipped(decision.reason);
  if (!contact?.email || !answer.contact_id) return skipped('no_email');
  const org = await findOrganisation(db, organisationId);
  if (!org) return skipped('organisation not found');

  // The request is written before the email, so a retry finds it and sends the same message.
  let request = own;
  if (!request) {
    const id = newId();
    await repo.insertReviewRequestIfAbsent(db, {
      id,
      organisation_id: organisationId,
      contact_id: answer.contact_id,
      response_id: responseId,
      token: newToken(),
      message_id: `<${id}.review@${messageIdHost(deps.config.publicUrl)}>`,
      created_at: now,
      sent_at: null,
      unsubscribed_at: null,
    });
    request = (await repo.listContactReviewRequests(db, organisationId, answer.contact_id)).find(
      (r) => r.response_id === responseId,
    );
    if (!request) return skipped('request row missing');
  }

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
