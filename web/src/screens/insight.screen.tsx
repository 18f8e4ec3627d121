import { useState } from 'react';
import { api } from '../api/client.ts';
import type { OverviewJson, Page, ResultsSummary, Survey, TrendJson } from '../api/types.ts';
import { useFormat, useLocale, useT, type Translate } from '../i18n/i18n.tsx';
import { Link } from '../lib/router.tsx';
import { useCan, useSession } from '../lib/session.tsx';
import { useLoad } from '../lib/use-load.hook.ts';
import { MailBanner, useMailStatus } from '../components/mail-banner.component.tsx';
import {
  ChartTable,
  DistributionChart,
  SplitBar,
  TrendChart,
  signed,
  type TrendPoint,
} from '../components/charts.component.tsx';
import {
  Badge,
  EmptyState,
  ErrorMessage,
  Loading,
  PageHeader,
  SelectField,
} from '../components/ui.component.tsx';

/** The periods the first screen offers, in days; 90 is the default (issue 10). */
const PERIODS = [30, 90, 180, 365] as const;
type Grain = 'week' | 'month';

/** Today's date in the Netherlands as yyyy-mm-dd, shifted by whole days. */
export function localDay(offsetDays = 0, now = Date.now()): string {
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Amsterdam' }).format(now);
  const [y, m, d] = today.split('-').map(Number);
  const shifted = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + offsetDays));
  return shifted.toISOString().slice(0, 10);
}

/** The query of a period of `days` whole days ending today (the server's own default for 90). */
export function periodQuery(days: number): { from: string; to: string } {
  return { from: localDay(-(days - 1)), to: localDay(0) };
}

const TONE = { promoter: 'green', passive: 'amber', detractor: 'red' } as const;

/**
 * The first screen of an owner or manager: the NPS of a period with its interval and the number of
 * answers it rests on, whether it really changed since the period before (the test's p-value and
 * probability in the tooltip), the trend as a line with its interval band, the split into
 * promoters, passives and detractors, the 0–10 distribution, the response rate, the five latest
 * comments and the open cases. Every chart has its figures as a table behind it.
 */
export function InsightHomeScreen() {
  const t = useT();
  const can = useCan();
  const [days, setDays] = useState<number>(90);
  const [surveyId, setSurveyId] = useState('');
  const [grain, setGrain] = useState<Grain>('week');
  const query = { ...periodQuery(days), ...(surveyId ? { surveyId } : {}) };
  const key = JSON.stringify(query);
  const overview = useLoad(() => api<OverviewJson>('GET', '/results/overview', { query }), [key]);
  const summary = useLoad(() => api<ResultsSummary>('GET', '/results/summary', { query }), [key]);
  const trend = useLoad(
    () => api<TrendJson>('GET', '/results/trend', { query: { ...query, interval: grain } }),
    [key, grain],
  );
  const surveys = useLoad(
    () => api<Page<Survey>>('GET', '/surveys', { query: { limit: 100 } }),
    [],
  );
  const cases = useLoad(
    async () =>
      can('cases:read')
        ? api<{ items: unknown[]; total?: number }>('GET', '/cases', {
            query: { status: 'active', kind: 'recovery', limit: 1, total: 'true' },
          })
        : null,
    [],
  );
  const mail = useMailStatus();
  const { me } = useSession();
  const perEmployee = me.organisation.settings.employeeNpsEnabled && me.role !== 'account_manager';
  const o = overview.data;
  return (
    <>
      <PageHeader
        title={t('results.title')}
        intro={t('results.intro')}
        actions={
          <>
            <Link className="btn btn-secondary" to="/breakdown">
              {t('nav.breakdown')}
            </Link>
            <Link className="btn btn-secondary" to="/themes">
              {t('nav.themes')}
            </Link>
            {perEmployee ? (
              <Link className="btn btn-secondary" to="/team-results">
                {t('insight.perEmployee')}
              </Link>
            ) : null}
          </>
        }
      />
      <MailBanner status={mail.data} />
      <div className="filters filters-compact" role="search">
        <SelectField
          label={t('insight.period')}
          value={String(days)}
          onChange={(e) => setDays(Number(e.target.value))}
          options={PERIODS.map((d) => ({
            value: String(d),
            label: t('insight.lastDays', { days: d }),
          }))}
        />
        <SelectField
          label={t('results.survey')}
          value={surveyId}
          onChange={(e) => setSurveyId(e.target.value)}
          options={[
            { value: '', label: t('results.allSurveys') },
            ...(surveys.data?.items ?? []).map((s) => ({ value: s.id, label: s.name })),
          ]}
        />
      </div>
      <ErrorMessage error={overview.error ?? summary.error ?? trend.error} />
      {overview.loading && !o ? <Loading /> : null}
      {o && o.total === 0 ? (
        <EmptyState title={t('insight.emptyPeriod')} text={t('results.emptyText')} />
      ) : null}
      {o && o.total > 0 && o.nps !== null ? (
        <>
          <div className="tiles">
            <NpsCard overview={o} />
            <section className="card" data-testid="split-card">
              <h2>{t('results.categories')}</h2>
              <SplitBar
                shares={sharesOf(o)}
                label={t('insight.splitLabel', {
                  promoters: Math.round(sharesOf(o).promoters * 100),
                  passives: Math.round(sharesOf(o).passives * 100),
                  detractors: Math.round(sharesOf(o).detractors * 100),
                })}
              />
              <Split overview={o} />
              <p className="hint">{t('results.categoriesHint')}</p>
            </section>
          </div>
          <section className="card" data-testid="trend-card">
            <div className="card-head">
              <h2>{t('insight.trend')}</h2>
              <div className="segmented" role="group" aria-label={t('insight.grain')}>
                {(['week', 'month'] as const).map((g) => (
                  <button
                    key={g}
                    type="button"
                    aria-pressed={grain === g}
                    onClick={() => setGrain(g)}
                  >
                    {t(g === 'week' ? 'insight.perWeek' : 'insight.perMonth')}
                  </button>
                ))}
              </div>
            </div>
            {trend.data ? <Trend trend={trend.data} /> : <Loading />}
          </section>
          <div className="tiles">
            <section className="card">
              <h2>{t('results.distribution')}</h2>
              <Distribution counts={o.distribution} />
            </section>
            <section className="card">
              <h2>{t('results.funnel')}</h2>
              {summary.data ? <Funnel funnel={summary.data.funnel} /> : <Loading />}
            </section>
          </div>
          <div className="tiles">
            <LatestComments comments={o.latestComments} />
            {cases.data ? (
              <section className="card" data-testid="cases-card">
                <h2>{t('insight.openCases')}</h2>
                <div className="big-number" data-testid="open-cases">
                  {cases.data.total ?? cases.data.items.length}
                </div>
                <p className="hint">{t('insight.openCasesHint')}</p>
              </section>
            ) : null}
          </div>
        </>
      ) : null}
    </>
  );
}

