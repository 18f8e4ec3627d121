import type { EmailTable, Locale } from '../../db/schema.ts';
import type { Deps } from '../../platform/deps.ts';
import type { JobResult } from '../../platform/jobs/define-job.ts';
import type { parseSettings as parseOrganisationSettings } from '../organisations/organisation-settings.ts';
import { escapeHtml } from '../public-pages/html.ts';
import { isContactMail, recordCustomerMailBounce } from './bounces.service.ts';
import { deliverMail } from './deliver-mail.ts';
import { closeQueuedEmailByMessageId } from './emails.repository.ts';
import type { EmailSkipReason } from './skip-reasons.ts';
import { mailRouteOf } from './mail-route.slot.ts';
import { fromHeader, senderAddress } from './mail-transport.ts';

const FONT = 'Arial,Helvetica,sans-serif';

export interface CustomerMail {
  subject: string;
  /** Paragraphs of plain text; links go in `links`. */
  paragraphs: string[];
  links: { label: string; url: string }[];
  /** Plain text links under the buttons (the review request's disclosure page). */
  secondaryLinks?: { label: string; url: string }[];
  footer: string;
  unsubscribe: { label: string; url: string } | null;
  brandColor: string;
  logoUrl: string | null;
  organisationName: string;
  locale: Locale;
}

/**
 * One plain-text part and one simple HTML part, every value escaped: the shape of the emails to
 * customers outside the NPS loop, in the organisation's colour and with its logo.
 */
export function renderCustomerMail(m: CustomerMail): { text: string; html: string } {
  const text = [
    ...m.paragraphs.flatMap((p) => [p, '']),
    ...m.links.map((l) => `${l.label}: ${l.url}`),
    ...(m.secondaryLinks ?? []).map((l) => `${l.label}: ${l.url}`),
    '',
    '--',
    m.footer,
    ...(m.unsubscribe ? [`${m.unsubscribe.label}: ${m.unsubscribe.url}`] : []),
    '',
  ].join('\n');
  const color = escapeHtml(m.brandColor);
  const cell = `font-family:${FONT};color:#222222;font-size:16px;line-height:24px;`;
  const logo = m.logoUrl
    ? `<tr><td style="padding:24px 24px 0;"><img src="${escapeHtml(m.logoUrl)}" alt="${escapeHtml(m.organisationName)}" height="40" style="display:block;height:40px;border:0;"></td></tr>`
    : '';
  const html = `<!DOCTYPE html>
<html lang="${m.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(m.subject)}</title></head>
<body style="margin:0;padding:0;background-color:#f4f4f4;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="#f4f4f4"><tr><td align="center" style="padding:24px 8px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" bgcolor="#ffffff" style="width:100%;max-width:600px;background-color:#ffffff;border-radius:6px;">
${logo}${m.paragraphs.map((p) => `<tr><td style="padding:16px 24px 0;${cell}">${escapeHtml(p)}</td></tr>`).join('\n')}
${m.links
  .map(
    (l) =>
      `<tr><td style="padding:16px 24px 0;"><a href="${escapeHtml(l.url)}" target="_blank" style="display:inline-block;padding:12px 20px;background-color:${color};color:#ffffff;border-radius:4px;font-family:${FONT};font-weight:bold;text-decoration:none;">${escapeHtml(l.label)}</a></td></tr>`,
  )
  .join('\n')}
${(m.secondaryLinks ?? [])
  .map(
    (l) =>
      `<tr><td style="padding:16px 24px 0;${cell}"><a href="${escapeHtml(l.url)}" target="_blank" style="color:#222222;text-decoration:underline;">${escapeHtml(l.label)}</a></td></tr>`,
  )
  .join('\n')}
<tr><td style="padding:32px 24px 24px;font-family:${FONT};font-size:12px;line-height:18px;color:#777777;">${escapeHtml(m.footer)}${m.unsubscribe ? `<br><a href="${escapeHtml(m.unsubscribe.url)}" target="_blank" style="color:#555555;text-decoration:underline;">${escapeHtml(m.unsubscribe.label)}</a>` : ''}</td></tr>
</table></td></tr></table></body></html>
`;
  return { text, html };
}

