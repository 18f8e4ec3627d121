import { useState, type FormEvent } from 'react';
import { api } from '../api/client.ts';
import type { Programme, ProgrammeDashboard } from '../api/types.ts';
import { useFormat, useT, type MessageKey } from '../i18n/i18n.tsx';
import { Link } from '../lib/router.tsx';
import { useCan, useSession } from '../lib/session.tsx';
import { useLoad } from '../lib/use-load.hook.ts';
import { useEuroInput } from '../lib/euro-input.hook.ts';
import { CopyButton } from '../components/confirm-dialog.component.tsx';
import {
  Button,
  ErrorMessage,
  Loading,
  Notice,
  PageHeader,
  SelectField,
  TextAreaField,
  TextField,
  fieldError,
} from '../components/ui.component.tsx';
import { euro } from './rewards.screen.tsx';

type Settings = Programme['settings'];
type RewardDef = Settings['ambassadorReward'];

/** A reward as the form edits it: money in euros and validity as text, parsed on save. */
interface RewardForm {
  kind: RewardDef['kind'];
  description: string;
  cost: string;
  validMonths: string;
}

const toForm = (r: RewardDef): RewardForm => ({
  kind: r.kind,
  description: r.description,
  cost: String(r.costCents / 100).replace('.', ','),
  validMonths: r.validMonths === null ? '' : String(r.validMonths),
});

const fromForm = (r: RewardForm, costCents: number): RewardDef => ({
  kind: r.kind,
  description: r.description,
  costCents,
  validMonths: r.validMonths.trim() === '' ? null : Number(r.validMonths),
});

const BLANK: RewardForm = { kind: 'gift', description: '', cost: '0', validMonths: '12' };

/**
 * The programme in the organisation's words: the offer, what the ambassador (and, double-sided,
 * the friend) receives, milestones, the hold period and the fraud settings; the counter's link.
 */