/** The category shares of a period with answers (0 where the server has none). */
const sharesOf = (o: OverviewJson) => ({
  promoters: o.shares?.promoters ?? 0,
  passives: o.shares?.passives ?? 0,
  detractors: o.shares?.detractors ?? 0,
});

const pos = (nps: number) => `${((Math.max(-100, Math.min(100, nps)) + 100) / 200) * 100}%`;

function NpsCard(props: { overview: OverviewJson }) {
  const t = useT();
  const fmt = useFormat();
  const o = props.overview;
  if (o.nps === null) return null;
  return (
    <section className="card" data-testid="nps-card">
      <h2>{t('results.nps')}</h2>
      <div className="big-number" data-testid="nps-value">
        {signed(o.nps)}
      </div>
      {o.interval ? (
        <>
          <div
            className="range"
            role="img"
            aria-label={t('results.intervalLabel', {
              low: signed(o.interval.low),
              high: signed(o.interval.high),
            })}
          >
            <div
              className="range-ci"
              style={{
                left: pos(o.interval.low),
                width: `calc(${pos(o.interval.high)} - ${pos(o.interval.low)})`,
              }}
            />
            <div className="range-point" style={{ left: pos(o.nps) }} />
          </div>
          <div className="range-scale" aria-hidden="true">
            <span>−100</span>
            <span>0</span>
            <span>+100</span>
          </div>
          <p className="hint">
            {t('results.interval', {
              low: signed(o.interval.low),
              high: signed(o.interval.high),
              level: fmt.percent(o.interval.level),
            })}
          </p>
        </>
      ) : null}
      <p className="muted">{t('results.basedOn', { count: o.total })}</p>
      <Change overview={o} />
    </section>
  );
}

/** The change against the previous period, said as real or not, with the test in a tooltip. */
function Change(props: { overview: OverviewJson }) {
  const t = useT();
  const fmt = useFormat();
  const { change, previous } = props.overview;
  if (change.change === null || previous.nps === null) {
    return (
      <p className="change" data-testid="nps-change" data-real="none">
        {t('insight.noPrevious')}
      </p>
    );
  }
  const detail = t('insight.changeDetail', {
    p:
      (change.pValue ?? 1) < 0.001
        ? `< ${fmt.number(0.001)}`
        : `= ${fmt.number(Number((change.pValue ?? 1).toPrecision(2)))}`,
    probability: fmt.percent(change.probabilityOfRise ?? 0),
    previous: signed(previous.nps),
    n: previous.total,
  });
  const verdict = change.real
    ? t(change.direction === 'up' ? 'insight.realRise' : 'insight.realDrop')
    : t('insight.notReal');
  return (
    <p
      className={`change${change.real ? ` change-${change.direction}` : ''}`}
      data-testid="nps-change"
      data-real={change.real ? 'true' : 'false'}
    >
      <strong>
        {t('insight.change', { change: signed(change.change), previous: signed(previous.nps) })}
      </strong>{' '}
      <span className="tip" tabIndex={0} title={detail} aria-label={`${verdict}. ${detail}`}>
        {verdict}{' '}
        <span className="tip-mark" aria-hidden="true">
          i
        </span>
      </span>
    </p>
  );
}

