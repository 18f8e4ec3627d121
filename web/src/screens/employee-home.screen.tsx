import { useState } from 'react';
import { api, ApiError } from '../api/client.ts';
import type { EmployeeInsightJson, TeamInsightJson } from '../api/types.ts';
import { useFormat, useLocale, useT } from '../i18n/i18n.tsx';
import { Link } from '../lib/router.tsx';
import { useSession } from '../lib/session.tsx';
import { useLoad } from '../lib/use-load.hook.ts';
import { TrendChart, signed } from '../components/charts.component.tsx';
import {
  Badge,
  EmptyState,
  ErrorMessage,
  Loading,
  PageHeader,
  SelectField,
} from '../components/ui.component.tsx';
import { periodLabels, periodQuery } from './insight.screen.tsx';

const PERIODS = [30, 90, 180, 365] as const;
const TONE = { promoter: 'green', passive: 'amber', detractor: 'red' } as const;
type Answer = EmployeeInsightJson['comments'][number];

/** The "no access" page: a colleague's results are refused, and nothing of them is shown. */
function Forbidden() {
  const t = useT();
  return (
    <div data-testid="forbidden">
      <EmptyState title={t('nav.forbidden')} text={t('employeeHome.forbidden')} />
    </div>
  );
}

/**
 * An account manager's own results: their NPS with its interval against the organisation's, the
 * trend of both as lines with bands, the employee score, their customers' comments, praise and the
 * customers who asked to be contacted. Managers open their team members' pages from the team list;
 * a page the server refuses (a colleague's, or with per-employee NPS switched off) shows why and
 * nothing else.
 */
export function EmployeeHomeScreen(props: { employeeId: string }) {
  const t = useT();
  const fmt = useFormat();
  const { locale } = useLocale();
  const { me } = useSession();
  const [days, setDays] = useState<number>(90);
  const [grain, setGrain] = useState<'week' | 'month'>('week');
  const query = { ...periodQuery(days), interval: grain };
  const data = useLoad(
    () =>
      api<EmployeeInsightJson>('GET', `/results/employees/${props.employeeId}`, {
        query,
      }),
    [props.employeeId, JSON.stringify(query)],
  );
  const e = data.error;
  if (e instanceof ApiError && e.status === 403) {
    return e.code === 'employee_nps_disabled' ? (
      <EmptyState title={t('employeeHome.disabled')} text={t('employeeHome.disabledText')} />
    ) : (
      <Forbidden />
    );
  }
  const d = data.data;
  if (!d) return data.loading ? <Loading /> : <ErrorMessage error={e} />;
  const own = me.employeeId === d.employee.id;
  const series = (points: EmployeeInsightJson['trend']['own']) =>
    points.map((p) => ({
      ...periodLabels(p, d.trend.interval, locale, t),
      nps: p.nps,
      low: p.interval?.low ?? null,
      high: p.interval?.high ?? null,
    }));
  return (
    <>
      <PageHeader
        title={own ? t('employeeHome.mine') : t('employeeHome.of', { name: d.employee.name })}
        intro={own ? t('employeeHome.intro') : t('employeeHome.introOf', { name: d.employee.name })}
      />
      <div className="filters filters-compact" role="search">
        <SelectField
          label={t('insight.period')}
          value={String(days)}
          onChange={(ev) => setDays(Number(ev.target.value))}
          options={PERIODS.map((n) => ({
            value: String(n),
            label: t('insight.lastDays', { days: n }),
          }))}
        />
      </div>
      <ErrorMessage error={e} />
      <div className="tiles">
        <section className="card" data-testid="employee-nps">
          <h2>
            {own ? t('employeeHome.ownNps') : t('employeeHome.ownNpsOf', { name: d.employee.name })}
          </h2>
          <div className="big-number" data-testid="employee-nps-value">
            {d.own.nps === null ? '—' : signed(d.own.nps)}
          </div>
          {d.own.interval ? (
            <p className="hint">
              {t('results.interval', {
                low: signed(d.own.interval.low),
                high: signed(d.own.interval.high),
                level: fmt.percent(d.own.interval.level),
              })}
            </p>
          ) : null}
          <p className="muted">{t('results.basedOn', { count: d.own.total })}</p>
          <p data-testid="organisation-nps">
            {d.organisation.nps === null
              ? t('employeeHome.noOrganisation')
              : t('employeeHome.organisation', {
                  nps: signed(d.organisation.nps),
                  count: d.organisation.total,
                })}
          </p>
          {d.change.change !== null ? (
            <p className="change" data-real={d.change.real ? 'true' : 'false'}>
              {t('insight.change', {
                change: signed(d.change.change),
                previous: signed(d.previous.nps ?? 0),
              })}{' '}
              —{' '}
              {d.change.real
                ? t(d.change.direction === 'up' ? 'insight.realRise' : 'insight.realDrop')
                : t('insight.notReal')}
            </p>
          ) : null}
        </section>
        {d.employeeScore ? (
          <section className="card" data-testid="employee-score">
            <h2>
              {own
                ? t('employeeHome.employeeScore')
                : t('employeeHome.employeeScoreOf', { name: d.employee.name })}
            </h2>
            <div className="big-number">
              {fmt.number(Math.round(d.employeeScore.mean * 10) / 10)}
            </div>
            <p className="hint">
              {t('employeeHome.employeeScoreText', {
                low: fmt.number(Math.round(d.employeeScore.low * 10) / 10),
                high: fmt.number(Math.round(d.employeeScore.high * 10) / 10),
                count: d.employeeScore.n,
              })}
            </p>
          </section>
        ) : null}
      </div>
      <section className="card">
        <div className="card-head">
          <h2>{t('insight.trend')}</h2>
          <div className="segmented" role="group" aria-label={t('insight.grain')}>
            {(['week', 'month'] as const).map((g) => (
              <button key={g} type="button" aria-pressed={grain === g} onClick={() => setGrain(g)}>
                {t(g === 'week' ? 'insight.perWeek' : 'insight.perMonth')}
              </button>
            ))}
          </div>
        </div>
        {d.trend.own.length === 0 ? (
          <p className="hint">{t('insight.noTrend')}</p>
        ) : (
          <TrendChart
            testId="employee-trend"
            series={[
              { name: d.employee.name, colour: '#1f6f5c', points: series(d.trend.own) },
              {
                name: t('employeeHome.organisationName'),
                colour: '#8a94a3',
                points: series(d.trend.organisation),
              },
            ]}
            label={t('employeeHome.trendLabel', { name: d.employee.name })}
          />
        )}
        <p className="hint">{t('insight.bandHint')}</p>
      </section>
      <div className="tiles">
        <AnswerList
          testId="employee-praise"
          title={t('employeeHome.praise')}
          empty={t('employeeHome.noPraise')}
          answers={d.praise}
        />
        <AnswerList
          testId="employee-contact"
          title={t('employeeHome.contactRequests')}
          empty={t('employeeHome.noContactRequests')}
          answers={d.contactRequests}
        />
      </div>
      <AnswerList
        testId="employee-comments"
        title={
          own ? t('employeeHome.comments') : t('employeeHome.commentsOf', { name: d.employee.name })
        }
        empty={t('insight.noComments')}
        answers={d.comments}
      />
    </>
  );
}

