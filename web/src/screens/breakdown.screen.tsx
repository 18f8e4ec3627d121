import { useState } from 'react';
import { api, apiUrl } from '../api/client.ts';
import type { BreakdownJson } from '../api/types.ts';
import { useFormat, useT, type MessageKey } from '../i18n/i18n.tsx';
import { useSession } from '../lib/session.tsx';
import { useLoad } from '../lib/use-load.hook.ts';
import { FunnelPlot, POSITION_COLOURS, signed } from '../components/charts.component.tsx';
import {
  EmptyState,
  ErrorMessage,
  Loading,
  PageHeader,
  SelectField,
} from '../components/ui.component.tsx';
import { periodQuery } from './insight.screen.tsx';

type Dimension = BreakdownJson['dimension'];
const PER_EMPLOYEE: readonly Dimension[] = ['employee', 'team'];
const DIMENSIONS: readonly Dimension[] = [
  'employee',
  'team',
  'location',
  'segment',
  'account',
  'channel',
  'survey',
];
const PERIODS = [30, 90, 180, 365] as const;

/**
 * NPS per account manager, team, segment, account, channel or survey, honestly: each group's
 * number of answers, raw NPS with its interval, and the estimate shrunk toward the organisation
 * (empirical Bayes), which is what the list is ordered by. A group with fewer answers than the
 * minimum shows its shrunk estimate and interval, and is never ranked on its raw score. The funnel
 * plot shows who is really above or below the organisation at their size.
 */
export function BreakdownScreen() {
  const t = useT();
  const { me } = useSession();
  const perEmployee = me.organisation.settings.employeeNpsEnabled && me.role !== 'account_manager';
  const dimensions = DIMENSIONS.filter((d) => perEmployee || !PER_EMPLOYEE.includes(d));
  const [dimension, setDimension] = useState<Dimension>(dimensions[0] ?? 'segment');
  const [days, setDays] = useState<number>(90);
  const query = { ...periodQuery(days), dimension };
  const data = useLoad(
    () => api<BreakdownJson>('GET', '/results/breakdown', { query }),
    [JSON.stringify(query)],
  );
  const b = data.data;
  return (
    <>
      <PageHeader
        title={t('breakdown.title')}
        intro={t('breakdown.intro')}
        actions={
          <a
            className="btn btn-secondary"
            href={apiUrl('/results/breakdown.xlsx', query)}
            download
            data-testid="export-breakdown-xlsx"
          >
            {t('breakdown.exportXlsx')}
          </a>
        }
      />
      <div className="filters filters-compact" role="search">
        <SelectField
          label={t('breakdown.dimension')}
          value={dimension}
          onChange={(e) => setDimension(e.target.value as Dimension)}
          options={dimensions.map((d) => ({
            value: d,
            label: t(`breakdown.dim.${d}` as MessageKey),
          }))}
        />
        <SelectField
          label={t('insight.period')}
          value={String(days)}
          onChange={(e) => setDays(Number(e.target.value))}
          options={PERIODS.map((d) => ({
            value: String(d),
            label: t('insight.lastDays', { days: d }),
          }))}
        />
      </div>
      <ErrorMessage error={data.error} />
      {data.loading && !b ? <Loading /> : null}
      {b && b.groups.length === 0 ? (
        <EmptyState title={t('insight.emptyPeriod')} text={t('results.emptyText')} />
      ) : null}
      {b && b.groups.length > 0 ? <Breakdown breakdown={b} /> : null}
    </>
  );
}

function Breakdown(props: { breakdown: BreakdownJson }) {
  const t = useT();
  const fmt = useFormat();
  const b = props.breakdown;
  const name = (g: BreakdownJson['groups'][number]) =>
    g.label === null
      ? t('breakdown.none')
      : b.dimension === 'channel'
        ? t(`breakdown.channel.${g.label}` as MessageKey)
        : g.label;
  const target = b.organisation.nps ?? 0;
  return (
    <>
      <section className="card" data-testid="breakdown-funnel">
        <h2>{t('breakdown.funnel')}</h2>
        <p className="hint">
          {t('breakdown.funnelIntro', {
            nps: signed(target),
            count: b.organisation.total,
          })}
        </p>
        <FunnelPlot
          groups={b.groups.map((g) => ({
            key: g.key,
            label: name(g),
            n: g.n,
            nps: g.nps,
            position: g.funnel,
          }))}
          limits={b.funnel}
          target={target}
          label={t('breakdown.funnelLabel', { count: b.groups.length, nps: signed(target) })}
          axisLabel={t('breakdown.funnelAxes')}
        />
      </section>
      <section className="card">
        <h2>{t(`breakdown.dim.${b.dimension}` as MessageKey)}</h2>
        <p className="hint">{t('breakdown.tableIntro', { min: b.minimumN })}</p>
        <div className="table-wrap">
          <table className="table" data-testid="breakdown-table">
            <thead>
              <tr>
                <th scope="col">{t('breakdown.group')}</th>
                <th scope="col" className="num">
                  {t('breakdown.n')}
                </th>
                <th scope="col">{t('breakdown.estimate')}</th>
                <th scope="col">{t('breakdown.raw')}</th>
                <th scope="col">{t('breakdown.position')}</th>
              </tr>
            </thead>
            <tbody>
              {b.groups.map((g) => (
                <tr
                  key={g.key}
                  data-below-minimum={g.belowMinimum ? 'true' : 'false'}
                  data-position={g.funnel ?? 'none'}
                >
                  <th scope="row">{name(g)}</th>
                  <td className="num">{fmt.number(g.n)}</td>
                  <td data-testid="shrunk">
                    {g.shrunk ? (
                      <>
                        <strong>{signed(g.shrunk.estimate)}</strong>{' '}
                        <span className="muted">
                          ({signed(g.shrunk.low)} … {signed(g.shrunk.high)})
                        </span>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td data-testid="raw">
                    {g.belowMinimum ? (
                      <span className="muted">
                        {t('breakdown.tooFew', { min: b.minimumN })}
                        {g.nps !== null ? ` · ${signed(g.nps)}` : ''}
                      </span>
                    ) : g.nps !== null ? (
                      <>
                        {signed(g.nps)}{' '}
                        {g.interval ? (
                          <span className="muted">
                            ({signed(g.interval.low)} … {signed(g.interval.high)})
                          </span>
                        ) : null}
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>
                    {g.funnel ? (
                      <span className="position">
                        <span
                          className="legend-dot"
                          style={{ background: POSITION_COLOURS[g.funnel] }}
                          aria-hidden="true"
                        />
                        {t(`breakdown.pos.${g.funnel}` as MessageKey)}
                      </span>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
