import { useState, type ReactNode } from 'react';
import { api } from '../api/client.ts';
import type {
  Category,
  Page,
  ResponseJson,
  ResultsSummary,
  Survey,
  TrendJson,
} from '../api/types.ts';
import { useFormat, useT } from '../i18n/i18n.tsx';
import { useLocation } from '../lib/router.tsx';
import { useEmployees } from '../lib/lookups.hook.ts';
import { useDebounced, useLoad } from '../lib/use-load.hook.ts';
import { MailBanner, useMailStatus } from '../components/mail-banner.component.tsx';
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

const round = (n: number) => Math.round(n);
const signed = (n: number) => (round(n) > 0 ? `+${round(n)}` : String(round(n)));

/** Position on the −100..+100 scale as a percentage of the bar's width. */
const pos = (nps: number) => `${((Math.max(-100, Math.min(100, nps)) + 100) / 200) * 100}%`;

/**
 * Results: the NPS with its 95% interval drawn as a range (so 30 answers are not read as gospel),
 * the shares of promoters, passives and detractors, the 0–10 distribution, the funnel from sent to
 * answered, and the monthly trend. Plain HTML and CSS, no chart library.
 */
export function ResultsScreen() {
  const t = useT();
  const fmt = useFormat();
  const [filters, setFilters, query] = useFilters();
  const summary = useLoad(
    () => api<ResultsSummary>('GET', '/results/summary', { query }),
    [JSON.stringify(query)],
  );
  const trend = useLoad(
    () => api<TrendJson>('GET', '/results/trend', { query }),
    [JSON.stringify(query)],
  );
  const mail = useMailStatus();
  const s = summary.data;
  return (
    <>
      <PageHeader title={t('results.title')} intro={t('results.intro')} />
      <MailBanner status={mail.data} />
      <FilterBar filters={filters} onChange={setFilters} />
      <ErrorMessage error={summary.error ?? trend.error} />
      {summary.loading && !s ? <Loading /> : null}
      {s && s.total === 0 ? (
        <EmptyState title={t('results.empty')} text={t('results.emptyText')} />
      ) : null}
      {s && s.total > 0 && s.nps !== null ? (
        <>
          <div className="tiles">
            <section className="card" data-testid="nps-card">
              <h2>{t('results.nps')}</h2>
              <div className="big-number" data-testid="nps-value">
                {signed(s.nps)}
              </div>
              {s.interval ? (
                <>
                  <div
                    className="range"
                    role="img"
                    aria-label={t('results.intervalLabel', {
                      low: signed(s.interval.low),
                      high: signed(s.interval.high),
                    })}
                  >
                    <div
                      className="range-ci"
                      style={{
                        left: pos(s.interval.low),
                        width: `calc(${pos(s.interval.high)} - ${pos(s.interval.low)})`,
                      }}
                    />
                    <div className="range-point" style={{ left: pos(s.nps) }} />
                  </div>
                  <div className="range-scale" aria-hidden="true">
                    <span>−100</span>
                    <span>0</span>
                    <span>+100</span>
                  </div>
                  <p className="hint">
                    {t('results.interval', {
                      low: signed(s.interval.low),
                      high: signed(s.interval.high),
                      level: fmt.percent(s.interval.level),
                    })}
                  </p>
                </>
              ) : null}
              <p className="muted">{t('results.basedOn', { count: s.total })}</p>
            </section>
            <section className="card">
              <h2>{t('results.categories')}</h2>
              {(
                [
                  ['promoter', s.promoters, s.shares?.promoters ?? 0],
                  ['passive', s.passives, s.shares?.passives ?? 0],
                  ['detractor', s.detractors, s.shares?.detractors ?? 0],
                ] as const
              ).map(([cat, count, share]) => (
                <div className="funnel-row" key={cat}>
                  <span>{t(`category.${cat}`)}</span>
                  <div className={`funnel-bar cat-${cat}`} style={{ width: fmt.percent(share) }} />
                  <span className="num">
                    {fmt.percent(share)} ({fmt.number(count)})
                  </span>
                </div>
              ))}
              <p className="hint">{t('results.categoriesHint')}</p>
            </section>
          </div>
          <div className="tiles">
            <section className="card">
              <h2>{t('results.distribution')}</h2>
              <Distribution counts={s.distribution} />
            </section>
            <section className="card">
              <h2>{t('results.funnel')}</h2>
              <Funnel funnel={s.funnel} />
            </section>
          </div>
        </>
      ) : null}
      {trend.data && s && s.total > 0 ? (
        <section className="card">
          <h2>{t('results.trend')}</h2>
          <Trend trend={trend.data} />
        </section>
      ) : null}
    </>
  );
}

