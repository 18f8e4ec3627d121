import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import type { Reward, RewardLedger } from '../api/types.ts';
import { useFormat, useT, type MessageKey } from '../i18n/i18n.tsx';
import { Link } from '../lib/router.tsx';
import { useLoad } from '../lib/use-load.hook.ts';
import {
  Badge,
  Button,
  EmptyState,
  ErrorMessage,
  Loading,
  PageHeader,
  SelectField,
} from '../components/ui.component.tsx';

type Fmt = ReturnType<typeof useFormat>;

/** Money in cents as a reader expects it: € 35 or € 12,50. */
export const euro = (fmt: Fmt, cents: number): string =>
  `€ ${cents % 100 === 0 ? fmt.number(cents / 100) : (cents / 100).toFixed(2).replace('.', ',')}`;

const TONE = {
  pending: 'blue',
  review: 'amber',
  issued: 'green',
  redeemed: 'grey',
  expired: 'grey',
  voided: 'red',
} as const;

export const REWARD_STATUSES = [
  'pending',
  'review',
  'issued',
  'redeemed',
  'expired',
  'voided',
] as const;

export function RewardStatusBadge(props: { status: Reward['status'] }) {
  const t = useT();
  return (
    <Badge tone={TONE[props.status]}>{t(`amb.rewardStatus.${props.status}` as MessageKey)}</Badge>
  );
}

/**
 * The rewards ledger: every reward pending, in review, issued, redeemed, expired or voided, with
 * count and cost per status, and vouchers to print for the ambassador or the friend.
 */
