import { useState } from 'react';
import { api } from '../api/client.ts';
import type { EmailJson, EmailSummary } from '../api/types.ts';
import { useFormat, useT } from '../i18n/i18n.tsx';
import { Link } from '../lib/router.tsx';
import { useLoad } from '../lib/use-load.hook.ts';
import { MailBanner, useMailStatus } from '../components/mail-banner.component.tsx';
import { PagedTable, usePagedSearch } from '../components/paged-list.component.tsx';
import {
  Badge,
  Button,
  ErrorMessage,
  Loading,
  Notice,
  PageHeader,
  SelectField,
} from '../components/ui.component.tsx';
import type { MessageKey } from '../i18n/nl.ts';

/**
 * The text for each reason a mail's job gives for not sending after all. Typed by the server's
 * reasons: a reason written without a text here does not compile.
 */
const SKIP_REASON_TEXT: Record<NonNullable<EmailSummary['skipReason']>, MessageKey> = {
  link_expired: 'outbox.skip.expired',
  expired: 'outbox.skip.expired',
  survey_draft: 'outbox.skip.surveyInactive',
  survey_active: 'outbox.skip.surveyInactive',
  survey_archived: 'outbox.skip.surveyInactive',
  survey_missing: 'outbox.skip.surveyInactive',
  contact_missing: 'outbox.skip.gone',
  erased: 'outbox.skip.erased',
  unsubscribed: 'outbox.skip.unsubscribed',
  consent_withdrawn: 'outbox.skip.noConsent',
  bounced: 'outbox.skip.bounced',
  no_email: 'outbox.skip.noEmail',
  responded_recently: 'outbox.skip.contactRules',
  too_recent: 'outbox.skip.contactRules',
  too_many_in_year: 'outbox.skip.contactRules',
  account_budget: 'outbox.skip.contactRules',
  duplicate_in_batch: 'outbox.skip.contactRules',
  ineligible: 'outbox.skip.contactRules',
  'no mail server: reminder not sent': 'outbox.skip.noMailServer',
  'invitation not found': 'outbox.skip.gone',
  'invitation planned': 'outbox.skip.invitationNotSent',
  'invitation queued': 'outbox.skip.invitationNotSent',
  'invitation sent': 'outbox.skip.invitationNotSent',
  'invitation outbox': 'outbox.skip.invitationNotSent',
  'invitation bounced': 'outbox.skip.bounced',
  'invitation failed': 'outbox.skip.invitationNotSent',
  'invitation skipped': 'outbox.skip.invitationNotSent',
  'invitation cancelled': 'outbox.skip.invitationNotSent',
  case_follow_up: 'outbox.skip.caseFollowUp',
  responded: 'outbox.skip.responded',
  reminders_disabled: 'outbox.skip.remindersOff',
  already_reminded: 'outbox.skip.alreadySent',
  too_early: 'outbox.skip.tooEarly',
  'contact has no email': 'outbox.skip.noEmail',
  'member gone': 'outbox.skip.gone',
  'digest turned off': 'outbox.skip.digestOff',
  'account manager without a linked employee: no customers of their own':
    'outbox.skip.noOwnCustomers',
  'ambassador not found': 'outbox.skip.gone',
  'ambassador active': 'outbox.skip.ambassadorInactive',
  'ambassador paused': 'outbox.skip.ambassadorInactive',
  'ambassador removed': 'outbox.skip.ambassadorInactive',
  'unsubscribed from programme emails': 'outbox.skip.unsubscribed',
  'programme off': 'outbox.skip.programmeOff',
  'no email': 'outbox.skip.noEmail',
  'contact unsubscribed, bounced or erased': 'outbox.skip.unsubscribed',
  'referral not found': 'outbox.skip.gone',
  'no email address': 'outbox.skip.noEmail',
  'no consent to be contacted': 'outbox.skip.noConsent',
  'no welcome offer issued': 'outbox.skip.noWelcomeOffer',
  'welcome offer expired': 'outbox.skip.welcomeExpired',
  switched_off: 'outbox.skip.reviewsOff',
  no_sites: 'outbox.skip.noReviewSites',
  no_contact: 'outbox.skip.gone',
  no_consent: 'outbox.skip.noConsent',
  review_unsubscribed: 'outbox.skip.unsubscribed',
  already_sent_for_answer: 'outbox.skip.alreadySent',
  asked_recently: 'outbox.skip.contactRules',
  'answer not found': 'outbox.skip.gone',
  'request row missing': 'outbox.skip.gone',
  other: 'outbox.skip.other',
};