export function ProgrammeSettingsScreen() {
  const t = useT();
  const can = useCan();
  const manage = can('organisation:manage');
  const programme = useLoad(() => api<Programme>('GET', '/referral-programme'), []);
  const [enabled, setEnabled] = useState(false);
  const [offer, setOffer] = useState('');
  const [friendOffer, setFriendOffer] = useState('');
  const [amb, setAmb] = useState<RewardForm>(BLANK);
  const [doubleSided, setDoubleSided] = useState(false);
  const [friend, setFriend] = useState<RewardForm>(BLANK);
  const [milestones, setMilestones] = useState<{ friends: string; reward: RewardForm }[]>([]);
  const [holdDays, setHoldDays] = useState('14');
  const [fraud, setFraud] = useState({ window: '90', burst: '5', hours: '24' });
  const [newCounterLink, setNewCounterLink] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [costErrors, setCostErrors] = useState<Record<string, string>>({});
  const euros = useEuroInput();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const p = programme.data;

  // The form takes the loaded (or just saved) programme during the render that brings it, not in
  // an effect after it: the screen never shows, even for one frame, defaults that are not stored.
  const [shown, setShown] = useState<Programme | null>(null);
  if (p && p !== shown) {
    setShown(p);
    const s = p.settings;
    setEnabled(p.enabled);
    setOffer(s.offer);
    setFriendOffer(s.friendOffer ?? '');
    setAmb(toForm(s.ambassadorReward));
    setDoubleSided(s.friendReward !== null);
    setFriend(s.friendReward ? toForm(s.friendReward) : BLANK);
    setMilestones(
      s.milestones.map((m) => ({ friends: String(m.friends), reward: toForm(m.reward) })),
    );
    setHoldDays(String(s.holdDays));
    setFraud({
      window: String(s.attributionWindowDays),
      burst: String(s.burstMaxReferrals),
      hours: String(s.burstWindowHours),
    });
  }

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSaved(false);
    // What each reward costs, as typed ("1.250" is twelve hundred and fifty euros in Dutch); an
    // amount that is none is said next to its field and nothing is sent.
    const costs = new Map<string, number>();
    const wrong: Record<string, string> = {};
    const cost = (path: string, reward: RewardForm) => {
      const typed = euros(reward.cost.trim() === '' ? '0' : reward.cost);
      if (typed.ok) costs.set(path, typed.cents);
      else wrong[path] = typed.error;
    };
    cost('settings.ambassadorReward', amb);
    if (doubleSided) cost('settings.friendReward', friend);
    milestones.forEach((m, i) => cost(`settings.milestones.${i}.reward`, m.reward));
    setCostErrors(wrong);
    if (Object.keys(wrong).length > 0) return;
    const costOf = (path: string) => costs.get(path) ?? 0;
    setBusy(true);
    try {
      const settings: Settings = {
        offer,
        friendOffer: friendOffer.trim() === '' ? null : friendOffer,
        ambassadorReward: fromForm(amb, costOf('settings.ambassadorReward')),
        friendReward: doubleSided ? fromForm(friend, costOf('settings.friendReward')) : null,
        milestones: milestones.map((m, i) => ({
          friends: Number(m.friends),
          reward: fromForm(m.reward, costOf(`settings.milestones.${i}.reward`)),
        })),
        holdDays: Number(holdDays),
        attributionWindowDays: Number(fraud.window),
        burstMaxReferrals: Number(fraud.burst),
        burstWindowHours: Number(fraud.hours),
      };
      const res = await api<Programme>('PUT', '/referral-programme', {
        body: { enabled, settings, newCounterLink },
      });
      programme.setData(res);
      setNewCounterLink(false);
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (programme.error) return <ErrorMessage error={programme.error} />;
  if (!p) return <Loading />;
  return (
    <>
      <PageHeader
        title={t('amb.programme.title')}
        intro={t('amb.programme.intro')}
        actions={<Link to="/referral-programme/dashboard">{t('amb.dashboard.title')}</Link>}
      />
      <form className="card stack" onSubmit={save} noValidate>
        <ErrorMessage error={error} shownFields={shownFields(error)} />
        {saved ? <Notice tone="success">{t('common.saved')}</Notice> : null}
        {!manage ? <Notice>{t('amb.programme.readOnly')}</Notice> : null}
        <fieldset className="plain stack" disabled={!manage}>
          <div className="checkbox">
            <input
              type="checkbox"
              id="programme-enabled"
              checked={enabled}
              onChange={(e) => setEnabled(e.target.checked)}
            />
            <label htmlFor="programme-enabled">{t('amb.programme.enabled')}</label>
          </div>
          <TextAreaField
            label={t('amb.programme.offer')}
            hint={t('amb.programme.offerHint')}
            value={offer}
            onChange={(e) => setOffer(e.target.value)}
            error={fieldError(error, 'settings.offer')}
            rows={2}
          />
          <RewardFields
            legend={t('amb.programme.ambassadorReward')}
            value={amb}
            onChange={setAmb}
            idPrefix="amb"
            path="settings.ambassadorReward"
            error={error}
            costError={costErrors['settings.ambassadorReward']}
          />
          <div className="checkbox">
            <input
              type="checkbox"
              id="programme-double"
              checked={doubleSided}
              onChange={(e) => setDoubleSided(e.target.checked)}
            />
            <label htmlFor="programme-double">{t('amb.programme.doubleSided')}</label>
          </div>
          <TextAreaField
            label={t('amb.programme.friendOffer')}
            hint={t('amb.programme.friendOfferHint')}
            value={friendOffer}
            onChange={(e) => setFriendOffer(e.target.value)}
            rows={2}
          />
          {doubleSided ? (
            <RewardFields
              legend={t('amb.programme.friendReward')}
              value={friend}
              onChange={setFriend}
              idPrefix="friend"
              path="settings.friendReward"
              error={error}
              costError={costErrors['settings.friendReward']}
            />
          ) : null}
          <fieldset className="plain stack">
            <legend className="field-legend">{t('amb.programme.milestones')}</legend>
            <p className="hint">{t('amb.programme.milestonesHint')}</p>
            {milestones.map((m, i) => (
              <div key={i} className="milestone stack">
                <TextField
                  label={t('amb.programme.milestoneFriends')}
                  type="number"
                  min={2}
                  value={m.friends}
                  onChange={(e) =>
                    setMilestones(
                      milestones.map((x, j) => (j === i ? { ...x, friends: e.target.value } : x)),
                    )
                  }
                  error={fieldError(error, `settings.milestones.${i}.friends`)}
                />
                <RewardFields
                  legend={t('amb.programme.milestoneReward', { friends: m.friends })}
                  value={m.reward}
                  onChange={(reward) =>
                    setMilestones(milestones.map((x, j) => (j === i ? { ...x, reward } : x)))
                  }
                  idPrefix={`milestone-${i}`}
                  path={`settings.milestones.${i}.reward`}
                  error={error}
                  costError={costErrors[`settings.milestones.${i}.reward`]}
                />
                <Button
                  variant="link"
                  onClick={() => {
                    setMilestones(milestones.filter((_, j) => j !== i));
                    // The errors are by position: the next save says them again where they are.
                    setCostErrors({});
                  }}
                >
                  {t('amb.programme.removeMilestone')}
                </Button>
              </div>
            ))}
            {milestones.length < 5 ? (
              <div>
                <Button
                  onClick={() =>
                    setMilestones([...milestones, { friends: '3', reward: { ...BLANK } }])
                  }
                >
                  {t('amb.programme.addMilestone')}
                </Button>
              </div>
            ) : null}
          </fieldset>
          <div className="grid-2">
            <TextField
              label={t('amb.programme.holdDays')}
              hint={t('amb.programme.holdDaysHint')}
              type="number"
              min={0}
              max={90}
              value={holdDays}
              onChange={(e) => setHoldDays(e.target.value)}
              error={fieldError(error, 'settings.holdDays')}
            />
            <TextField
              label={t('amb.programme.window')}
              hint={t('amb.programme.windowHint')}
              type="number"
              min={1}
              value={fraud.window}
              onChange={(e) => setFraud({ ...fraud, window: e.target.value })}
              error={fieldError(error, 'settings.attributionWindowDays')}
            />
            <TextField
              label={t('amb.programme.burst')}
              type="number"
              min={1}
              value={fraud.burst}
              onChange={(e) => setFraud({ ...fraud, burst: e.target.value })}
              error={fieldError(error, 'settings.burstMaxReferrals')}
            />
            <TextField
              label={t('amb.programme.burstHours')}
              type="number"
              min={1}
              value={fraud.hours}
              onChange={(e) => setFraud({ ...fraud, hours: e.target.value })}
              error={fieldError(error, 'settings.burstWindowHours')}
            />
          </div>
          {p.counterUrl ? (
            <div className="field">
              <p className="field-legend">{t('amb.programme.counter')}</p>
              <p className="hint">{t('amb.programme.counterHint')}</p>
              <p className="break">
                <a href={p.counterUrl} target="_blank" rel="noreferrer">
                  {p.counterUrl}
                </a>{' '}
                <CopyButton text={p.counterUrl} />
              </p>
              <div className="checkbox">
                <input
                  type="checkbox"
                  id="programme-new-counter"
                  checked={newCounterLink}
                  onChange={(e) => setNewCounterLink(e.target.checked)}
                />
                <label htmlFor="programme-new-counter">{t('amb.programme.newCounter')}</label>
              </div>
            </div>
          ) : null}
        </fieldset>
        {manage ? (
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={busy}>
              {t('common.save')}
            </Button>
          </div>
        ) : null}
      </form>
    </>
  );
}

/**
 * The fields the form shows their own errors next to (every field of the programme, the rewards'
 * by their path): the list at the top repeats none of them.
 */
function shownFields(error: unknown): string[] {
  const rewards = ['settings.ambassadorReward', 'settings.friendReward'];
  for (let i = 0; i < 5; i++) rewards.push(`settings.milestones.${i}.reward`);
  return [
    'settings.offer',
    'settings.holdDays',
    'settings.friendOffer',
    'settings.attributionWindowDays',
    'settings.burstMaxReferrals',
    'settings.burstWindowHours',
    ...Array.from({ length: 5 }, (_, i) => `settings.milestones.${i}.friends`),
    ...rewards.flatMap((r) => REWARD_FIELDS.map((f) => `${r}.${f}`)),
  ].filter((field) => fieldError(error, field) !== null);
}

const REWARD_FIELDS = ['kind', 'description', 'costCents', 'validMonths'] as const;

function RewardFields(props: {
  legend: string;
  value: RewardForm;
  onChange: (v: RewardForm) => void;
  idPrefix: string;
  /** The reward's place in the settings (`settings.ambassadorReward`), for its fields' errors. */
  path: string;
  error: unknown;
  /** The typed cost that is no amount, said in the person's language. */
  costError: string | undefined;
}) {
  const t = useT();
  const v = props.value;
  const errorOf = (field: (typeof REWARD_FIELDS)[number]) =>
    fieldError(props.error, `${props.path}.${field}`);
  const set = (patch: Partial<RewardForm>) => props.onChange({ ...v, ...patch });
  return (
    <fieldset className="plain stack" data-testid={`reward-${props.idPrefix}`}>
      <legend className="field-legend">{props.legend}</legend>
      <div className="grid-2">
        <SelectField
          label={t('amb.programme.kind')}
          value={v.kind}
          onChange={(e) => set({ kind: e.target.value as RewardForm['kind'] })}
          error={errorOf('kind')}
          options={(['voucher', 'discount', 'gift'] as const).map((k) => ({
            value: k,
            label: t(`amb.kind.${k}` as MessageKey),
          }))}
        />
        <TextField
          label={t('amb.programme.description')}
          hint={t('amb.programme.descriptionHint')}
          value={v.description}
          onChange={(e) => set({ description: e.target.value })}
          error={errorOf('description')}
        />
        <TextField
          label={t('amb.programme.cost')}
          hint={t('amb.programme.costHint')}
          inputMode="decimal"
          value={v.cost}
          onChange={(e) => set({ cost: e.target.value })}
          error={props.costError ?? errorOf('costCents')}
        />
        <TextField
          label={t('amb.programme.validMonths')}
          hint={t('amb.programme.validMonthsHint')}
          type="number"
          min={1}
          max={60}
          value={v.validMonths}
          onChange={(e) => set({ validMonths: e.target.value })}
          error={errorOf('validMonths')}
        />
      </div>
    </fieldset>
  );
}

/**
 * The programme in figures: ambassadors, share-page visits, leads, conversions and rate, reward
 * cost and revenue from referred friends; per ambassador and per account manager; the pool over
 * time against the promoters.
 */
export function ProgrammeDashboardScreen() {
  const t = useT();
  const fmt = useFormat();
  const { me } = useSession();
  const [days, setDays] = useState('365');
  const dash = useLoad(
    () => api<ProgrammeDashboard>('GET', '/referral-programme/dashboard', { query: { days } }),
    [days],
  );
  const d = dash.data;
  const pct = (x: number | null) => (x === null ? '—' : fmt.percent(x, 1));
  const tiles: { key: MessageKey; value: string }[] = d
    ? [
        { key: 'amb.dashboard.ambassadors', value: fmt.number(d.ambassadors) },
        { key: 'amb.dashboard.visits', value: fmt.number(d.shareVisits) },
        // Sign-ups through the friend page per visit, both since joining, as the label says.
        { key: 'amb.dashboard.visitRate', value: pct(d.rates.visitToLead) },
        { key: 'amb.dashboard.leads', value: fmt.number(d.leads) },
        { key: 'amb.dashboard.conversions', value: fmt.number(d.conversions) },
        { key: 'amb.dashboard.rate', value: pct(d.rates.leadToConversion) },
        { key: 'amb.dashboard.revenue', value: euro(fmt, d.revenueCents) },
        { key: 'amb.dashboard.cost', value: euro(fmt, d.rewardCostCents) },
        { key: 'amb.dashboard.poolShare', value: pct(d.poolShare) },
      ]
    : [];
  const maxPool = d ? Math.max(1, ...d.pool.flatMap((m) => [m.ambassadors, m.promoters])) : 1;
  const othersHint = t('amb.dashboard.othersHint', {
    named: fmt.number(d?.perAmbassador.length ?? 0),
  });
  return (
    <>
      <PageHeader
        title={t('amb.dashboard.title')}
        // An account manager's figures are those of their own customers (the API scopes them).
        intro={t(me.role === 'account_manager' ? 'amb.dashboard.introOwn' : 'amb.dashboard.intro')}
        actions={<Link to="/referral-programme">{t('amb.programme.title')}</Link>}
      />
      <div className="filters">
        <SelectField
          label={t('amb.dashboard.period')}
          value={days}
          onChange={(e) => setDays(e.target.value)}
          options={[
            { value: '30', label: t('amb.dashboard.days30') },
            { value: '90', label: t('amb.dashboard.days90') },
            { value: '365', label: t('amb.dashboard.days365') },
          ]}
        />
      </div>
      <ErrorMessage error={dash.error} />
      {!d ? (
        <Loading />
      ) : (
        <>
          <div className="tiles" data-testid="programme-tiles">
            {tiles.map((x) => (
              <div className="card" key={x.key}>
                <h2 className="tile-title">{t(x.key)}</h2>
                <p className="tile-number">{x.value}</p>
              </div>
            ))}
          </div>
          <section className="card" aria-labelledby="pool">
            <h2 id="pool">{t('amb.dashboard.pool')}</h2>
            <p className="hint">{t('amb.dashboard.poolHint')}</p>
            <div className="table-wrap">
              <table className="table" data-testid="pool-table">
                <thead>
                  <tr>
                    <th scope="col">{t('amb.dashboard.month')}</th>
                    <th scope="col">{t('amb.dashboard.ambassadors')}</th>
                    <th scope="col">{t('amb.dashboard.promoters')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.pool.map((m) => (
                    <tr key={m.month}>
                      <td>
                        <time dateTime={m.month}>{fmt.month(m.month)}</time>
                      </td>
                      <td>
                        <MiniBar value={m.ambassadors} max={maxPool} tone="amb" />
                      </td>
                      <td>
                        <MiniBar value={m.promoters} max={maxPool} tone="promoter" />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <section className="card" aria-labelledby="per-ambassador">
            <h2 id="per-ambassador">{t('amb.dashboard.perAmbassador')}</h2>
            {d.perAmbassador.length === 0 && !d.removedAmbassadors ? (
              <p className="hint">{t('amb.dashboard.noneYet')}</p>
            ) : (
              <div className="table-wrap">
                <table className="table" data-testid="per-ambassador">
                  <thead>
                    <tr>
                      <th scope="col">{t('amb.name')}</th>
                      <th scope="col" className="num">
                        {t('amb.dashboard.visits')}
                      </th>
                      <th scope="col" className="num">
                        {t('amb.dashboard.leads')}
                      </th>
                      <th scope="col" className="num">
                        {t('amb.dashboard.conversions')}
                      </th>
                      <th scope="col" className="num">
                        {t('amb.dashboard.revenue')}
                      </th>
                      <th scope="col" className="num">
                        {t('amb.dashboard.cost')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.perAmbassador.map((a) => (
                      <tr key={a.ambassadorId}>
                        <td>
                          <Link to={`/ambassadors/${a.ambassadorId}`}>{a.name ?? '—'}</Link>
                        </td>
                        <td className="num">{fmt.number(a.shareVisits)}</td>
                        <td className="num">{fmt.number(a.leads)}</td>
                        <td className="num">{fmt.number(a.conversions)}</td>
                        <td className="num">{euro(fmt, a.revenueCents)}</td>
                        <td className="num">{euro(fmt, a.rewardCostCents)}</td>
                      </tr>
                    ))}
                    {d.otherAmbassadors && (
                      // The ambassadors beyond the named ones, summed: the columns add up.
                      <tr data-testid="other-ambassadors" title={othersHint}>
                        <td>
                          {t('amb.dashboard.others', {
                            count: fmt.number(d.otherAmbassadors.ambassadors),
                          })}
                        </td>
                        <td className="num">{fmt.number(d.otherAmbassadors.shareVisits)}</td>
                        <td className="num">{fmt.number(d.otherAmbassadors.leads)}</td>
                        <td className="num">{fmt.number(d.otherAmbassadors.conversions)}</td>
                        <td className="num">{euro(fmt, d.otherAmbassadors.revenueCents)}</td>
                        <td className="num">{euro(fmt, d.otherAmbassadors.rewardCostCents)}</td>
                      </tr>
                    )}
                    {d.removedAmbassadors && (
                      // Their leads count in the tiles, so the column adds up to them.
                      <tr data-testid="removed-ambassadors" title={t('amb.dashboard.removedHint')}>
                        <td>
                          {t('amb.dashboard.removed', {
                            count: fmt.number(d.removedAmbassadors.ambassadors),
                          })}
                        </td>
                        <td className="num">—</td>
                        <td className="num">{fmt.number(d.removedAmbassadors.leads)}</td>
                        <td className="num">{fmt.number(d.removedAmbassadors.conversions)}</td>
                        <td className="num">{euro(fmt, d.removedAmbassadors.revenueCents)}</td>
                        <td className="num">{euro(fmt, d.removedAmbassadors.rewardCostCents)}</td>
                      </tr>
                    )}
                  </tbody>
                </table>
              </div>
            )}
            {d.otherAmbassadors && <p className="hint">{othersHint}</p>}
            {d.removedAmbassadors && <p className="hint">{t('amb.dashboard.removedHint')}</p>}
          </section>
          <section className="card" aria-labelledby="per-owner">
            <h2 id="per-owner">{t('amb.dashboard.perOwner')}</h2>
            {d.perOwner.length === 0 ? (
              <p className="hint">{t('amb.dashboard.noneYet')}</p>
            ) : (
              <div className="table-wrap">
                <table className="table" data-testid="per-owner">
                  <thead>
                    <tr>
                      <th scope="col">{t('amb.register.owner')}</th>
                      <th scope="col" className="num">
                        {t('amb.dashboard.leads')}
                      </th>
                      <th scope="col" className="num">
                        {t('amb.dashboard.conversions')}
                      </th>
                      <th scope="col" className="num">
                        {t('amb.dashboard.revenue')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.perOwner.map((o) => (
                      <tr key={o.ownerEmployeeId ?? 'none'}>
                        <td>{o.ownerName ?? t('amb.dashboard.noOwner')}</td>
                        <td className="num">{fmt.number(o.leads)}</td>
                        <td className="num">{fmt.number(o.conversions)}</td>
                        <td className="num">{euro(fmt, o.revenueCents)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      )}
    </>
  );
}

function MiniBar(props: { value: number; max: number; tone: 'amb' | 'promoter' }) {
  return (
    <span className="mini-bar">
      <span
        className={`mini-bar-fill mini-bar-${props.tone}`}
        style={{ width: `${Math.round((props.value / props.max) * 100)}%` }}
      />
      <span className="mini-bar-value">{props.value}</span>
    </span>
  );
}
