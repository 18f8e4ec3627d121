import { useState, type ReactNode } from 'react';
import { api, apiUrl } from '../api/client.ts';
import type { Category, Page, ResponseJson, Survey } from '../api/types.ts';
import { useFormat, useT } from '../i18n/i18n.tsx';
import { useLocation } from '../lib/router.tsx';
import { useEmployees } from '../lib/lookups.hook.ts';
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

interface Filters {
  surveyId: string;
  from: string;
  to: string;
  ownerEmployeeId: string;
  segment: string;
}

/** The filters every results screen shares: survey, period, account manager, segment. */
function useFilters(): [Filters, (f: Filters) => void, Record<string, string>] {
  const { search } = useLocation();
  const [filters, setFilters] = useState<Filters>({
    surveyId: search.get('surveyId') ?? '',
    from: '',
    to: '',
    ownerEmployeeId: '',
    segment: '',
  });
  const key = useDebounced(JSON.stringify(filters), 300);
  const query = JSON.parse(key) as Record<string, string>;
  return [filters, setFilters, query];
}

function FilterBar(props: { filters: Filters; onChange: (f: Filters) => void; extra?: ReactNode }) {
  const t = useT();
  const employees = useEmployees();
  const surveys = useLoad(
    () => api<Page<Survey>>('GET', '/surveys', { query: { limit: 100 } }),
    [],
  );
  const f = props.filters;
  const set = (k: keyof Filters) => (e: { target: { value: string } }) =>
    props.onChange({ ...f, [k]: e.target.value });
  return (
    <div className="filters" role="search">
      <SelectField
        label={t('results.survey')}
        value={f.surveyId}
        onChange={set('surveyId')}
        options={[
          { value: '', label: t('results.allSurveys') },
          ...(surveys.data?.items ?? []).map((s) => ({ value: s.id, label: s.name })),
        ]}
      />
      <TextField label={t('results.from')} type="date" value={f.from} onChange={set('from')} />
      <TextField label={t('results.to')} type="date" value={f.to} onChange={set('to')} />
      <SelectField
        label={t('field.owner')}
        value={f.ownerEmployeeId}
        onChange={set('ownerEmployeeId')}
        options={[
          { value: '', label: t('common.all') },
          ...employees.map((e) => ({ value: e.id, label: e.name })),
        ]}
      />
      <TextField label={t('field.segment')} value={f.segment} onChange={set('segment')} />
      {props.extra}
    </div>
  );
}

const CATEGORY_TONE: Record<Category, 'green' | 'amber' | 'red'> = {
  promoter: 'green',
  passive: 'amber',
  detractor: 'red',
};

/** Every answer with its comment, newest first, filtered like the dashboard plus by category. */
export function ResponsesScreen() {
  const t = useT();
  const fmt = useFormat();
  const [filters, setFilters, query] = useFilters();
  const [category, setCategory] = useState('');
  const [more, setMore] = useState<Page<ResponseJson> | null>(null);
  const [busy, setBusy] = useState(false);
  const q = { ...query, category };
  const first = useLoad(async () => {
    setMore(null);
    return api<Page<ResponseJson>>('GET', '/results/responses', { query: { ...q, limit: 50 } });
  }, [JSON.stringify(q)]);
  const items = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const next = more ? more.nextCursor : (first.data?.nextCursor ?? null);
  const loadMore = async () => {
    if (!next) return;
    setBusy(true);
    try {
      const page = await api<Page<ResponseJson>>('GET', '/results/responses', {
        query: { ...q, limit: 50, cursor: next },
      });
      setMore({ items: [...(more?.items ?? []), ...page.items], nextCursor: page.nextCursor });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PageHeader
        title={t('responses.title')}
        intro={t('responses.intro')}
        actions={
          <>
            <a
              className="btn btn-secondary"
              href={apiUrl('/results/responses.xlsx', q)}
              download
              data-testid="export-xlsx"
            >
              {t('responses.exportXlsx')}
            </a>
            <a className="btn btn-secondary" href={apiUrl('/results/responses.csv', q)} download>
              {t('responses.exportCsv')}
            </a>
          </>
        }
      />
      <FilterBar
        filters={filters}
        onChange={setFilters}
        extra={
          <SelectField
            label={t('responses.category')}
            value={category}
            onChange={(e) => setCategory(e.target.value)}
            options={[
              { value: '', label: t('common.all') },
              { value: 'promoter', label: t('category.promoter') },
              { value: 'passive', label: t('category.passive') },
              { value: 'detractor', label: t('category.detractor') },
            ]}
          />
        }
      />
      <ErrorMessage error={first.error} />
      {first.loading && !first.data ? <Loading /> : null}
      {first.data && items.length === 0 ? (
        <EmptyState title={t('responses.empty')} text={t('results.emptyText')} />
      ) : null}
      {items.length ? (
        <>
          <div className="table-wrap">
            <table className="table" data-testid="responses-table">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t('responses.score')}
                  </th>
                  <th scope="col">{t('responses.comment')}</th>
                  <th scope="col">{t('responses.who')}</th>
                  <th scope="col">{t('field.owner')}</th>
                  <th scope="col">{t('responses.when')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((r) => (
                  <tr key={r.id}>
                    <td className="num">
                      <Badge tone={CATEGORY_TONE[r.category]}>{r.score}</Badge>
                    </td>
                    <td>
                      {r.comment ?? <span className="muted">{t('responses.noComment')}</span>}
                    </td>
                    <td>
                      {r.contact?.name ?? t('responses.anonymous')}
                      {r.account?.name ? <span className="muted"> · {r.account.name}</span> : null}
                    </td>
                    <td>{r.employee?.name ?? '—'}</td>
                    <td>{fmt.dateTime(r.answeredAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="list-footer">
            <span className="muted">{t('contacts.shown', { count: items.length })}</span>
            {next ? (
              <Button onClick={() => void loadMore()} busy={busy}>
                {t('common.loadMore')}
              </Button>
            ) : null}
          </div>
        </>
      ) : null}
    </>
  );
}
