import { useState } from 'react';
import { api } from '../api/client.ts';
import type { LoyaltyReport, LoyaltyTaskJson } from '../api/types.ts';
import { Link } from '../lib/router.tsx';
import { useFormat, useT, type MessageKey } from '../i18n/i18n.tsx';
import { useLoad } from '../lib/use-load.hook.ts';
import {
  Button,
  EmptyState,
  ErrorMessage,
  Loading,
  Notice,
  PageHeader,
  SelectField,
} from '../components/ui.component.tsx';

type Category = LoyaltyReport['categories'][number];
type Prediction = LoyaltyReport['prediction'];

const COLOURS: Record<string, string> = {
  promoter: '#1a7f37',
  passive: '#b26a00',
  detractor: '#c0362c',
  non_respondent: '#5b6475',
};

/**
 * "Satisfied is not loyal": do customers actually come back, per NPS category, and does the score
 * predict it for this business — in plain words, with intervals and an honest "not enough data".
 */
export function LoyaltyScreen() {
  const t = useT();
  const [windowDays, setWindowDays] = useState('365');
  const report = useLoad(
    () => api<LoyaltyReport>('GET', '/loyalty', { query: { windowDays } }),
    [windowDays],
  );
  const r = report.data;
  return (
    <>
      <PageHeader title={t('loyalty.title')} intro={t('loyalty.intro')} />
      <div className="filters">
        <SelectField
          label={t('loyalty.window')}
          value={windowDays}
          onChange={(e) => setWindowDays(e.target.value)}
          options={[
            { value: '182', label: t('loyalty.window182') },
            { value: '365', label: t('loyalty.window365') },
          ]}
        />
      </div>
      <p className="hint">
        <Link to="/import?kind=visits">{t('loyalty.importVisits')}</Link>
      </p>
      <ErrorMessage error={report.error} />
      <LapsedPromoters />
      {!r ? (
        <Loading />
      ) : r.categories.every((c) => c.customers === 0) ? (
        <EmptyState title={t('loyalty.emptyTitle')} text={t('loyalty.emptyText')} />
      ) : (
        <>
          <section className="card" aria-labelledby="verdict">
            <h2 id="verdict">{t('loyalty.question')}</h2>
            <Verdict prediction={r.prediction} report={r} />
          </section>
          <section className="card" aria-labelledby="curves">
            <h2 id="curves">{t('loyalty.curvesTitle')}</h2>
            <p className="hint">{t('loyalty.curvesHint')}</p>
            <ReturnChart categories={r.categories} />
            <CategoryTable categories={r.categories} />
          </section>
          {r.segments.length > 0 ? (
            <section className="card" aria-labelledby="segments">
              <h2 id="segments">{t('loyalty.segments')}</h2>
              <ul>
                {r.segments.map((s) => (
                  <li key={s.segment}>
                    <strong>{s.segment}</strong>: {verdictText(t, s.verdict)}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <section className="card" aria-labelledby="growth">
            <h2 id="growth">{t('loyalty.growthTitle')}</h2>
            <p className="hint">{t('loyalty.growthHint')}</p>
            <GrowthTable report={r} />
          </section>
        </>
      )}
    </>
  );
}

function verdictText(t: ReturnType<typeof useT>, verdict: Prediction['verdict']): string {
  return t(`loyalty.verdict.${verdict}` as MessageKey);
}

function Verdict(props: { prediction: Prediction; report: LoyaltyReport }) {
  const t = useT();
  const fmt = useFormat();
  const p = props.prediction;
  const dec = (x: number) => fmt.number(Math.round(x * 100) / 100);
  if (p.verdict === 'not_enough_data') {
    return (
      <Notice tone="info">
        {t('loyalty.notEnough', {
          customers: p.customers,
          minimum: props.report.minimum.customers,
          perOutcome: props.report.minimum.perOutcome,
          returned: p.returned,
          stayedAway: p.stayedAway,
        })}
      </Notice>
    );
  }
  return (
    <div className="verdict">
      <p className="verdict-headline">
        <strong>{verdictText(t, p.verdict)}</strong>
      </p>
      {p.ratio ? (
        <p>
          {t('loyalty.ratio', {
            ratio: dec(p.ratio.estimate),
            low: dec(p.ratio.low),
            high: dec(p.ratio.high),
            promoterRate: fmt.percent(p.ratio.promoterRate),
            detractorRate: fmt.percent(p.ratio.detractorRate),
            days: props.report.windowDays,
          })}
        </p>
      ) : (
        <p>{t('loyalty.noRatio')}</p>
      )}
      {p.aucScore && p.aucPriorVisits && p.aucBoth && p.gain ? (
        <p>
          {t('loyalty.auc', {
            score: dec(p.aucScore.estimate),
            scoreLow: dec(p.aucScore.low),
            scoreHigh: dec(p.aucScore.high),
            prior: dec(p.aucPriorVisits.estimate),
            both: dec(p.aucBoth.estimate),
            gain: dec(p.gain.estimate),
            gainLow: dec(p.gain.low),
            gainHigh: dec(p.gain.high),
          })}
        </p>
      ) : null}
      <p className="hint">
        {t('loyalty.sample', {
          customers: p.customers,
          returned: p.returned,
          days: props.report.windowDays,
        })}
      </p>
    </div>
  );
}

const WIDTH = 640;
const HEIGHT = 260;
const PAD = { left: 44, right: 12, top: 10, bottom: 30 };

/** Kaplan–Meier curves of the share back, per category, as SVG steps with shaded intervals. */
function ReturnChart(props: { categories: readonly Category[] }) {
  const t = useT();
  const shown = props.categories.filter((c) => c.customers > 0);
  const maxDay = Math.max(30, ...shown.map((c) => c.maxDay));
  const x = (day: number) => PAD.left + (day / maxDay) * (WIDTH - PAD.left - PAD.right);
  const y = (share: number) => PAD.top + (1 - share) * (HEIGHT - PAD.top - PAD.bottom);
  const steps = (c: Category, key: 'returned' | 'low' | 'high') => {
    let d = `M ${x(0)} ${y(0)}`;
    let last = 0;
    for (const s of c.curve) {
      d += ` H ${x(s.day)} V ${y(s[key])}`;
      last = s[key];
    }
    return { d: `${d} H ${x(c.maxDay)}`, last };
  };
  const band = (c: Category) => {
    const upper = steps(c, 'high').d;
    const lowerPoints: string[] = [];
    let prev = 0;
    lowerPoints.push(`L ${x(c.maxDay)} ${y(c.curve.at(-1)?.low ?? 0)}`);
    for (const s of [...c.curve].reverse()) {
      lowerPoints.push(`H ${x(s.day)} V ${y(prev)}`);
      prev = s.low;
    }
    void prev;
    return `${upper} ${lowerPoints.join(' ')} H ${x(0)} Z`;
  };
  const label = shown
    .map((c) => `${t(`loyalty.category.${c.category}` as MessageKey)}: ${c.customers}`)
    .join(', ');
  return (
    <figure className="loyalty-chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={t('loyalty.chartLabel', { groups: label })}
        data-testid="return-chart"
      >
        {[0, 0.25, 0.5, 0.75, 1].map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(v)} y2={y(v)} stroke="#e3e6ea" />
            <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" fontSize="11">
              {Math.round(v * 100)}%
            </text>
          </g>
        ))}
        {[0, 0.25, 0.5, 0.75, 1].map((v) => (
          <text key={v} x={x(v * maxDay)} y={HEIGHT - 8} textAnchor="middle" fontSize="11">
            {Math.round(v * maxDay)}
          </text>
        ))}
        {shown.map((c) => (
          <path key={`band-${c.category}`} d={band(c)} fill={COLOURS[c.category]} opacity={0.12} />
        ))}
        {shown.map((c) => (
          <path
            key={c.category}
            d={steps(c, 'returned').d}
            fill="none"
            stroke={COLOURS[c.category]}
            strokeWidth={2}
            data-category={c.category}
          />
        ))}
      </svg>
      <figcaption className="chart-legend">
        {shown.map((c) => (
          <span key={c.category} className="legend-item">
            <span className="legend-swatch" style={{ background: COLOURS[c.category] }} />
            {t(`loyalty.category.${c.category}` as MessageKey)}
          </span>
        ))}
        <span className="hint"> {t('loyalty.axis')}</span>
      </figcaption>
    </figure>
  );
}

function CategoryTable(props: { categories: readonly Category[] }) {
  const t = useT();
  const fmt = useFormat();
  const share = (w: Category['within'][number] | undefined) =>
    !w || w.estimate === null
      ? t('loyalty.unknownYet')
      : `${fmt.percent(w.estimate)} (${fmt.percent(w.low ?? 0)}–${fmt.percent(w.high ?? 0)})`;
  const euro = (n: number) => `€ ${fmt.number(Math.round(n))}`;
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('loyalty.group')}</th>
            <th scope="col" className="num">
              {t('loyalty.customers')}
            </th>
            <th scope="col">{t('loyalty.within182')}</th>
            <th scope="col">{t('loyalty.within365')}</th>
            <th scope="col" className="num">
              {t('loyalty.median')}
            </th>
            <th scope="col">{t('loyalty.revenue')}</th>
          </tr>
        </thead>
        <tbody>
          {props.categories.map((c) => (
            <tr key={c.category}>
              <th scope="row">{t(`loyalty.category.${c.category}` as MessageKey)}</th>
              <td className="num">{fmt.number(c.customers)}</td>
              <td>{share(c.within[0])}</td>
              <td>{share(c.within[1])}</td>
              <td className="num">{c.medianDays === null ? '—' : fmt.number(c.medianDays)}</td>
              <td>
                {c.revenuePerCustomer
                  ? `${euro(c.revenuePerCustomer.mean)} (${euro(c.revenuePerCustomer.low)}–${euro(c.revenuePerCustomer.high)})`
                  : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Earned growth per month: returning and referred new customers' revenue, and the rate. */
function GrowthTable(props: { report: LoyaltyReport }) {
  const t = useT();
  const fmt = useFormat();
  const share = (x: number | null) => (x === null ? '—' : fmt.percent(x));
  return (
    <div className="table-wrap">
      <table className="table" data-testid="earned-growth">
        <thead>
          <tr>
            <th scope="col">{t('loyalty.month')}</th>
            <th scope="col" className="num">
              {t('loyalty.monthRevenue')}
            </th>
            <th scope="col" className="num">
              {t('loyalty.returningRevenue')}
            </th>
            <th scope="col" className="num">
              {t('loyalty.referredRevenue')}
            </th>
            <th scope="col" className="num">
              {t('loyalty.returningShare')}
            </th>
            <th scope="col" className="num">
              {t('loyalty.earnedGrowth')}
            </th>
          </tr>
        </thead>
        <tbody>
          {props.report.earnedGrowth.map((m) => (
            <tr key={m.month}>
              <td>
                <time dateTime={m.month}>{fmt.month(m.month)}</time>
              </td>
              <td className="num">€ {fmt.number(Math.round(m.revenue))}</td>
              <td className="num">€ {fmt.number(Math.round(m.returningRevenue))}</td>
              <td className="num">€ {fmt.number(Math.round(m.referredNewRevenue))}</td>
              <td className="num">{share(m.returningShareOfPrevious)}</td>
              <td className="num">{share(m.earnedGrowthRate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * "Tevreden, maar niet teruggekomen": promoters who stayed away longer than their usual interval,
 * each a task for their account manager (one per customer per interval), as cards that fit a phone.
 */
function LapsedPromoters() {
  const t = useT();
  const fmt = useFormat();
  const tasks = useLoad(
    () => api<{ items: LoyaltyTaskJson[] }>('GET', '/loyalty/tasks', { query: { status: 'open' } }),
    [],
  );
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const items = tasks.data?.items ?? [];
  const done = async (id: string) => {
    setBusy(id);
    setError(null);
    try {
      await api<LoyaltyTaskJson>('POST', `/loyalty/tasks/${id}/done`);
      tasks.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="card" aria-labelledby="lapsed" data-testid="lapsed-promoters">
      <h2 id="lapsed">{t('loyalty.lapsed.title')}</h2>
      <p className="hint">{t('loyalty.lapsed.hint')}</p>
      <ErrorMessage error={error ?? tasks.error} />
      {tasks.loading && !tasks.data ? <Loading /> : null}
      {tasks.data && items.length === 0 ? <p>{t('loyalty.lapsed.none')}</p> : null}
      {items.length > 0 ? (
        <ul className="task-list">
          {items.map((task) => (
            <li key={task.id} className="task" data-testid="lapsed-task">
              <p>
                <Link to={`/contacts/${task.contact.id}`}>
                  <strong>{task.contact.name ?? task.contact.email ?? '—'}</strong>
                </Link>
                {task.score !== null ? (
                  <span className="muted">
                    {' '}
                    · {t('loyalty.lapsed.score', { score: task.score })}
                  </span>
                ) : null}
              </p>
              <p className="muted">
                {t('loyalty.lapsed.when', {
                  last: fmt.date(task.lastVisitAt),
                  expected: fmt.date(task.expectedAt),
                  days: task.intervalDays,
                })}
              </p>
              <p className="muted">
                {task.owner
                  ? t('loyalty.lapsed.owner', { name: task.owner.name ?? '—' })
                  : t('loyalty.lapsed.noOwner')}
              </p>
              <Button busy={busy === task.id} onClick={() => void done(task.id)}>
                {t('loyalty.lapsed.done')}
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
