import { api } from '../api/client.ts';
import type { EmailJson, EmailSummary, Page } from '../api/types.ts';
import { useFormat, useT } from '../i18n/i18n.tsx';
import { Link } from '../lib/router.tsx';
import { useLoad } from '../lib/use-load.hook.ts';
import {
  Badge,
  EmptyState,
  ErrorMessage,
  Loading,
  PageHeader,
} from '../components/ui.component.tsx';

/** Sent email: the log of every invitation, and the local outbox when no SMTP is configured. */
export function OutboxScreen() {
  const t = useT();
  const fmt = useFormat();
  const list = useLoad(
    () => api<Page<EmailSummary>>('GET', '/outbox', { query: { limit: 100 } }),
    [],
  );
  return (
    <>
      <PageHeader title={t('outbox.title')} intro={t('outbox.intro')} />
      <ErrorMessage error={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && list.data.items.length === 0 ? (
        <EmptyState title={t('outbox.empty')} text={t('outbox.emptyText')} />
      ) : null}
      {list.data?.items.length ? (
        <div className="table-wrap">
          <table className="table" data-testid="outbox-table">
            <thead>
              <tr>
                <th scope="col">{t('outbox.to')}</th>
                <th scope="col">{t('outbox.subject')}</th>
                <th scope="col">{t('outbox.when')}</th>
                <th scope="col">{t('contacts.status')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((m) => (
                <tr key={m.id}>
                  <td>{m.to}</td>
                  <td>
                    <Link to={`/outbox/${m.id}`}>{m.subject}</Link>
                  </td>
                  <td>{fmt.dateTime(m.sentAt ?? m.createdAt)}</td>
                  <td>
                    <Badge tone={m.transport === 'outbox' ? 'blue' : 'green'}>
                      {m.transport === 'outbox' ? t('outbox.local') : m.status}
                    </Badge>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
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
