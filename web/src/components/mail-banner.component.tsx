import { api } from '../api/client.ts';
import type { MailStatus } from '../api/types.ts';
import { useT } from '../i18n/i18n.tsx';
import { Link } from '../lib/router.tsx';
import { useCan } from '../lib/session.tsx';
import { useLoad, type Loaded } from '../lib/use-load.hook.ts';

/** Whether the organisation's mail really leaves; screens that send or count mail ask it. */
export function useMailStatus(): Loaded<MailStatus> {
  return useLoad(() => api<MailStatus>('GET', '/mail-server/status'), []);
}

/**
 * The banner of every screen where mail is sent or counted, shown while mail does not really
 * leave: without a mail server it stays in the local outbox and reaches no customer.
 */
export function MailBanner(props: { status: MailStatus | null }) {
  const t = useT();
  const can = useCan();
  const s = props.status;
  if (!s) return null;
  // Mail leaves: nothing to show. The empty marker says the status has loaded, so "no banner"
  // means "mail leaves" and not "the answer is not here yet" (tests wait for it).
  if (s.delivers) return <span hidden data-testid="mail-delivers" />;
  if (s.source === 'demo') {
    return (
      <div className="alert alert-info mail-banner" role="status" data-testid="mail-banner">
        <p>
          <strong>{t('mail.banner.demoTitle')}</strong> {t('mail.banner.demoText')}
        </p>
      </div>
    );
  }
  return (
    <div className="alert alert-warning mail-banner" role="status" data-testid="mail-banner">
      <p>
        <strong>
          {s.problem === 'password_unreadable'
            ? t('mail.banner.unusableTitle')
            : t('mail.banner.noServerTitle')}
        </strong>{' '}
        {s.problem === 'password_unreadable'
          ? t('mail.banner.unusableText')
          : t('mail.banner.noServerText')}
      </p>
      <p>
        {can('organisation:manage') ? (
          <Link to="/settings/mail">{t('mail.banner.setUp')}</Link>
        ) : (
          t('mail.banner.askOwner')
        )}
      </p>
    </div>
  );
}
