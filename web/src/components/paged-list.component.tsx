import { useState, type ReactNode } from 'react';
import { api } from '../api/client.ts';
import type { Page } from '../api/types.ts';
import { useT } from '../i18n/i18n.tsx';
import { useDebounced, useLoad } from '../lib/use-load.hook.ts';
import { Button, EmptyState, ErrorMessage, Loading, TextField } from './ui.component.tsx';

/**
 * A list that pages with the API's keyset cursor ("Load more"), searchable unless `search` is
 * false (a list whose API takes no `q`). Accounts, employees and the outbox use it; the contacts
 * list has its own because it has more filters.
 */
export function usePagedSearch<T>(
  path: string,
  options: {
    search?: boolean;
    /** Further query parameters (a select's value, '' for all), sent with every page. */
    filters?: Readonly<Record<string, string>>;
  } = {},
) {
  const searchable = options.search ?? true;
  const [q, setQ] = useState('');
  const query = useDebounced(q.trim(), 250);
  // One string, not an object: a new object every render would never settle.
  const filterKey = JSON.stringify(
    Object.entries(options.filters ?? {}).filter(([, value]) => value !== ''),
  );
  const filters = Object.fromEntries(JSON.parse(filterKey) as [string, string][]);
  const [more, setMore] = useState<Page<T> | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const params = (cursor?: string) => ({
    ...(searchable ? { q: query } : {}),
    ...filters,
    limit: 50,
    ...(cursor ? { cursor } : {}),
  });
  const first = useLoad(async () => {
    setMore(null);
    return api<Page<T>>('GET', path, { query: params() });
  }, [path, query, filterKey]);
  /** A search or a filter narrows the list: an empty one then says "none found". */
  const narrowed = query !== '' || filterKey !== '[]';
  const items = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const nextCursor = more ? more.nextCursor : (first.data?.nextCursor ?? null);
  const loadMore = async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await api<Page<T>>('GET', path, { query: params(nextCursor) });
      setMore({ items: [...(more?.items ?? []), ...page.items], nextCursor: page.nextCursor });
    } catch (e) {
      setMoreError(e);
    } finally {
      setLoadingMore(false);
    }
  };
  return {
    q,
    setQ,
    query,
    narrowed,
    items,
    nextCursor,
    first,
    loadMore,
    loadingMore,
    moreError,
  };
}

export function SearchBox(props: {
  label: string;
  hint?: string;
  value: string;
  onChange: (v: string) => void;
}) {
  return (
    <div className="filters" role="search">
      <TextField
        label={props.label}
        hint={props.hint}
        type="search"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </div>
  );
}

export function ListFooter<T>(props: { list: ReturnType<typeof usePagedSearch<T>> }) {
  const t = useT();
  const l = props.list;
  return (
    <>
      <ErrorMessage error={l.moreError} />
      <div className="list-footer">
        <span className="muted">{t('contacts.shown', { count: l.items.length })}</span>
        {l.nextCursor ? (
          <Button onClick={() => void l.loadMore()} busy={l.loadingMore}>
            {t('common.loadMore')}
          </Button>
        ) : null}
      </div>
    </>
  );
}

export function ListStatus<T>(props: { list: ReturnType<typeof usePagedSearch<T>> }) {
  const l = props.list;
  return (
    <>
      <ErrorMessage error={l.first.error} />
      {l.first.loading && !l.first.data ? <Loading /> : null}
    </>
  );
}

/** A column of a `PagedTable`: its header, and what a row shows in it (text, a link, a button). */
export interface Column<T> {
  header: string;
  cell: (item: T) => ReactNode;
}

/**
 * The body of a searchable list screen: loading and error state, an empty state that says what to
 * do next (a different one when a search finds nothing), the table and the "Load more" footer.
 * `testId` names the table for the browser tests.
 */
export function PagedTable<T extends { id: string }>(props: {
  list: ReturnType<typeof usePagedSearch<T>>;
  columns: ReadonlyArray<Column<T>>;
  empty: { title: string; text: string };
  noneFound: { title: string; text: string };
  testId?: string;
}) {
  const { list } = props;
  return (
    <>
      <ListStatus list={list} />
      {list.first.data && list.items.length === 0 ? (
        <EmptyState {...(list.narrowed ? props.noneFound : props.empty)} />
      ) : list.items.length ? (
        <>
          <div className="table-wrap">
            <table className="table" data-testid={props.testId}>
              <thead>
                <tr>
                  {props.columns.map((c) => (
                    <th key={c.header} scope="col">
                      {c.header}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {list.items.map((item) => (
                  <tr key={item.id}>
                    {props.columns.map((c) => (
                      <td key={c.header}>{c.cell(item)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ListFooter list={list} />
        </>
      ) : null}
    </>
  );
}