const skipped = (detail: string): JobResult => ({ status: 'skipped', detail });

/**
 * The delivery of every email to a customer outside the NPS loop (the programme invitation, the
 * friend's welcome offer, the review request) — `deliverMail`, told as a job's result. Its callers
 * are listed in test/platform/mail-senders.test.ts with who each writes to.
 */
export async function deliverCustomerMail(
  deps: Deps,
  organisationId: string,
  kind: EmailTable['kind'],
  messageId: string,
  /** A time of the cause every retry sees the same (a job's or row's id): the email's month. */
  placedAt: number,
  to: string,
  rendered: { subject: string; text: string; html: string; headers: Record<string, string> },
): Promise<JobResult & { sent: boolean }> {
  const result = await deliverMail(deps, {
    organisationId,
    kind,
    messageId,
    placedAt,
    to,
    ...rendered,
  });
  switch (result.status) {
    case 'sent':
      return { status: 'success', sent: true };
    case 'already-sent':
      return { status: 'success', detail: 'already sent', sent: true };
    case 'already-refused':
      return { ...skipped('refused for good earlier: not sent again'), sent: false };
    case 'held':
      return { ...skipped('no mail server: kept in the local outbox, not sent'), sent: false };
    case 'rejected':
      // The mail server refused the address outright (5xx): as a hard bounce reported later would,
      // it suppresses the contact it was for (a review request, the programme's invitation).
      if (isContactMail(kind)) {
        await deps.db.kysely.transaction().execute((trx) =>
          recordCustomerMailBounce(trx, {
            organisationId,
            messageId,
            to,
            type: 'bounce',
            permanent: true,
            source: `smtp:${result.code}`,
            now: deps.now(),
          }),
        );
      }
      return { ...skipped(`recipient rejected (${result.code})`), sent: false };
    case 'refused':
      // The message was refused after its DATA (as spam, too big): final, but the address may be
      // fine, so the customer is not suppressed. The outbox shows why; staff may try it again.
      return { ...skipped(`message refused (${result.code})`), sent: false };
    case 'missing':
      return { ...skipped('email row missing'), sent: false };
  }
}

/**
 * A customer mail's job that decides not to send (the voucher expired, the customer unsubscribed
 * meanwhile, …): closes the email an earlier attempt may have composed — one whose mail server
 * failed — as failed with `skipped: <reason>` and no retry, as a skipped invitation's is, instead of
 * leaving it queued for ever; and says so as the job's result.
 */
export async function skipCustomerMail(
  deps: Deps,
  organisationId: string,
  messageId: string,
  reason: EmailSkipReason,
): Promise<JobResult> {
  await closeQueuedEmailByMessageId(deps.db.kysely, organisationId, messageId, reason);
  return skipped(reason);
}

/** From, Reply-To, and the RFC 8058 one-click unsubscribe headers when there is a link. */
export function customerMailHeaders(
  org: { name: string; settings: ReturnType<typeof parseOrganisationSettings> },
  fromAddress: string,
  unsubscribeUrl: string | null,
): Record<string, string> {
  return {
    From: fromHeader(org.settings.senderName ?? org.name, fromAddress),
    ...(org.settings.replyTo ? { 'Reply-To': org.settings.replyTo } : {}),
    ...(unsubscribeUrl
      ? {
          'List-Unsubscribe': `<${unsubscribeUrl}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        }
      : {}),
  };
}

/** The sender address of an organisation's mail route: its own server's, else `MAIL_FROM`'s. */
export async function senderAddressFor(deps: Deps, organisationId: string): Promise<string> {
  const route = await mailRouteOf(deps, organisationId);
  return route.kind === 'smtp' ? route.fromAddress : senderAddress(deps.config.MAIL_FROM);
}
