import type { EmailTable, Locale } from '../../db/schema.ts';
import { formatCode } from '../../domain/referrals/codes.ts';
import { chooseGreeting } from '../../domain/greeting/greeting.ts';
import { customerT, type CustomerT } from '../../i18n/messages.ts';
import type { Deps } from '../../platform/deps.ts';
import type { JobResult } from '../../platform/jobs/define-job.ts';
import { newId } from '../../shared/ids.ts';
import { greetingText } from '../email/render-invitation-email.ts';
import * as emails from '../email/emails.repository.ts';
import {
  classifyMailFailure,
  fromHeader,
  messageIdHost,
  sendOverSmtp,
  senderAddress,
} from '../email/mail-transport.ts';
import { resolveMailRoute } from '../mail-server/mail-server.service.ts';
import { parseSettings as parseOrganisationSettings } from '../organisations/organisation-settings.ts';
import { organisationLogo } from '../organisations/logos.service.ts';
import { escapeHtml } from '../public-pages/html.ts';
import * as repo from './ambassadors.repository.ts';
import { parseProgrammeSettings } from './programme-settings.ts';

const FONT = 'Arial,Helvetica,sans-serif';

export interface ProgrammeMail {
  subject: string;
  /** Paragraphs of plain text; links go in `links`. */
  paragraphs: string[];
  links: { label: string; url: string }[];
  footer: string;
  unsubscribe: { label: string; url: string } | null;
  brandColor: string;
  logoUrl: string | null;
  organisationName: string;
  locale: Locale;
}

