import { api } from '../api/client.ts';
import type { OrganisationsOverview } from '../api/types.ts';
import { useFormat, useT } from '../i18n/i18n.tsx';
import { useLoad } from '../lib/use-load.hook.ts';
import { signed } from '../components/charts.component.tsx';
import { EmptyState, ErrorMessage, Loading, PageHeader } from '../components/ui.component.tsx';

/**
 * For a person who owns several organisations: each one's NPS over the last 90 days with its
 * interval and the number of answers, side by side. Each figure comes from that organisation's
 * own scoped read on the server; organisations where the person is not owner are not listed.
 */
export function OrganisationsOverviewScreen() {
  const t = useT();
  const fmt = useFormat();
  const overview = useLoad(() => api<OrganisationsOverview>('GET', '/results/organisations'), []);
  if (overview.loading && !overview.data) return <Loading />;
  if (overview.error) return <ErrorMessage error={overview.error} />;
  const data = overview.data;
  return (
    <>
      <PageHeader
        title={t('org.overviewTitle')}
        intro={
          data?.period
            ? t('org.overviewIntro', {
                from: fmt.date(data.period.from),
                to: fmt.date(lastDay(data.period.to)),
              })
            : undefined
        }
      />
      {!data || data.items.length === 0 ? (
        <EmptyState title={t('org.overviewEmpty')} text={t('org.overviewEmptyText')} />
      ) : (
        <div className="table-wrap">
          <table className="table org-overview">
            <thead>
              <tr>
                <th scope="col">{t('org.organisation')}</th>
                <th scope="col">NPS</th>
                <th scope="col">{t('results.intervalShort')}</th>
                <th scope="col">{t('org.answers')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((item) => (
                <tr key={item.organisation.id}>
                  <th scope="row">
                    {item.organisation.name}
                    {item.active ? <span className="muted"> · {t('org.active')}</span> : null}
                  </th>
                  <td className="num">{item.nps.nps === null ? '—' : signed(item.nps.nps)}</td>
                  <td className="num">
                    {item.nps.interval
                      ? t('org.interval', {
                          low: signed(item.nps.interval.low),
                          high: signed(item.nps.interval.high),
                        })
                      : '—'}
                  </td>
                  <td className="num">{fmt.number(item.nps.total)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** The period's end is exclusive (midnight after the last day): show the last day itself. */
function lastDay(iso: string): string {
  return new Date(Date.parse(iso) - 1).toISOString();
}