function Split(props: { overview: OverviewJson }) {
  const t = useT();
  const fmt = useFormat();
  const o = props.overview;
  return (
    <table className="table compact-table">
      <tbody>
        {(
          [
            ['promoter', o.promoters, o.shares?.promoters ?? 0],
            ['passive', o.passives, o.shares?.passives ?? 0],
            ['detractor', o.detractors, o.shares?.detractors ?? 0],
          ] as const
        ).map(([cat, count, share]) => (
          <tr key={cat}>
            <th scope="row">
              <span className={`legend-dot cat-${cat}`} aria-hidden="true" />
              {t(`category.${cat}`)}
            </th>
            <td className="num">{fmt.percent(share)}</td>
            <td className="num">{fmt.number(count)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Axis and table labels of a trend point in the reader's language ("jan", "februari 2026"). */
export function periodLabels(
  point: { period: string; from: string },
  interval: string,
  locale: string,
  t: Translate,
): { tick: string; label: string } {
  const tag = locale === 'nl' ? 'nl-NL' : 'en-GB';
  const date = new Date(point.from);
  const zone = { timeZone: 'Europe/Amsterdam' } as const;
  if (interval === 'week') {
    const week = Number(point.period.split('-W')[1] ?? 0);
    const day = new Intl.DateTimeFormat(tag, { ...zone, day: 'numeric', month: 'short' }).format(
      date,
    );
    return { tick: day, label: t('insight.weekLabel', { week, day }) };
  }
  if (interval === 'quarter') return { tick: point.period, label: point.period };
  return {
    tick: new Intl.DateTimeFormat(tag, { ...zone, month: 'short' }).format(date),
    label: new Intl.DateTimeFormat(tag, { ...zone, month: 'long', year: 'numeric' }).format(date),
  };
}

function Trend(props: { trend: TrendJson }) {
  const t = useT();
  const fmt = useFormat();
  const { locale } = useLocale();
  const points = props.trend.points.map((p) => ({
    ...p,
    ...periodLabels(p, props.trend.interval, locale, t),
  }));
  if (points.length === 0) return <p className="hint">{t('insight.noTrend')}</p>;
  const series: TrendPoint[] = points.map((p) => ({
    label: p.label,
    tick: p.tick,
    nps: p.nps,
    low: p.interval?.low ?? null,
    high: p.interval?.high ?? null,
  }));
  return (
    <>
      <TrendChart
        testId="trend-chart"
        series={[{ name: t('results.nps'), colour: '#1f6f5c', points: series }]}
        label={t('insight.trendLabel', {
          first: points[0]?.label ?? '',
          last: points.at(-1)?.label ?? '',
        })}
      />
      <p className="hint">{t('insight.bandHint')}</p>
      <ChartTable testId="trend-table">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('results.period')}</th>
              <th scope="col" className="num">
                {t('results.nps')}
              </th>
              <th scope="col">{t('results.intervalShort')}</th>
              <th scope="col" className="num">
                {t('results.answers')}
              </th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.period}>
                <th scope="row">{p.label}</th>
                <td className="num">{p.nps === null ? '—' : signed(p.nps)}</td>
                <td>
                  {p.interval ? `${signed(p.interval.low)} … ${signed(p.interval.high)}` : '—'}
                </td>
                <td className="num">{fmt.number(p.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ChartTable>
    </>
  );
}

function Distribution(props: { counts: number[] }) {
  const t = useT();
  const fmt = useFormat();
  return (
    <>
      <DistributionChart
        counts={props.counts}
        label={t('results.distributionLabel')}
        format={fmt.number}
      />
      <ChartTable testId="distribution-table">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('responses.score')}</th>
              <th scope="col" className="num">
                {t('results.answers')}
              </th>
            </tr>
          </thead>
          <tbody>
            {props.counts.map((n, score) => (
              <tr key={score}>
                <th scope="row">{score}</th>
                <td className="num">{fmt.number(n)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ChartTable>
    </>
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
      {f.responseRate ? (
        <p data-testid="response-rate">
          {t('results.responseRate', {
            rate: fmt.percent(f.responseRate.rate),
            low: fmt.percent(f.responseRate.low),
            high: fmt.percent(f.responseRate.high),
          })}
        </p>
      ) : (
        <p className="hint">{t('results.noInvitations')}</p>
      )}
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
    </>
  );
}

function LatestComments(props: { comments: OverviewJson['latestComments'] }) {
  const t = useT();
  const fmt = useFormat();
  return (
    <section className="card" data-testid="latest-comments">
      <h2>{t('insight.latestComments')}</h2>
      {props.comments.length === 0 ? (
        <p className="hint">{t('insight.noComments')}</p>
      ) : (
        <ul className="comment-list">
          {props.comments.map((c) => (
            <li key={c.id}>
              <Badge tone={TONE[c.category]}>{c.score}</Badge>
              <div>
                <p className="comment-text">{c.comment}</p>
                <p className="hint">
                  {c.contact?.name ?? t('responses.anonymous')} · {fmt.date(c.answeredAt)}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
      <Link to="/responses">{t('insight.allComments')}</Link>
    </section>
  );
}