/**
 * The text for each code of why a mail's last attempt failed. Typed by the server's codes
 * (`MailFailure`): a code written without a text here does not compile; one this version does not
 * know arrives as `other`.
 */
const FAILURE_TEXT: Record<NonNullable<EmailSummary['failure']>, MessageKey> = {
  unreachable: 'outbox.failure.unreachable',
  timeout: 'outbox.failure.timeout',
  auth: 'outbox.failure.auth',
  tls: 'outbox.failure.tls',
  sender: 'outbox.failure.sender',
  relay: 'outbox.failure.relay',
  temporary: 'outbox.failure.temporary',
  rejected: 'outbox.failure.rejected',
  refused: 'outbox.failure.refused',
  other: 'outbox.failure.other',
};

/**
 * Where an email stands, in words: sent, only in the local outbox, waiting for the mail server
 * (why, and when the next attempt is), not sent after a day of trying, or refused. A delayed or
 * failed send can be tried again from here.
 */
function DeliveryState(props: {
  mail: EmailSummary;
  onRetry: (id: string) => void;
  busy: boolean;
}) {
  const t = useT();
  const fmt = useFormat();
  const m = props.mail;
  const reason = m.failure ? t(FAILURE_TEXT[m.failure]) : null;
  if (m.transport === 'outbox') return <Badge tone="blue">{t('outbox.local')}</Badge>;
  if (m.status === 'sent') return <Badge tone="green">{t('outbox.state.sent')}</Badge>;
  let badge;
  let detail: string | null = reason;
  if (m.status === 'queued' && m.nextAttemptAt) {
    badge = <Badge tone="amber">{t('outbox.state.waiting')}</Badge>;
    detail = `${reason ?? ''} ${t('outbox.nextAttempt', { when: fmt.dateTime(m.nextAttemptAt) })}`;
  } else if (m.status === 'queued') {
    badge = <Badge tone="grey">{t('outbox.state.queued')}</Badge>;
  } else if (m.failure === 'rejected' || m.failure === 'refused') {
    badge = <Badge tone="red">{t('outbox.state.rejected')}</Badge>;
  } else if (m.failure) {
    badge = <Badge tone="red">{t('outbox.state.failed')}</Badge>;
  } else {
    badge = <Badge tone="grey">{t('outbox.state.notSent')}</Badge>;
    if (m.skipReason) {
      detail = t('outbox.skipReason', { reason: t(SKIP_REASON_TEXT[m.skipReason]) });
    }
  }
  return (
    <div className="delivery-state">
      {badge}
      {detail ? <p className="hint">{detail.trim()}</p> : null}
      {m.retryable ? (
        <Button busy={props.busy} onClick={() => props.onRetry(m.id)}>
          {m.status === 'failed' ? t('outbox.retryFailed') : t('outbox.retryNow')}
        </Button>
      ) : null}
    </div>
  );
}

type Kind = EmailSummary['kind'];
type Status = EmailSummary['status'];

/** Every kind of email, in the order the filter offers them (a new kind fails typecheck here). */
const KINDS: Record<Kind, MessageKey> = {
  invitation: 'outbox.kind.invitation',
  reminder: 'outbox.kind.reminder',
  review_request: 'outbox.kind.review_request',
  ambassador_invite: 'outbox.kind.ambassador_invite',
  friend_welcome: 'outbox.kind.friend_welcome',
  case_alert: 'outbox.kind.case_alert',
  case_escalation: 'outbox.kind.case_escalation',
  weekly_digest: 'outbox.kind.weekly_digest',
  user_invite: 'outbox.kind.user_invite',
  test: 'outbox.kind.test',
};
const STATUSES: Record<Status, MessageKey> = {
  queued: 'outbox.status.queued',
  sent: 'outbox.status.sent',
  held: 'outbox.status.held',
  failed: 'outbox.status.failed',
};

