import { useState } from 'react';
import { api } from '../api/client.ts';
import type { NotificationJson, Page } from '../api/types.ts';
import { signed } from '../components/charts.component.tsx';
import {
  Button,
  EmptyState,
  ErrorMessage,
  Loading,
  PageHeader,
  SelectField,
} from '../components/ui.component.tsx';
import { useFormat, useLocale, useT } from '../i18n/i18n.tsx';
import { Link } from '../lib/router.tsx';
import { useSession } from '../lib/session.tsx';
import { useLoad } from '../lib/use-load.hook.ts';

/**
 * The feed of "celebrate" and "attention" notes: once a month, an account manager's or team's NPS
 * that really rose or fell against the month before (never noise). Each note says who, which
 * month, the estimate before and after with its number of answers, and how sure the change is.
 * An account manager sees their own notes; read state is the reader's own.
 */
export function NotificationsScreen() {
  const t = useT();
  const { me } = useSession();
  const [status, setStatus] = useState<'all' | 'unread'>('all');
  const feed = useLoad(
    () =>
      me.organisation.settings.employeeNpsEnabled
        ? api<Page<NotificationJson>>('GET', '/notifications', { query: { status, limit: 50 } })
        : Promise.resolve(null),
    [status],
  );
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const markRead = async (id: string) => {
    setBusy(id);
    setError(null);
    try {
      await api<NotificationJson>('POST', `/notifications/${id}/read`);
      feed.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };
  if (!me.organisation.settings.employeeNpsEnabled) {
    return (
      <>
        <PageHeader title={t('notifications.title')} />
        <EmptyState title={t('notifications.off')} text={t('notifications.offText')} />
      </>
    );
  }
  const items = feed.data?.items ?? [];
  return (
    <>
      <PageHeader title={t('notifications.title')} intro={t('notifications.intro')} />
      <div className="filters filters-compact">
        <SelectField
          label={t('notifications.show')}
          value={status}
          onChange={(e) => setStatus(e.target.value as 'all' | 'unread')}
          options={[
            { value: 'all', label: t('notifications.showAll') },
            { value: 'unread', label: t('notifications.showUnread') },
          ]}
        />
      </div>
      <ErrorMessage error={error ?? feed.error} />
      {feed.loading && !feed.data ? <Loading /> : null}
      {feed.data && items.length === 0 ? (
        <EmptyState title={t('notifications.none')} text={t('notifications.noneText')} />
      ) : null}
      {items.length > 0 ? (
        <ul className="task-list" data-testid="notifications">
          {items.map((n) => (
            <NotificationItem
              key={n.id}
              note={n}
              busy={busy === n.id}
              onRead={() => void markRead(n.id)}
            />
          ))}
        </ul>
      ) : null}
    </>
  );
}

function NotificationItem(props: { note: NotificationJson; busy: boolean; onRead: () => void }) {
  const t = useT();
  const fmt = useFormat();
  const { locale } = useLocale();
  const n = props.note;
  const name = n.subject.name ?? t('notifications.unknown');
  const sure = n.kind === 'celebrate' ? n.probabilityOfRise : 1 - n.probabilityOfRise;
  const month = monthName(n.period, locale === 'nl' ? 'nl-NL' : 'en-GB');
  return (
    <li
      className="task"
      data-testid="notification"
      data-kind={n.kind}
      data-read={n.readAt ? 'true' : 'false'}
    >
      <p>
        <strong>
          {t(n.kind === 'celebrate' ? 'notifications.celebrate' : 'notifications.attention', {
            name,
            month,
          })}
        </strong>
      </p>
      <p>
        {t('notifications.change', {
          before: signed(n.before.nps),
          after: signed(n.after.nps),
          nBefore: n.before.answers,
          nAfter: n.after.answers,
        })}
      </p>
      <p className="muted">
        {/* Never "100,0%": above 99.9 % the text says so instead of rounding to certainty. */}
        {sure >= 0.999
          ? t('notifications.sureAbove')
          : t('notifications.sure', { percent: fmt.percent(sure, 1) })}
      </p>
      <p className="task-actions">
        {n.subject.kind === 'employee' && n.subject.id ? (
          <Link to={`/employees/${n.subject.id}/results`}>{t('notifications.open')}</Link>
        ) : null}{' '}
        {n.readAt ? (
          <span className="muted">
            {t('notifications.readAt', { when: fmt.dateTime(n.readAt) })}
          </span>
        ) : (
          <Button busy={props.busy} onClick={props.onRead}>
            {t('notifications.markRead')}
          </Button>
        )}
      </p>
    </li>
  );
}

/** "oktober 2026" from `2026-10`, in the reader's language. */
function monthName(period: string, locale: string): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(locale, {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(year, month - 1, 15)));
}
