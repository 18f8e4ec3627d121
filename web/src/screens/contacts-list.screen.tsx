import { useState } from 'react';
import { api } from '../api/client.ts';
import type { Contact, ContactStatus, Page } from '../api/types.ts';
import { useT } from '../i18n/i18n.tsx';
import { Link } from '../lib/router.tsx';
import { useCan } from '../lib/session.tsx';
import { useAccountNames, useEmployees } from '../lib/lookups.hook.ts';
import { useDebounced, useLoad } from '../lib/use-load.hook.ts';
import {
  Badge,
  Button,
  EmptyState,
  ErrorMessage,
  Loading,
  PageHeader,
  SelectField,
  TextField,
} from '../components/ui.component.tsx';

const STATUS_TONE: Record<ContactStatus, 'green' | 'grey' | 'amber' | 'red'> = {
  active: 'green',
  unsubscribed: 'grey',
  bounced: 'amber',
  erased: 'red',
};

export function StatusBadge(props: { status: ContactStatus }) {
  const t = useT();
  return <Badge tone={STATUS_TONE[props.status]}>{t(`contactStatus.${props.status}`)}</Badge>;
}

/**
 * Contacts: search that ignores case and accents, filters, and "Load more" pages that follow the
 * API's keyset cursor, so a list of 100,000 customers stays fast.
 */
export function ContactsListScreen() {
  const t = useT();
  const can = useCan();
  const employees = useEmployees();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState('');
  const [segment, setSegment] = useState('');
  const [owner, setOwner] = useState('');
  // Debounce one string, not an object: a new object every render would never settle.
  const key = useDebounced(JSON.stringify([q.trim(), status, segment.trim(), owner]), 250);
  const [qq = '', st = '', sg = '', ow = ''] = JSON.parse(key) as string[];
  const query = { q: qq, status: st, segment: sg, owner: ow };
  const [more, setMore] = useState<{ items: Contact[]; nextCursor: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);

  const first = useLoad(async () => {
    setMore(null);
    return api<Page<Contact>>('GET', '/contacts', {
      query: {
        q: query.q,
        status: query.status,
        segment: query.segment,
        ownerEmployeeId: query.owner,
        limit: 50,
      },
    });
  }, [query.q, query.status, query.segment, query.owner]);

  const items = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const nextCursor = more ? more.nextCursor : (first.data?.nextCursor ?? null);
  const accounts = useAccountNames(items.map((c) => c.accountId));
  const employeeName = new Map(employees.map((e) => [e.id, e.name]));
  const filtered = !!(query.q || query.status || query.segment || query.owner);

  const loadMore = async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await api<Page<Contact>>('GET', '/contacts', {
        query: {
          q: query.q,
          status: query.status,
          segment: query.segment,
          ownerEmployeeId: query.owner,
          limit: 50,
          cursor: nextCursor,
        },
      });
      setMore({ items: [...(more?.items ?? []), ...page.items], nextCursor: page.nextCursor });
    } catch (e) {
      setMoreError(e);
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <>
      <PageHeader
        title={t('contacts.title')}
        intro={t('contacts.intro')}
        actions={
          <>
            {can('contacts:import') ? (
              <Link className="btn btn-secondary" to="/import">
                {t('contacts.import')}
              </Link>
            ) : null}
            {can('contacts:write') ? (
              <Link className="btn btn-primary" to="/contacts/new">
                {t('contacts.new')}
              </Link>
            ) : null}
          </>
        }
      />
      <div className="filters" role="search">
        <TextField
          label={t('contacts.search')}
          hint={t('contacts.searchHint')}
          type="search"
          name="q"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
        <SelectField
          label={t('contacts.status')}
          value={status}
          onChange={(e) => setStatus(e.target.value)}
          options={[
            { value: '', label: t('common.all') },
            { value: 'active', label: t('contactStatus.active') },
            { value: 'unsubscribed', label: t('contactStatus.unsubscribed') },
            { value: 'bounced', label: t('contactStatus.bounced') },
            { value: 'erased', label: t('contactStatus.erased') },
          ]}
        />
        <TextField
          label={t('field.segment')}
          value={segment}
          onChange={(e) => setSegment(e.target.value)}
        />
        <SelectField
          label={t('field.owner')}
          value={owner}
          onChange={(e) => setOwner(e.target.value)}
          options={[
            { value: '', label: t('common.all') },
            ...employees.map((e) => ({ value: e.id, label: e.name })),
          ]}
        />
      </div>
      <ErrorMessage error={first.error} />
      {first.loading && !first.data ? (
        <Loading />
      ) : items.length === 0 && !first.error ? (
        filtered ? (
          <EmptyState title={t('contacts.noneFound')} text={t('contacts.noneFoundText')} />
        ) : (
          <EmptyState
            title={t('contacts.empty')}
            text={t('contacts.emptyText')}
            action={
              can('contacts:import') ? (
                <Link className="btn btn-primary" to="/import">
                  {t('contacts.import')}
                </Link>
              ) : undefined
            }
          />
        )
      ) : (
        <>
          <div className="table-wrap" aria-busy={first.loading || undefined}>
            <table className="table" data-testid="contacts-table">
              <thead>
                <tr>
                  <th scope="col">{t('field.name')}</th>
                  <th scope="col">{t('field.email')}</th>
                  <th scope="col">{t('field.language')}</th>
                  <th scope="col">{t('field.owner')}</th>
                  <th scope="col">{t('field.account')}</th>
                  <th scope="col">{t('contacts.status')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <Link to={`/contacts/${c.id}`}>
                        {c.name || c.email || t('contacts.noName')}
                      </Link>
                    </td>
                    <td>{c.email ?? '—'}</td>
                    <td>{t(`language.${c.language}`)}</td>
                    <td>
                      {c.ownerEmployeeId ? (employeeName.get(c.ownerEmployeeId) ?? '…') : '—'}
                    </td>
                    <td>{c.accountId ? (accounts.get(c.accountId) ?? '…') : '—'}</td>
                    <td>
                      <StatusBadge status={c.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ErrorMessage error={moreError} />
          <div className="list-footer">
            <span className="muted">{t('contacts.shown', { count: items.length })}</span>
            {nextCursor ? (
              <Button onClick={() => void loadMore()} busy={loadingMore}>
                {t('common.loadMore')}
              </Button>
            ) : null}
          </div>
        </>
      )}
    </>
  );
}