/** Sent email: the log of every invitation, and the local outbox when no SMTP is configured. */
export function OutboxScreen() {
  const t = useT();
  const fmt = useFormat();
  const [kind, setKind] = useState('');
  const [status, setStatus] = useState('');
  // Newest first, 50 at a time: "Meer laden" reaches the oldest.
  const list = usePagedSearch<EmailSummary>('/outbox', {
    search: false,
    filters: { kind, status },
  });
  const [retrying, setRetrying] = useState<string | null>(null);
  const [retried, setRetried] = useState(false);
  const [retryError, setRetryError] = useState<unknown>(null);
  const retry = (id: string) => {
    setRetrying(id);
    setRetried(false);
    setRetryError(null);
    api<EmailSummary>('POST', `/outbox/${id}/retry`).then(
      () => {
        setRetrying(null);
        setRetried(true);
        list.first.reload();
      },
      (error: unknown) => {
        setRetrying(null);
        setRetryError(error);
      },
    );
  };
  const mail = useMailStatus();
  const empty = { title: t('outbox.empty'), text: t('outbox.emptyText') };
  return (
    <>
      <PageHeader title={t('outbox.title')} intro={t('outbox.intro')} />
      <MailBanner status={mail.data} />
      <ErrorMessage error={retryError} />
      {retried ? <Notice tone="success">{t('outbox.retried')}</Notice> : null}
      <div className="filters" role="search">
        <SelectField
          label={t('outbox.filterKind')}
          name="kind"
          value={kind}
          onChange={(e) => setKind(e.target.value)}
          options={[
            { value: '', label: t('common.all') },
            ...Object.entries(KINDS).map(([value, key]) => ({ value, label: t(key) })),
          ]}
        />
        <SelectField
          label={t('outbox.filterStatus')}
          name="status"
          value={status}
          onChange={(e) => setStatus(e.target.value)}
          options={[
            { value: '', label: t('common.all') },
            ...Object.entries(STATUSES).map(([value, key]) => ({ value, label: t(key) })),
          ]}
        />
      </div>
      <PagedTable
        list={list}
        testId="outbox-table"
        empty={empty}
        noneFound={{ title: t('outbox.noneFound'), text: t('outbox.noneFoundText') }}
        columns={[
          { header: t('outbox.to'), cell: (m) => m.to },
          {
            header: t('outbox.subject'),
            cell: (m) => <Link to={`/outbox/${m.id}`}>{m.subject}</Link>,
          },
          { header: t('outbox.when'), cell: (m) => fmt.dateTime(m.sentAt ?? m.createdAt) },
          {
            header: t('contacts.status'),
            cell: (m) => <DeliveryState mail={m} onRetry={retry} busy={retrying === m.id} />,
          },
        ]}
      />
    </>
  );
}

/**
 * One email as the customer sees it. The HTML is shown in a sandboxed frame (`sandbox=""`: no
 * scripts, no forms, no navigation of this page), so a message can never act on the admin app.
 */
export function EmailScreen(props: { id: string }) {
  const t = useT();
  const fmt = useFormat();
  const mail = useLoad(() => api<EmailJson>('GET', `/outbox/${props.id}`), [props.id]);
  if (!mail.data) return mail.loading ? <Loading /> : <ErrorMessage error={mail.error} />;
  const m = mail.data;
  return (
    <>
      <p className="breadcrumb">
        <Link to="/outbox">← {t('outbox.title')}</Link>
      </p>
      <PageHeader title={m.subject} />
      <section className="card">
        <dl className="meta">
          <dt>{t('outbox.to')}</dt>
          <dd>{m.to}</dd>
          <dt>{t('outbox.when')}</dt>
          <dd>{fmt.dateTime(m.sentAt ?? m.createdAt)}</dd>
        </dl>
        <p className="hint">{t('outbox.linksMasked')}</p>
        <iframe
          className="email-frame"
          title={t('outbox.preview')}
          sandbox=""
          srcDoc={m.html}
          data-testid="email-frame"
        />
        <details>
          <summary>{t('outbox.plainText')}</summary>
          <pre className="plain-text">{m.text}</pre>
        </details>
      </section>
    </>
  );
}
