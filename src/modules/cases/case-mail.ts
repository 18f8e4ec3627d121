import type { Locale } from '../../db/schema.ts';
import type { Deps } from '../../platform/deps.ts';
import { t } from '../../i18n/messages.ts';
import { senderAddressFor } from '../email/customer-mail.ts';
import { deliverMail, type DeliveryResult } from '../email/deliver-mail.ts';
import { fromHeader, messageIdHost } from '../email/mail-transport.ts';
import { escapeHtml } from '../public-pages/html.ts';

export type CaseMailFacts = {
  organisationName: string;
  caseId: string;
  score: number;
  comment: string | null;
  contactName: string | null;
  phone: string | null;
  email: string | null;
  mayContact: boolean;
  dueAt: number;
  ownerName: string | null;
};

function formatDue(ms: number, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'nl' ? 'nl-NL' : 'en-GB', {
    timeZone: 'Europe/Amsterdam',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(ms));
}

/**
 * The owner's alert (or the manager's escalation) about a case, in the reader's language: score,
 * comment, how to reach the customer, the due time, and a link to the case. Staff mail, so it uses
 * the staff voice and carries no unsubscribe link for a customer.
 */
export function renderCaseMail(
  kind: 'case_alert' | 'case_escalation',
  facts: CaseMailFacts,
  locale: Locale,
  caseUrl: string,
): { subject: string; text: string; html: string } {
  const who = facts.contactName ?? t(locale, 'cases.mail.unknown_customer');
  const subject = t(
    locale,
    kind === 'case_alert' ? 'cases.mail.alert_subject' : 'cases.mail.escalation_subject',
    {
      score: facts.score,
      customer: who,
    },
  );
  const lines: [string, string][] = [
    [t(locale, 'cases.mail.customer'), who],
    [t(locale, 'cases.mail.score'), String(facts.score)],
    [t(locale, 'cases.mail.comment'), facts.comment ?? t(locale, 'cases.mail.no_comment')],
    [t(locale, 'cases.mail.phone'), facts.phone ?? '—'],
    [t(locale, 'cases.mail.email'), facts.email ?? '—'],
    [
      t(locale, 'cases.mail.may_contact'),
      t(locale, facts.mayContact ? 'cases.mail.yes' : 'cases.mail.no'),
    ],
    [t(locale, 'cases.mail.due'), formatDue(facts.dueAt, locale)],
  ];
  if (kind === 'case_escalation') {
    lines.push([
      t(locale, 'cases.mail.owner'),
      facts.ownerName ?? t(locale, 'cases.mail.unassigned'),
    ]);
  }
  const intro = t(
    locale,
    kind === 'case_alert' ? 'cases.mail.alert_intro' : 'cases.mail.escalation_intro',
    { organisation: facts.organisationName },
  );
  const action = t(locale, 'cases.mail.open_case');
  const text = [
    intro,
    '',
    ...lines.map(([k, v]) => `${k}: ${v}`),
    '',
    `${action}: ${caseUrl}`,
  ].join('\n');
  const html = `<!doctype html><html lang="${locale}"><body style="font-family:system-ui,sans-serif;color:#1b1b1b">
<p>${escapeHtml(intro)}</p>
<table style="border-collapse:collapse">${lines
    .map(
      ([k, v]) =>
        `<tr><th style="text-align:left;padding:4px 12px 4px 0;vertical-align:top">${escapeHtml(k)}</th><td style="padding:4px 0;white-space:pre-wrap">${escapeHtml(v)}</td></tr>`,
    )
    .join('')}</table>
<p><a href="${escapeHtml(caseUrl)}" style="display:inline-block;padding:10px 16px;background:#1f6f5c;color:#fff;text-decoration:none;border-radius:6px">${escapeHtml(action)}</a></p>
</body></html>`;
  return { subject, text, html };
}

/** The Message-ID of a staff mail: one per key, so every retry sends the same mail. */
export const staffMessageId = (deps: Pick<Deps, 'config'>, key: string): string =>
  `<${key}@${messageIdHost(deps.config.publicUrl)}>`;

/**
 * A staff mail of the closed loop (alert, escalation) to one member: written once per Message-ID
 * and handed to the organisation's mail route (`deliverMail`). A mail server that fails is recorded
 * on the row and thrown, for the job's retry; out of retries the job gives the mail up
 * (cases.job-handlers.ts `recordMailGivenUp`).
 */
export async function sendStaffMail(
  deps: Deps,
  organisationId: string,
  mail: {
    kind: 'case_alert' | 'case_escalation';
    key: string;
    /** A time of the cause every retry sees the same (the case's id): the email's month. */
    placedAt: number;
    to: string;
    subject: string;
    text: string;
    html: string;
    senderName: string;
  },
): Promise<DeliveryResult> {
  return deliverMail(deps, {
    organisationId,
    kind: mail.kind,
    messageId: staffMessageId(deps, mail.key),
    placedAt: mail.placedAt,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: {
      From: fromHeader(`Loyaal · ${mail.senderName}`, await senderAddressFor(deps, organisationId)),
    },
  });
}
