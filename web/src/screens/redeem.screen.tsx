import { useState, type FormEvent } from 'react';
import { ApiError, api } from '../api/client.ts';
import type { VoucherCheck } from '../api/types.ts';
import { useFormat, useT, type MessageKey, type Translate } from '../i18n/i18n.tsx';
import { useLocation } from '../lib/router.tsx';
import { Button, Notice, PageHeader, TextField } from '../components/ui.component.tsx';

type Refusal = NonNullable<VoucherCheck['refusal']>;

/** The counter's words for every way a code can fail, from the API's stable problem codes. */
function problemText(t: Translate, err: unknown, date: (iso: string | null) => string): string {
  if (!(err instanceof ApiError)) return t('error.unexpected');
  if (err.status === 429) return t('redeem.locked');
  if (err.status === 404) return t('redeem.unknown');
  const problem = err.fields[0]?.problem ?? '';
  if (problem.startsWith('code_')) {
    const typo = problem.slice(5);
    if (['empty', 'length', 'character', 'check'].includes(typo)) {
      return t(`redeem.typo.${typo}` as MessageKey);
    }
  }
  if (problem.startsWith('voucher_'))
    return refusalText(t, problem.slice(8) as Refusal, null, date);
  return err.message || t('error.unexpected');
}

function refusalText(
  t: Translate,
  refusal: Refusal,
  at: string | null,
  date: (iso: string | null) => string,
): string {
  if (refusal === 'already_redeemed') {
    return at
      ? t('redeem.refused.alreadyRedeemedOn', { date: date(at) })
      : t('redeem.refused.alreadyRedeemed');
  }
  if (refusal === 'expired') return t('redeem.refused.expired', { date: date(at) });
  return t(`redeem.refused.${refusal}` as MessageKey);
}

/**
 * The counter on a phone (issue 12): type the code from the voucher, see what it is worth and
 * for whom, and mark it used — once. A second try says plainly that it was already used, and when.
 */
export function RedeemScreen() {
  const t = useT();
  const fmt = useFormat();
  const { search } = useLocation();
  const [code, setCode] = useState(search.get('code') ?? '');
  const [checked, setChecked] = useState<VoucherCheck | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const check = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    setDone(null);
    setChecked(null);
    try {
      const result = await api<VoucherCheck>('POST', '/vouchers/check', { body: { code } });
      setChecked(result);
      if (result.refusal) {
        setProblem(
          refusalText(t, result.refusal, result.redeemedAt ?? result.validUntil, fmt.date),
        );
      }
    } catch (err) {
      setProblem(problemText(t, err, fmt.date));
    } finally {
      setBusy(false);
    }
  };

  const redeem = async () => {
    if (!checked) return;
    setBusy(true);
    setProblem(null);
    try {
      await api('POST', '/vouchers/redeem', { body: { code: checked.code } });
      setDone(t('redeem.done', { description: checked.description }));
      setChecked(null);
      setCode('');
    } catch (err) {
      setProblem(problemText(t, err, fmt.date));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="redeem">
      <PageHeader title={t('redeem.title')} intro={t('redeem.intro')} />
      <form className="card stack" onSubmit={check} noValidate>
        <TextField
          label={t('redeem.code')}
          hint={t('redeem.codeHint')}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          autoCapitalize="characters"
          autoComplete="off"
          spellCheck={false}
          className="redeem-code"
        />
        <Button type="submit" variant="primary" busy={busy && !checked}>
          {t('redeem.check')}
        </Button>
      </form>
      {done ? (
        <div className="alert alert-success redeem-result" role="status" data-testid="redeem-done">
          {done}
        </div>
      ) : null}
      {problem ? (
        <div className="alert alert-error redeem-result" role="alert" data-testid="redeem-problem">
          {problem}
        </div>
      ) : null}
      {checked ? (
        <section
          className="card redeem-voucher"
          aria-labelledby="voucher-found"
          data-testid="voucher-found"
        >
          <h2 id="voucher-found">{checked.description}</h2>
          <p className="redeem-holder">
            {t('redeem.for', { name: checked.holderName ?? '—' })}
            <span className="hint"> ({t(`amb.recipient.${checked.recipient}` as MessageKey)})</span>
          </p>
          <p>
            <code>{checked.code}</code>
          </p>
          {checked.validUntil && checked.redeemable ? (
            <p className="hint">
              {t('amb.rewards.validUntil', { date: fmt.date(checked.validUntil) })}
            </p>
          ) : null}
          {checked.redeemable ? (
            <Button
              variant="primary"
              className="redeem-button"
              busy={busy}
              onClick={() => void redeem()}
            >
              {t('redeem.redeem')}
            </Button>
          ) : null}
        </section>
      ) : null}
      {!checked && !done && !problem ? <Notice>{t('redeem.tip')}</Notice> : null}
    </div>
  );
}
