import { useState, type FormEvent } from 'react';
import { api } from '../api/client.ts';
import type { Referral, RewardLedger, Reward } from '../api/types.ts';
import { useFormat, useT, type MessageKey } from '../i18n/i18n.tsx';
import { Link } from '../lib/router.tsx';
import { useCan } from '../lib/session.tsx';
import { useLoad } from '../lib/use-load.hook.ts';
import { useEuroInput } from '../lib/euro-input.hook.ts';
import {
  Badge,
  Button,
  EmptyState,
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

const LEAD_TONE = { lead: 'blue', contacted: 'amber', converted: 'green', lost: 'grey' } as const;
const VERDICT_TONE = { eligible: 'green', review: 'amber', ineligible: 'red' } as const;

/**
 * Friends who left their details (leads): contact them, record their first paid visit, and the
 * review queue of suspicious conversions — each finding in words, approve or reject with a reason.
 */
export function ReferralsScreen() {
  const t = useT();
  const can = useCan();
  const [status, setStatus] = useState('');
  const leads = useLoad(
    () => api<{ items: Referral[] }>('GET', '/referrals', { query: { status, limit: 500 } }),
    [status],
  );
  const queue = useLoad(
    () => api<RewardLedger>('GET', '/rewards', { query: { status: 'review', limit: 200 } }),
    [],
  );
  const write = can('ambassadors:write');
  const reload = () => {
    leads.reload();
    queue.reload();
  };
  return (
    <>
      <PageHeader title={t('amb.leads.title')} intro={t('amb.leads.intro')} />
      <section className="card" aria-labelledby="review-queue">
        <h2 id="review-queue">{t('amb.review.title')}</h2>
        <p className="hint">{t('amb.review.intro')}</p>
        <ErrorMessage error={queue.error} />
        {!queue.data ? (
          <Loading />
        ) : queue.data.items.length === 0 ? (
          <p data-testid="review-empty">{t('amb.review.empty')}</p>
        ) : (
          <ul className="plain-list review-list" data-testid="review-queue">
            {queue.data.items.map((r) => (
              <ReviewItem key={r.id} reward={r} write={write} onDone={reload} />
            ))}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="leads-list">
        <h2 id="leads-list">{t('amb.leads.list')}</h2>
        <div className="filters">
          <SelectField
            label={t('amb.leads.status')}
            value={status}
            onChange={(e) => setStatus(e.target.value)}
            options={[
              { value: '', label: t('common.all') },
              ...(['lead', 'contacted', 'converted', 'lost'] as const).map((s) => ({
                value: s,
                label: t(`amb.leadStatus.${s}` as MessageKey),
              })),
            ]}
          />
        </div>
        <ErrorMessage error={leads.error} />
        {!leads.data ? (
          <Loading />
        ) : leads.data.items.length === 0 ? (
          <EmptyState title={t('amb.leads.empty')} text={t('amb.leads.emptyText')} />
        ) : (
          <ul className="plain-list lead-list" data-testid="lead-list">
            {leads.data.items.map((r) => (
              <LeadItem key={r.id} referral={r} write={write} onDone={reload} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function LeadItem(props: { referral: Referral; write: boolean; onDone: () => void }) {
  const t = useT();
  const fmt = useFormat();
  const r = props.referral;
  const [error, setError] = useState<unknown>(null);
  const [converting, setConverting] = useState(false);
  const [amount, setAmount] = useState('');
  const [amountError, setAmountError] = useState<string | null>(null);
  const euros = useEuroInput();
  const [reference, setReference] = useState('');
  const setLead = async (status: 'contacted' | 'lost') => {
    setError(null);
    try {
      await api('POST', `/referrals/${r.id}/status`, { body: { status } });
      props.onDone();
    } catch (err) {
      setError(err);
    }
  };
  const convert = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    // A first paid visit has an amount: nothing, or 0, is said next to the field.
    const typed = euros(amount);
    const problem = !typed.ok ? typed.error : typed.cents < 1 ? t('amount.invalid') : null;
    setAmountError(problem);
    if (!typed.ok || problem) return;
    try {
      await api('POST', `/referrals/${r.id}/conversion`, {
        body: { amountCents: typed.cents, reference: reference.trim() || null },
      });
      setConverting(false);
      props.onDone();
    } catch (err) {
      setError(err);
    }
  };
  const open = r.status === 'lead' || r.status === 'contacted';
  return (
    <li className="lead" data-testid="lead">
      <div className="lead-head">
        <strong>{r.friend.name ?? t('amb.leads.erased')}</strong>{' '}
        <Badge tone={LEAD_TONE[r.status]}>{t(`amb.leadStatus.${r.status}` as MessageKey)}</Badge>{' '}
        {r.verdict !== 'eligible' ? (
          <Badge tone={VERDICT_TONE[r.verdict]}>
            {t(`amb.verdict.${r.verdict}` as MessageKey)}
          </Badge>
        ) : null}
      </div>
      <p className="hint">
        {[r.friend.email, r.friend.phone].filter(Boolean).join(' · ') || '—'} ·{' '}
        {t('amb.leads.via', { name: r.ambassadorName ?? '—' })} ·{' '}
        <Link to={`/ambassadors/${r.ambassadorId}`}>{t('amb.leads.ambassador')}</Link> ·{' '}
        {fmt.date(r.createdAt)}
      </p>
      {r.consent.text ? (
        <p className="hint">{t('amb.leads.consent', { text: r.consent.text })}</p>
      ) : null}
      {r.status === 'converted' ? (
        <p className="hint">
          {t('amb.leads.converted', {
            date: fmt.date(r.convertedAt),
            amount: euro(fmt, r.conversionAmountCents ?? 0),
          })}
          {r.conversionCancelledAt ? ` · ${t('amb.leads.cancelled')}` : ''}
        </p>
      ) : null}
      {r.findings.length > 0 ? (
        <ul className="findings">
          {r.findings.map((f) => (
            <li key={f.rule}>{f.text}</li>
          ))}
        </ul>
      ) : null}
      <ErrorMessage error={error} shownFields={['amountCents']} />
      {props.write && open ? (
        converting ? (
          <form className="stack" onSubmit={convert} noValidate>
            <div className="grid-2">
              <TextField
                label={t('amb.leads.amount')}
                inputMode="decimal"
                value={amount}
                onChange={(e) => setAmount(e.target.value)}
                error={amountError ?? fieldError(error, 'amountCents')}
              />
              <TextField
                label={t('amb.leads.reference')}
                value={reference}
                onChange={(e) => setReference(e.target.value)}
              />
            </div>
            <div className="form-actions">
              <Button type="submit" variant="primary">
                {t('amb.leads.recordVisit')}
              </Button>
              <Button onClick={() => setConverting(false)}>{t('common.cancel')}</Button>
            </div>
          </form>
        ) : (
          <div className="form-actions">
            {r.status === 'lead' ? (
              <Button onClick={() => void setLead('contacted')}>{t('amb.leads.contacted')}</Button>
            ) : null}
            <Button onClick={() => setConverting(true)}>{t('amb.leads.firstVisit')}</Button>
            <Button variant="link" onClick={() => void setLead('lost')}>
              {t('amb.leads.lost')}
            </Button>
          </div>
        )
      ) : null}
    </li>
  );
}

function ReviewItem(props: { reward: Reward; write: boolean; onDone: () => void }) {
  const t = useT();
  const fmt = useFormat();
  const r = props.reward;
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const decide = async (decision: 'approve' | 'reject') => {
    setError(null);
    try {
      await api('POST', `/rewards/${r.id}/review`, { body: { decision, reason } });
      setDone(t(`amb.review.done.${decision}` as MessageKey));
      props.onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <li className="lead" data-testid="review-item">
      <div className="lead-head">
        <strong>{r.description}</strong> ·{' '}
        {t('amb.review.who', { ambassador: r.ambassadorName ?? '—', friend: r.friendName ?? '—' })}
      </div>
      <p className="hint">
        {euro(fmt, r.costCents)} · {fmt.date(r.createdAt)}
      </p>
      <ul className="findings">
        {r.findings.map((f) => (
          <li key={f.rule}>{f.text}</li>
        ))}
      </ul>
      {done ? <Notice tone="success">{done}</Notice> : null}
      <ErrorMessage error={error} shownFields={['reason']} />
      {props.write ? (
        <>
          <TextAreaField
            label={t('amb.review.reason')}
            hint={t('amb.review.reasonHint')}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            error={fieldError(error, 'reason')}
            rows={2}
          />
          <div className="form-actions">
            <Button variant="primary" onClick={() => void decide('approve')}>
              {t('amb.review.approve')}
            </Button>
            <Button variant="danger" onClick={() => void decide('reject')}>
              {t('amb.review.reject')}
            </Button>
          </div>
        </>
      ) : null}
    </li>
  );
}