function Distribution(props: { counts: number[] }) {
  const fmt = useFormat();
  const t = useT();
  const max = Math.max(1, ...props.counts);
  return (
    <div className="bars" role="img" aria-label={t('results.distributionLabel')}>
      {props.counts.map((n, score) => (
        <div className="bar" key={score}>
          <span className="bar-value">{n ? fmt.number(n) : ''}</span>
          <div
            className={`bar-fill cat-${score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor'}`}
            style={{ height: `${(n / max) * 100}%` }}
          />
          <span className="bar-label">{score}</span>
        </div>
      ))}
    </div>
  );
}

function Funnel(props: { funnel: ResultsSummary['funnel'] }) {
  const t = useT();
  const fmt = useFormat();
  const f = props.funnel;
  const steps = [
    ['sent', f.sent],
    ['delivered', f.delivered],
    ['clicked', f.clicked],
    ['answered', f.answered],
  ] as const;
  const max = Math.max(1, f.sent);
  return (
    <>
      {steps.map(([k, n]) => (
        <div className="funnel-row" key={k}>
          <span>{t(`funnel.${k}`)}</span>
          <div className="funnel-bar" style={{ width: `${(n / max) * 100}%` }} />
          <span className="num" data-testid={`funnel-${k}`}>
            {fmt.number(n)}
          </span>
        </div>
      ))}
      {f.outbox > 0 ? (
        <p className="hint" data-testid="funnel-outbox">
          {t('funnel.outbox', { count: f.outbox })}
        </p>
      ) : null}
      {f.responseRate ? (
        <p>
          {t('results.responseRate', {
            rate: fmt.percent(f.responseRate.rate),
            low: fmt.percent(f.responseRate.low),
            high: fmt.percent(f.responseRate.high),
          })}
        </p>
      ) : (
        <p className="hint">{t('results.noInvitations')}</p>
      )}
    </>
  );
}

function Trend(props: { trend: TrendJson }) {
  const t = useT();
  const fmt = useFormat();
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('results.period')}</th>
            <th scope="col">{t('results.nps')}</th>
            <th scope="col">{t('results.intervalShort')}</th>
            <th scope="col" className="num">
              {t('results.answers')}
            </th>
          </tr>
        </thead>
        <tbody>
          {props.trend.points.map((p) => (
            <tr key={p.period}>
              <td>{p.period}</td>
              <td>
                {p.nps === null ? (
                  '—'
                ) : (
                  <div className="trend-cell">
                    <strong>{signed(p.nps)}</strong>
                    {p.interval ? (
                      <div className="range range-small" aria-hidden="true">
                        <div
                          className="range-ci"
                          style={{
                            left: pos(p.interval.low),
                            width: `calc(${pos(p.interval.high)} - ${pos(p.interval.low)})`,
                          }}
                        />
                        <div className="range-point" style={{ left: pos(p.nps) }} />
                      </div>
                    ) : null}
                  </div>
                )}
              </td>
              <td>{p.interval ? `${signed(p.interval.low)} … ${signed(p.interval.high)}` : '—'}</td>
              <td className="num">{fmt.number(p.total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
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
      <PageHeader title={t('responses.title')} intro={t('responses.intro')} />
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
