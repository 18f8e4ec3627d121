import type { InvitationJson } from '../api/types.ts';
import { useT, type MessageKey } from '../i18n/i18n.tsx';
import { Badge } from './ui.component.tsx';

type Status = InvitationJson['status'];
type Reason = NonNullable<InvitationJson['skipReason']>;

/** Each delivery status in words, and the badge's tone: red when it did not reach the customer. */
const STATUS: Record<
  Status,
  { text: MessageKey; tone: 'green' | 'grey' | 'amber' | 'red' | 'blue' }
> = {
  planned: { text: 'invitationState.planned', tone: 'grey' },
  queued: { text: 'invitationState.queued', tone: 'amber' },
  sent: { text: 'invitationState.sent', tone: 'green' },
  outbox: { text: 'invitationState.outbox', tone: 'blue' },
  bounced: { text: 'invitationState.bounced', tone: 'red' },
  failed: { text: 'invitationState.failed', tone: 'red' },
  skipped: { text: 'invitationState.skipped', tone: 'grey' },
  cancelled: { text: 'invitationState.cancelled', tone: 'grey' },
};

/**
 * The text for each reason an invitation's job gives for not sending it. Typed by the server's
 * reasons (`invitation-skip-reasons.ts`): a reason written without a text here does not compile.
 */
const REASON_TEXT: Record<Reason, MessageKey> = {
  link_expired: 'skip.link_expired',
  survey_draft: 'skip.survey_closed',
  survey_archived: 'skip.survey_closed',
  contact_missing: 'skip.contact_missing',
  erased: 'skip.erased',
  unsubscribed: 'skip.unsubscribed',
  consent_withdrawn: 'skip.consent_withdrawn',
  bounced: 'skip.bounced',
  no_email: 'skip.no_email',
  responded_recently: 'skip.responded_recently',
  too_recent: 'skip.too_recent',
  too_many_in_year: 'skip.too_many_in_year',
  account_budget: 'skip.account_budget',
  duplicate_in_batch: 'skip.duplicate_in_batch',
  ineligible: 'skip.ineligible',
  delivery_failed: 'skip.delivery_failed',
  message_refused: 'skip.message_refused',
  other: 'skip.other',
};

/**
 * Where one invitation stands, in words: its delivery status and, when it did not go out, why
 * ("Niet verstuurd · De mailserver weigerde het bericht …").
 */
export function InvitationState(props: { status: Status; skipReason: Reason | null }) {
  const t = useT();
  const status = STATUS[props.status];
  return (
    <span className="invitation-state" data-testid="invitation-state">
      <Badge tone={status.tone}>{t(status.text)}</Badge>
      {props.skipReason ? (
        <span className="hint" data-testid="invitation-reason">
          {' '}
          {t(REASON_TEXT[props.skipReason])}
        </span>
      ) : null}
    </span>
  );
}
