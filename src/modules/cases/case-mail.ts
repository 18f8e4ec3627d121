import type { EmailTable, Locale } from '../../db/schema.ts';
import type { Deps } from '../../platform/deps.ts';
import { t } from '../../i18n/messages.ts';
import { emailId } from '../email/email-ids.ts';
import * as emails from '../email/emails.repository.ts';
import {
  classifyMailFailure,
  fromHeader,
  messageIdHost,
  sendOverSmtp,
  senderAddress,
} from '../email/mail-transport.ts';
import { resolveMailRoute } from '../mail-server/mail-server.service.ts';
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
 * Writes a staff email to `emails` (idempotent by Message-ID) and hands it to the organisation's
 * mail route: its own server, the installation's, or the local outbox (kept, never sent). A
 * temporary failure throws so the job retries; the row says why it waits.
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
  now: number,
): Promise<'sent' | 'held' | 'already'> {
  const db = deps.db.kysely;
  const messageId = staffMessageId(deps, mail.key);
  const existing = await emails.findEmailByMessageId(db, organisationId, messageId);
  if (existing && (existing.status === 'sent' || existing.status === 'held')) return 'already';
  const route = await resolveMailRoute(db, deps.config, organisationId);
  const fromAddress =
    route.kind === 'smtp' ? route.fromAddress : senderAddress(deps.config.MAIL_FROM);
  const headers = { From: fromHeader(`Loyaal · ${mail.senderName}`, fromAddress) };
  if (!existing) {
    const row: EmailTable = {
      id: emailId(messageId, mail.placedAt),
      organisation_id: organisationId,
      kind: mail.kind,
      invitation_id: null,
      to_address: mail.to,
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html,
      headers: JSON.stringify(headers),
      message_id: messageId,
      status: 'queued',
      transport: route.kind,
      error: null,
      failure: null,
      next_attempt_at: null,
      sent_at: null,
      created_at: now,
    };
    await emails.insertEmailIfAbsent(db, row);
  }
  const row = await emails.findEmailByMessageId(db, organisationId, messageId);
  if (!row) return 'already';
  if (route.kind === 'outbox') {
    await emails.updateEmail(db, organisationId, row.id, { status: 'held', transport: 'outbox' });
    return 'held';
  }
  let outcome: Awaited<ReturnType<typeof sendOverSmtp>>;
  try {
    outcome = await sendOverSmtp(
      route,
      {
        from: headers.From,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId,
        headers: {},
      },
      { concurrency: deps.config.WORKER_CONCURRENCY, timeoutMs: deps.config.SMTP_TIMEOUT_MS },
    );
  } catch (error) {
    // The mail waits for the job's retry; the outbox says why. Out of retries, the job's handler
    // gives it up (cases.job-handlers.ts `recordMailGivenUp`).
    await emails.updateEmail(db, organisationId, row.id, {
      transport: 'smtp',
      error: (error instanceof Error ? error.message : String(error)).slice(0, 500),
      failure: classifyMailFailure(error),
    });
    throw error;
  }
  if (outcome.status === 'rejected') {
    await emails.updateEmail(db, organisationId, row.id, {
      status: 'failed',
      transport: 'smtp',
      error: `${outcome.code} ${outcome.message}`,
      failure: 'rejected',
    });
    return 'held';
  }
  await emails.updateEmail(db, organisationId, row.id, {
    status: 'sent',
    transport: 'smtp',
    sent_at: now,
    error: null,
    failure: null,
  });
  return 'sent';
}