function AnswerList(props: { testId: string; title: string; empty: string; answers: Answer[] }) {
  const t = useT();
  const fmt = useFormat();
  return (
    <section className="card" data-testid={props.testId}>
      <h2>{props.title}</h2>
      {props.answers.length === 0 ? (
        <p className="hint">{props.empty}</p>
      ) : (
        <ul className="comment-list">
          {props.answers.map((a) => (
            <li key={a.id}>
              <Badge tone={TONE[a.category]}>{a.score}</Badge>
              <div>
                <p className="comment-text">{a.comment ?? t('responses.noComment')}</p>
                <p className="hint">
                  {a.contact ? (
                    <Link to={`/contacts/${a.contact.id}`}>
                      {a.contact.name ?? t('responses.anonymous')}
                    </Link>
                  ) : (
                    t('responses.anonymous')
                  )}{' '}
                  · {fmt.date(a.answeredAt)}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The account managers a manager sees, each with raw and shrunk NPS and a link to their page. */
export function TeamResultsScreen() {
  const t = useT();
  const fmt = useFormat();
  const [days, setDays] = useState<number>(90);
  const query = periodQuery(days);
  const data = useLoad(
    () => api<TeamInsightJson>('GET', '/results/team', { query }),
    [JSON.stringify(query)],
  );
  const e = data.error;
  if (e instanceof ApiError && e.status === 403) {
    return e.code === 'employee_nps_disabled' ? (
      <EmptyState title={t('employeeHome.disabled')} text={t('employeeHome.disabledText')} />
    ) : (
      <Forbidden />
    );
  }
  const d = data.data;
  return (
    <>
      <PageHeader
        title={d?.team ? t('teamResults.titleOf', { team: d.team }) : t('teamResults.title')}
        intro={t('teamResults.intro')}
      />
      <div className="filters filters-compact" role="search">
        <SelectField
          label={t('insight.period')}
          value={String(days)}
          onChange={(ev) => setDays(Number(ev.target.value))}
          options={PERIODS.map((n) => ({
            value: String(n),
            label: t('insight.lastDays', { days: n }),
          }))}
        />
      </div>
      <ErrorMessage error={e} />
      {!d ? <Loading /> : null}
      {d && d.members.length === 0 ? (
        <EmptyState title={t('insight.emptyPeriod')} text={t('results.emptyText')} />
      ) : null}
      {d && d.members.length > 0 ? (
        <section className="card">
          <p className="hint">{t('breakdown.tableIntro', { min: d.minimumN })}</p>
          <div className="table-wrap">
            <table className="table" data-testid="team-table">
              <thead>
                <tr>
                  <th scope="col">{t('breakdown.dim.employee')}</th>
                  <th scope="col" className="num">
                    {t('breakdown.n')}
                  </th>
                  <th scope="col">{t('breakdown.estimate')}</th>
                  <th scope="col">{t('breakdown.raw')}</th>
                </tr>
              </thead>
              <tbody>
                {d.members.map((m) => (
                  <tr key={m.employeeId}>
                    <th scope="row">
                      <Link to={`/employees/${m.employeeId}/results`}>{m.name}</Link>
                    </th>
                    <td className="num">{fmt.number(m.n)}</td>
                    <td>
                      {m.shrunk
                        ? `${signed(m.shrunk.estimate)} (${signed(m.shrunk.low)} … ${signed(m.shrunk.high)})`
                        : '—'}
                    </td>
                    <td className="muted">
                      {m.belowMinimum
                        ? t('breakdown.tooFew', { min: d.minimumN })
                        : m.nps !== null && m.interval
                          ? `${signed(m.nps)} (${signed(m.interval.low)} … ${signed(m.interval.high)})`
                          : '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </>
  );
}