/** One plain-text part and one simple HTML part, every value escaped. */
export function renderProgrammeMail(m: ProgrammeMail): { text: string; html: string } {
  const text = [
    ...m.paragraphs.flatMap((p) => [p, '']),
    ...m.links.map((l) => `${l.label}: ${l.url}`),
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
<tr><td style="padding:32px 24px 24px;font-family:${FONT};font-size:12px;line-height:18px;color:#777777;">${escapeHtml(m.footer)}${m.unsubscribe ? `<br><a href="${escapeHtml(m.unsubscribe.url)}" target="_blank" style="color:#555555;text-decoration:underline;">${escapeHtml(m.unsubscribe.label)}</a>` : ''}</td></tr>
</table></td></tr></table></body></html>
`;
  return { text, html };
}

const skipped = (detail: string): JobResult => ({ status: 'skipped', detail });

/**
 * Writes the message to `emails` (unless its Message-ID is there: a retried job sends the same
 * message) and hands it to the organisation's mail route: its server, the installation's, or the
 * local outbox, where it is `held` and never counted as sent.
 */
async function deliver(
  deps: Deps,
  organisationId: string,
  kind: EmailTable['kind'],
  messageId: string,
  to: string,
  rendered: { subject: string; text: string; html: string; headers: Record<string, string> },
): Promise<JobResult & { sent: boolean }> {
  const db = deps.db.kysely;
  const route = await resolveMailRoute(db, deps.config, organisationId);
  const now = deps.now();
  await emails.insertEmailIfAbsent(db, {
    id: newId(),
    organisation_id: organisationId,
    kind,
    invitation_id: null,
    to_address: to,
    subject: rendered.subject,
    text_body: rendered.text,
    html_body: rendered.html,
    headers: JSON.stringify(rendered.headers),
    message_id: messageId,
    status: 'queued',
    transport: route.kind,
    error: null,
    failure: null,
    next_attempt_at: null,
    sent_at: null,
    created_at: now,
  });
  const email = await emails.findEmailByMessageId(db, organisationId, messageId);
  if (!email) return { ...skipped('email row missing'), sent: false };
  if (email.status === 'sent') return { status: 'success', detail: 'already sent', sent: true };
  if (route.kind === 'outbox') {
    await emails.updateEmail(db, organisationId, email.id, { status: 'held', transport: 'outbox' });
    return { ...skipped('no mail server: kept in the local outbox, not sent'), sent: false };
  }
  const { From: from = '', ...headers } = rendered.headers;
  try {
    const outcome = await sendOverSmtp(
      route,
      {
        from,
        to,
        subject: email.subject,
        text: email.text_body,
        html: email.html_body,
        messageId,
        headers,
      },
      { concurrency: deps.config.WORKER_CONCURRENCY, timeoutMs: deps.config.SMTP_TIMEOUT_MS },
    );
    if (outcome.status === 'rejected') {
      await emails.updateEmail(db, organisationId, email.id, {
        status: 'failed',
        failure: 'rejected',
        error: outcome.message,
      });
      return { ...skipped(`recipient rejected (${outcome.code})`), sent: false };
    }
  } catch (err) {
    await emails.updateEmail(db, organisationId, email.id, {
      failure: classifyMailFailure(err),
      error: String((err as Error).message ?? err).slice(0, 500),
    });
    throw err;
  }
  await emails.updateEmail(db, organisationId, email.id, {
    status: 'sent',
    sent_at: deps.now(),
    transport: 'smtp',
    error: null,
    failure: null,
  });
  return { status: 'success', sent: true };
}

function headersFor(
  deps: Deps,
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

const base = (deps: Deps): string => deps.config.publicUrl.replace(/\/+$/, '');

/**
 * The invitation to the programme, to an active ambassador who has not unsubscribed from it:
 * their share page, their code, what they and their friend receive. Separate from the NPS email
 * (research, never marketing). One-click unsubscribe stops programme emails only.
 */
export async function sendProgrammeInvite(
  deps: Deps,
  organisationId: string,
  ambassadorId: string,
  jobId: string,
): Promise<JobResult> {
  const db = deps.db.kysely;
  const a = await repo.findAmbassadorPageById(db, organisationId, ambassadorId);
  if (!a) return skipped('ambassador not found');
  if (a.status !== 'active') return skipped(`ambassador ${a.status}`);
  if (a.unsubscribed_at !== null) return skipped('unsubscribed from programme emails');
  if (a.programme_enabled !== 1) return skipped('programme off');
  const contact = await db
    .selectFrom('contacts')
    .select(['email', 'first_name', 'salutation', 'unsubscribed_at', 'bounced_at', 'erased_at'])
    .where('organisation_id', '=', organisationId)
    .where('id', '=', a.contact_id)
    .executeTakeFirst();
  if (!contact?.email) return skipped('no email');
  if (
    contact.erased_at !== null ||
    contact.bounced_at !== null ||
    contact.unsubscribed_at !== null
  ) {
    return skipped('contact unsubscribed, bounced or erased');
  }
  const org = {
    name: a.organisation_name,
    settings: parseOrganisationSettings(a.organisation_settings),
  };
  const programme = parseProgrammeSettings(a.programme_settings ?? '{}');
  const locale = a.contact_language;
  const t: CustomerT = customerT(locale, org.settings.formality);
  const url = base(deps);
  const shareUrl = `${url}/a/${a.share_token}`;
  const unsubscribeUrl = `${url}/a/${a.share_token}/unsubscribe`;
  const greeting = greetingText(
    t,
    chooseGreeting({ firstName: contact.first_name, salutation: contact.salutation }),
  );
  const subject = t('email.programme.subject', { organisation: org.name });
  const paragraphs = [
    greeting,
    t('email.programme.intro', { organisation: org.name }),
    programme.offer,
    ...(programme.friendOffer
      ? [t('email.programme.friend', { offer: programme.friendOffer })]
      : []),
    t('email.programme.how', { code: formatCode(a.code) }),
    t('email.programme.never', { organisation: org.name }),
  ];
  const rendered = renderProgrammeMail({
    subject,
    paragraphs,
    links: [{ label: t('email.programme.cta'), url: shareUrl }],
    footer: t('email.programme.footer', { organisation: org.name }),
    unsubscribe: { label: t('email.programme.unsubscribe'), url: unsubscribeUrl },
    brandColor: org.settings.brandColor,
    logoUrl: organisationLogo(org.settings, url),
    organisationName: org.name,
    locale,
  });
  const route = await resolveMailRoute(db, deps.config, organisationId);
  const fromAddress =
    route.kind === 'smtp' ? route.fromAddress : senderAddress(deps.config.MAIL_FROM);
  const messageId = `<${jobId}.programme@${messageIdHost(deps.config.publicUrl)}>`;
  const result = await deliver(
    deps,
    organisationId,
    'ambassador_invite',
    messageId,
    contact.email,
    {
      subject,
      ...rendered,
      headers: headersFor(deps, org, fromAddress, unsubscribeUrl),
    },
  );
  if (result.sent) {
    await repo.updateAmbassador(db, organisationId, ambassadorId, {
      invited_at: deps.now(),
      updated_at: deps.now(),
    });
  }
  return { status: result.status, ...(result.detail ? { detail: result.detail } : {}) };
}

/**
 * The friend's welcome offer, to the address the friend typed on the friend's page with explicit
 * consent to be contacted. The only email a friend ever receives from the programme; a referral
 * without that consent or without an email address gets none (there is no other path).
 */
export async function sendFriendWelcome(
  deps: Deps,
  organisationId: string,
  referralId: string,
): Promise<JobResult> {
  const db = deps.db.kysely;
  const r = await repo.findReferral(db, organisationId, referralId);
  if (!r) return skipped('referral not found');
  if (!r.friend_email || r.erased_at !== null) return skipped('no email address');
  if (!r.consent_text || !r.consent_at) return skipped('no consent to be contacted');
  const reward = (await repo.rewardsOfReferral(db, organisationId, referralId)).find(
    (w) => w.recipient === 'friend' && w.status === 'issued',
  );
  if (!reward) return skipped('no welcome offer issued');
  const a = await repo.findAmbassadorPageById(db, organisationId, r.ambassador_id);
  if (!a) return skipped('ambassador not found');
  const org = {
    name: a.organisation_name,
    settings: parseOrganisationSettings(a.organisation_settings),
  };
  const t = customerT(r.locale, org.settings.formality);
  const url = base(deps);
  const voucherUrl = `${url}/v/${reward.token}`;
  const subject = t('email.welcome.subject', { organisation: org.name });
  const rendered = renderProgrammeMail({
    subject,
    paragraphs: [
      t('email.greeting_anonymous'),
      t('email.welcome.intro', { organisation: org.name, offer: reward.description }),
      t('email.welcome.code', { code: formatCode(reward.code) }),
    ],
    links: [{ label: t('email.welcome.cta'), url: voucherUrl }],
    footer: t('email.welcome.footer', { organisation: org.name }),
    unsubscribe: { label: t('email.welcome.unsubscribe'), url: `${voucherUrl}/unsubscribe` },
    brandColor: org.settings.brandColor,
    logoUrl: organisationLogo(org.settings, url),
    organisationName: org.name,
    locale: r.locale,
  });
  const route = await resolveMailRoute(db, deps.config, organisationId);
  const fromAddress =
    route.kind === 'smtp' ? route.fromAddress : senderAddress(deps.config.MAIL_FROM);
  const messageId = `<${referralId}.welcome@${messageIdHost(deps.config.publicUrl)}>`;
  const result = await deliver(deps, organisationId, 'friend_welcome', messageId, r.friend_email, {
    subject,
    ...rendered,
    headers: headersFor(deps, org, fromAddress, `${voucherUrl}/unsubscribe`),
  });
  return { status: result.status, ...(result.detail ? { detail: result.detail } : {}) };
}
