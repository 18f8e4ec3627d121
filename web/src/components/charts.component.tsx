import type { ReactNode } from 'react';
import { useT } from '../i18n/i18n.tsx';

/**
 * The results charts, drawn as hand-written SVG rather than with a charting library: the three
 * shapes we need (a line with an interval band, bars, a funnel plot) are a few dozen lines each,
 * the loyalty screen draws its curves the same way, and Observable Plot would add d3 (well over
 * 100 kB minified) to an admin bundle that has no other use for it. Every chart scales with its
 * card (viewBox, width 100 %), names itself for screen readers, and has its figures as a table
 * behind it (`ChartTable`), so nothing is only visible as a picture.
 */

export const CATEGORY_COLOURS = {
  promoter: '#2e8b57',
  passive: '#c9a227',
  detractor: '#c8452c',
} as const;

/** Signed, rounded NPS: "+12", "0", "-8". */
export const signed = (n: number) => {
  const r = Math.round(n);
  return r > 0 ? `+${r}` : String(r);
};

/** A chart with its table behind a disclosure ("Als tabel"), so the figures are one click away. */
export function ChartTable(props: { children: ReactNode; testId?: string }) {
  const t = useT();
  return (
    <details className="chart-table" data-testid={props.testId}>
      <summary>{t('chart.asTable')}</summary>
      <div className="table-wrap">{props.children}</div>
    </details>
  );
}

export interface TrendPoint {
  label: string;
  /** A short label for the axis (e.g. "jan" or "12 feb"). */
  tick: string;
  nps: number | null;
  low: number | null;
  high: number | null;
}

export interface Series {
  name: string;
  colour: string;
  points: readonly TrendPoint[];
}

const W = 640;
const H = 240;
const PAD = { left: 52, right: 36, top: 14, bottom: 34 };

/**
 * NPS over time: a line through the periods with answers and the 95 % interval as a band around
 * it. Periods without answers leave a gap instead of a line drawn through nothing.
 */
export function TrendChart(props: { series: readonly Series[]; label: string; testId?: string }) {
  const count = Math.max(1, ...props.series.map((s) => s.points.length));
  const x = (i: number) =>
    count === 1
      ? (PAD.left + W - PAD.right) / 2
      : PAD.left + (i / (count - 1)) * (W - PAD.left - PAD.right);
  const y = (nps: number) => PAD.top + ((100 - nps) / 200) * (H - PAD.top - PAD.bottom);
  const first = props.series[0]?.points ?? [];
  // At most about eight axis labels, so they never overlap on a phone.
  const every = Math.max(1, Math.ceil(first.length / 8));
  const runs = (points: readonly TrendPoint[]) => {
    const out: Array<Array<{ i: number; p: TrendPoint }>> = [];
    let run: Array<{ i: number; p: TrendPoint }> = [];
    points.forEach((p, i) => {
      if (p.nps === null) {
        if (run.length) out.push(run);
        run = [];
      } else run.push({ i, p });
    });
    if (run.length) out.push(run);
    return out;
  };
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.label} data-testid={props.testId}>
        {[-100, -50, 0, 50, 100].map((v) => (
          <g key={v}>
            <line
              x1={PAD.left}
              x2={W - PAD.right}
              y1={y(v)}
              y2={y(v)}
              stroke={v === 0 ? '#aab2bd' : '#e3e6ea'}
            />
            <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" fontSize="11" fill="#5f6b7a">
              {signed(v)}
            </text>
          </g>
        ))}
        {first.map((p, i) =>
          i % every === 0 ? (
            <text key={i} x={x(i)} y={H - 8} textAnchor="middle" fontSize="11" fill="#5f6b7a">
              {p.tick}
            </text>
          ) : null,
        )}
        {props.series.map((s) =>
          runs(s.points).map((run, r) => {
            const upper = run.map(({ i, p }) => `${x(i)},${y(p.high ?? p.nps ?? 0)}`);
            const lower = [...run].reverse().map(({ i, p }) => `${x(i)},${y(p.low ?? p.nps ?? 0)}`);
            const line = run.map(({ i, p }) => `${x(i)},${y(p.nps ?? 0)}`).join(' ');
            return (
              <g key={`${s.name}-${r}`} data-series={s.name}>
                {run.length > 1 ? (
                  <polygon points={[...upper, ...lower].join(' ')} fill={s.colour} opacity={0.15} />
                ) : (
                  <line
                    x1={x(run[0]?.i ?? 0)}
                    x2={x(run[0]?.i ?? 0)}
                    y1={y(run[0]?.p.high ?? 0)}
                    y2={y(run[0]?.p.low ?? 0)}
                    stroke={s.colour}
                    strokeWidth={6}
                    opacity={0.25}
                  />
                )}
                <polyline points={line} fill="none" stroke={s.colour} strokeWidth={2.5} />
                {run.map(({ i, p }) => (
                  <circle key={i} cx={x(i)} cy={y(p.nps ?? 0)} r={3.5} fill={s.colour} />
                ))}
              </g>
            );
          }),
        )}
      </svg>
      {props.series.length > 1 ? (
        <figcaption className="chart-legend">
          {props.series.map((s) => (
            <span key={s.name} className="legend-item">
              <span className="legend-swatch" style={{ background: s.colour }} />
              {s.name}
            </span>
          ))}
        </figcaption>
      ) : null}
    </figure>
  );
}

