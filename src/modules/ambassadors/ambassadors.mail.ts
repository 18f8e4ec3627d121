import type { EmailSkipReason } from '../email/skip-reasons.ts';
import { formatCode } from '../../domain/referrals/codes.ts';
import { effectiveStatus } from '../../domain/referrals/reward-rules.ts';
import { chooseGreeting } from '../../domain/greeting/greeting.ts';
import { customerT, type CustomerT } from '../../i18n/messages.ts';
import type { Deps } from '../../platform/deps.ts';
import type { JobResult } from '../../platform/jobs/define-job.ts';
import { uuidv7Time } from '../../shared/ids.ts';
import {
  customerMailHeaders,
  deliverCustomerMail,
  renderCustomerMail,
  senderAddressFor,
  skipCustomerMail,
} from '../email/customer-mail.ts';
import { messageIdHost } from '../email/mail-transport.ts';
import { greetingText } from '../email/render-invitation-email.ts';
import { parseSettings as parseOrganisationSettings } from '../organisations/organisation-settings.ts';
import { organisationLogo } from '../organisations/logos.service.ts';
import * as repo from './ambassadors.repository.ts';
import { parseProgrammeSettings } from './programme-settings.ts';

const base = (deps: Deps): string => deps.config.publicUrl.replace(/\/+$/, '');

/** The programme invitation's Message-ID: its job's, so every attempt sends the same message. */
export const programmeInviteMessageId = (deps: Pick<Deps, 'config'>, jobId: string): string =>
  `<${jobId}.programme@${messageIdHost(deps.config.publicUrl)}>`;

/** The friend's welcome offer's Message-ID: one per referral. */
export const friendWelcomeMessageId = (deps: Pick<Deps, 'config'>, referralId: string): string =>
  `<${referralId}.welcome@${messageIdHost(deps.config.publicUrl)}>`;

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
  const messageId = programmeInviteMessageId(deps, jobId);
  // An earlier attempt may have composed the mail (its server failed, or a retry): a skip closes it.
  const skip = (reason: EmailSkipReason) =>
    skipCustomerMail(deps, organisationId, messageId, reason);
  const a = await repo.findAmbassadorPageById(db, organisationId, ambassadorId);
  if (!a) return skip('ambassador not found');
  if (a.status !== 'active') return skip(`ambassador ${a.status}`);
  if (a.unsubscribed_at !== null) return skip('unsubscribed from programme emails');
  if (a.programme_enabled !== 1) return skip('programme off');
  const contact = await db
    .selectFrom('contacts')
    .select(['email', 'first_name', 'salutation', 'unsubscribed_at', 'bounced_at', 'erased_at'])
    .where('organisation_id', '=', organisationId)
    .where('id', '=', a.contact_id)
    .executeTakeFirst();
  if (!contact?.email) return skip('no email');
  if (
    contact.erased_at !== null ||
    contact.bounced_at !== null ||
    contact.unsubscribed_at !== null
  ) {
    return skip('contact unsubscribed, bounced or erased');
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
  const rendered = renderCustomerMail({
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
  const fromAddress = await senderAddressFor(deps, organisationId);
  const result = await deliverCustomerMail(
    deps,
    organisationId,
    'ambassador_invite',
    messageId,
    uuidv7Time(jobId) ?? 0,
    contact.email,
    {
      subject,
      ...rendered,
      headers: customerMailHeaders(org, fromAddress, unsubscribeUrl),
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
  const messageId = friendWelcomeMessageId(deps, referralId);
  // An earlier attempt may have composed the mail (its server failed): a skip closes it.
  const skip = (reason: EmailSkipReason) =>
    skipCustomerMail(deps, organisationId, messageId, reason);
  const r = await repo.findReferral(db, organisationId, referralId);
  if (!r) return skip('referral not found');
  if (!r.friend_email || r.erased_at !== null) return skip('no email address');
  if (!r.consent_text || !r.consent_at) return skip('no consent to be contacted');
  const reward = (await repo.rewardsOfReferral(db, organisationId, referralId)).find(
    (w) => w.recipient === 'friend' && w.status === 'issued',
  );
  if (!reward) return skip('no welcome offer issued');
  // An issued voucher past its last day reads as expired (at the till, on the voucher page): a
  // code the friend can no longer use is not worth their inbox.
  if (
    effectiveStatus({ status: reward.status, validUntil: reward.valid_until }, deps.now()) !==
    'issued'
  ) {
    return skip('welcome offer expired');
  }
  const a = await repo.findAmbassadorPageById(db, organisationId, r.ambassador_id);
  if (!a) return skip('ambassador not found');
  const org = {
    name: a.organisation_name,
    settings: parseOrganisationSettings(a.organisation_settings),
  };
  const t = customerT(r.locale, org.settings.formality);
  const url = base(deps);
  const voucherUrl = `${url}/v/${reward.token}`;
  const subject = t('email.welcome.subject', { organisation: org.name });
  const rendered = renderCustomerMail({
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
  const fromAddress = await senderAddressFor(deps, organisationId);
  const result = await deliverCustomerMail(
    deps,
    organisationId,
    'friend_welcome',
    messageId,
    uuidv7Time(referralId) ?? 0,
    r.friend_email,
    {
      subject,
      ...rendered,
      headers: customerMailHeaders(org, fromAddress, `${voucherUrl}/unsubscribe`),
    },
  );
  return { status: result.status, ...(result.detail ? { detail: result.detail } : {}) };
}