export function RewardsScreen() {
  const t = useT();
  const fmt = useFormat();
  const [status, setStatus] = useState('');
  const [printing, setPrinting] = useState<Reward[] | null>(null);
  const ledger = useLoad(
    () => api<RewardLedger>('GET', '/rewards', { query: { status, limit: 500 } }),
    [status],
  );
  const l = ledger.data;
  const printable = l?.items.filter((r) => r.status === 'issued') ?? [];
  return (
    <>
      <PageHeader
        title={t('amb.rewards.title')}
        intro={t('amb.rewards.intro')}
        actions={
          printable.length > 0 ? (
            <Button onClick={() => setPrinting(printable)}>
              {t('amb.rewards.printAll', { count: printable.length })}
            </Button>
          ) : undefined
        }
      />
      <ErrorMessage error={ledger.error} />
      {!l ? (
        <Loading />
      ) : (
        <>
          <div className="tiles" data-testid="reward-totals">
            {REWARD_STATUSES.map((s) => {
              const total = l.totals.find((x) => x.status === s);
              return (
                <div className="card" key={s}>
                  <h2 className="tile-title">{t(`amb.rewardStatus.${s}` as MessageKey)}</h2>
                  <p className="tile-number">{fmt.number(total?.count ?? 0)}</p>
                  <p className="hint">
                    {t('amb.rewards.cost', { amount: euro(fmt, total?.costCents ?? 0) })}
                  </p>
                </div>
              );
            })}
          </div>
          <section className="card" aria-labelledby="ledger">
            <h2 id="ledger">{t('amb.rewards.list')}</h2>
            <div className="filters">
              <SelectField
                label={t('amb.rewards.status')}
                value={status}
                onChange={(e) => setStatus(e.target.value)}
                options={[
                  { value: '', label: t('common.all') },
                  ...REWARD_STATUSES.map((s) => ({
                    value: s,
                    label: t(`amb.rewardStatus.${s}` as MessageKey),
                  })),
                ]}
              />
            </div>
            {l.items.length === 0 ? (
              <EmptyState title={t('amb.rewards.empty')} text={t('amb.rewards.emptyText')} />
            ) : (
              <div className="table-wrap">
                <table className="table" data-testid="reward-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('amb.rewards.reward')}</th>
                      <th scope="col">{t('amb.rewards.for')}</th>
                      <th scope="col">{t('amb.rewards.status')}</th>
                      <th scope="col" className="num">
                        {t('amb.rewards.costColumn')}
                      </th>
                      <th scope="col">{t('amb.rewards.dates')}</th>
                      <th scope="col">
                        <span className="sr-only">{t('common.actions')}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {l.items.map((r) => (
                      <tr key={r.id}>
                        <td>
                          {r.description}
                          <div className="hint">
                            <code>{r.code}</code>
                          </div>
                        </td>
                        <td>
                          <Holder reward={r} />
                        </td>
                        <td>
                          <RewardStatusBadge status={r.status} />
                        </td>
                        <td className="num">{euro(fmt, r.costCents)}</td>
                        <td className="hint">
                          <RewardDates reward={r} />
                        </td>
                        <td>
                          {r.status === 'issued' ? (
                            <Button variant="link" onClick={() => setPrinting([r])}>
                              {t('amb.rewards.print')}
                            </Button>
                          ) : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      )}
      {printing ? <VoucherSheet rewards={printing} onDone={() => setPrinting(null)} /> : null}
    </>
  );
}

function Holder(props: { reward: Reward }) {
  const t = useT();
  const r = props.reward;
  return (
    <>
      {r.recipient === 'friend' ? (
        (r.friendName ?? '—')
      ) : (
        <Link to={`/ambassadors/${r.ambassadorId}`}>{r.ambassadorName ?? '—'}</Link>
      )}
      <div className="hint">
        {t(`amb.recipient.${r.recipient}` as MessageKey)}
        {r.recipient === 'ambassador' && r.friendName
          ? ` · ${t('amb.rewards.forFriend', { name: r.friendName })}`
          : ''}
      </div>
    </>
  );
}

function RewardDates(props: { reward: Reward }) {
  const t = useT();
  const fmt = useFormat();
  const r = props.reward;
  if (r.status === 'pending')
    return <>{t('amb.rewards.holdUntil', { date: fmt.date(r.holdUntil) })}</>;
  if (r.status === 'issued')
    return (
      <>{r.validUntil ? t('amb.rewards.validUntil', { date: fmt.date(r.validUntil) }) : null}</>
    );
  if (r.status === 'redeemed')
    return <>{t('amb.rewards.redeemedAt', { date: fmt.date(r.redeemedAt) })}</>;
  if (r.status === 'voided')
    return (
      <>
        {t('amb.rewards.voidedAt', { date: fmt.date(r.voidedAt) })}
        {r.reviewNote ? ` · “${r.reviewNote}”` : ''}
      </>
    );
  if (r.status === 'expired')
    return <>{t('amb.rewards.expiredAt', { date: fmt.date(r.validUntil) })}</>;
  return null;
}

/** Printable vouchers: description, for whom, code, QR of the voucher page, valid until. */
function VoucherSheet(props: { rewards: Reward[]; onDone: () => void }) {
  const t = useT();
  const fmt = useFormat();
  const [qr, setQr] = useState<Record<string, string>>({});
  useEffect(() => {
    let live = true;
    void Promise.all(
      props.rewards.map(async (r): Promise<[string, string]> => [
        r.id,
        await QRCode.toString(r.voucherUrl, { type: 'svg', margin: 1 }),
      ]),
    ).then((pairs) => {
      if (live) setQr(Object.fromEntries(pairs));
    });
    return () => {
      live = false;
    };
  }, [props.rewards]);
  const ready = Object.keys(qr).length === props.rewards.length;
  return (
    <section className="card voucher-sheet" aria-labelledby="voucher-sheet">
      <div className="form-actions no-print">
        <h2 id="voucher-sheet">{t('amb.rewards.sheet')}</h2>
        <Button variant="primary" disabled={!ready} onClick={() => window.print()}>
          {t('amb.rewards.printNow')}
        </Button>
        <Button onClick={props.onDone}>{t('common.cancel')}</Button>
      </div>
      {props.rewards.map((r) => (
        <article className="voucher" key={r.id} data-testid="voucher">
          <p className="voucher-title">{r.description}</p>
          <p>
            {t('amb.rewards.voucherFor', {
              name: (r.recipient === 'friend' ? r.friendName : r.ambassadorName) ?? '—',
            })}
          </p>
          <p className="voucher-code">
            <code>{r.code}</code>
          </p>
          {qr[r.id] ? (
            <div
              className="voucher-qr"
              role="img"
              aria-label={t('amb.rewards.qr')}
              dangerouslySetInnerHTML={{ __html: qr[r.id] ?? '' }}
            />
          ) : null}
          {r.validUntil ? (
            <p className="hint">{t('amb.rewards.validUntil', { date: fmt.date(r.validUntil) })}</p>
          ) : null}
        </article>
      ))}
    </section>
  );
}