/** The 0–10 distribution as bars coloured by category, the count above each bar. */
export function DistributionChart(props: {
  counts: readonly number[];
  label: string;
  format: (n: number) => string;
}) {
  const max = Math.max(1, ...props.counts);
  const bw = (W - PAD.left - PAD.right) / 11;
  const base = H - PAD.bottom;
  const top = PAD.top + 12;
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={props.label}
        data-testid="distribution-chart"
      >
        {props.counts.map((n, score) => {
          const h = (n / max) * (base - top);
          const colour =
            score >= 9
              ? CATEGORY_COLOURS.promoter
              : score >= 7
                ? CATEGORY_COLOURS.passive
                : CATEGORY_COLOURS.detractor;
          const cx = PAD.left + bw * score + bw / 2;
          return (
            <g key={score}>
              <rect
                x={cx - bw * 0.38}
                y={base - Math.max(h, n > 0 ? 2 : 0)}
                width={bw * 0.76}
                height={Math.max(h, n > 0 ? 2 : 0)}
                rx={3}
                fill={colour}
              />
              {n > 0 ? (
                <text x={cx} y={base - h - 4} textAnchor="middle" fontSize="12" fill="#4a5360">
                  {props.format(n)}
                </text>
              ) : null}
              <text x={cx} y={H - 8} textAnchor="middle" fontSize="12" fill="#4a5360">
                {score}
              </text>
            </g>
          );
        })}
        <line x1={PAD.left} x2={W - PAD.right} y1={base} y2={base} stroke="#aab2bd" />
      </svg>
    </figure>
  );
}

/** Promoters, passives and detractors as one stacked bar of 100 %. */
export function SplitBar(props: {
  shares: { promoters: number; passives: number; detractors: number };
  label: string;
}) {
  const parts = [
    ['promoter', props.shares.promoters],
    ['passive', props.shares.passives],
    ['detractor', props.shares.detractors],
  ] as const;
  let at = 0;
  return (
    <svg
      className="split-bar"
      viewBox="0 0 100 8"
      preserveAspectRatio="none"
      role="img"
      aria-label={props.label}
    >
      {parts.map(([cat, share]) => {
        const x = at;
        at += share * 100;
        return (
          <rect key={cat} x={x} y={0} width={share * 100} height={8} fill={CATEGORY_COLOURS[cat]} />
        );
      })}
    </svg>
  );
}

export type FunnelPosition = 'far-above' | 'above' | 'within' | 'below' | 'far-below';

export const POSITION_COLOURS: Record<FunnelPosition, string> = {
  'far-above': '#146c43',
  above: '#4caf7d',
  within: '#8a94a3',
  below: '#e08a3c',
  'far-below': '#b42318',
};

export interface FunnelGroup {
  key: string;
  label: string;
  n: number;
  nps: number | null;
  position: FunnelPosition | null;
}

/**
 * Funnel plot (Spiegelhalter 2005): each group's NPS against its number of answers, around the
 * organisation's NPS with the 95 % and 99.8 % control limits narrowing as n grows. A point outside
 * the limits is further from the organisation than chance explains at its size.
 */
export function FunnelPlot(props: {
  groups: readonly FunnelGroup[];
  limits: ReadonlyArray<{
    n: number;
    lower95: number;
    upper95: number;
    lower998: number;
    upper998: number;
  }>;
  target: number;
  label: string;
  axisLabel: string;
}) {
  const nMax = Math.max(1, ...props.limits.map((l) => l.n), ...props.groups.map((g) => g.n));
  const x = (n: number) => PAD.left + (n / nMax) * (W - PAD.left - PAD.right);
  const y = (nps: number) => PAD.top + ((100 - nps) / 200) * (H - PAD.top - PAD.bottom);
  const curve = (key: 'lower95' | 'upper95' | 'lower998' | 'upper998') =>
    props.limits.map((l) => `${x(l.n)},${y(l[key])}`).join(' ');
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(f * nMax));
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.label} data-testid="funnel-plot">
        {[-100, -50, 0, 50, 100].map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} stroke="#eceff3" />
            <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" fontSize="11" fill="#5f6b7a">
              {signed(v)}
            </text>
          </g>
        ))}
        {[...new Set(ticks)].map((n) => (
          <text key={n} x={x(n)} y={H - 8} textAnchor="middle" fontSize="11" fill="#5f6b7a">
            {n}
          </text>
        ))}
        <line
          x1={PAD.left}
          x2={W - PAD.right}
          y1={y(props.target)}
          y2={y(props.target)}
          stroke="#1f6f5c"
          strokeWidth={1.5}
          data-limit="target"
        />
        {(['lower95', 'upper95'] as const).map((k) => (
          <polyline
            key={k}
            points={curve(k)}
            fill="none"
            stroke="#1f6f5c"
            strokeDasharray="5 4"
            data-limit="95"
          />
        ))}
        {(['lower998', 'upper998'] as const).map((k) => (
          <polyline
            key={k}
            points={curve(k)}
            fill="none"
            stroke="#8a94a3"
            strokeWidth={1.5}
            data-limit="99.8"
          />
        ))}
        {props.groups.map((g) =>
          g.nps === null ? null : (
            <circle
              key={g.key}
              cx={x(g.n)}
              cy={y(g.nps)}
              r={5}
              fill={POSITION_COLOURS[g.position ?? 'within']}
              stroke="#fff"
              data-position={g.position ?? 'within'}
            >
              <title>{`${g.label}: ${signed(g.nps)} (n = ${g.n})`}</title>
            </circle>
          ),
        )}
      </svg>
      <figcaption className="hint">{props.axisLabel}</figcaption>
    </figure>
  );
}
