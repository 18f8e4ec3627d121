import { useCallback } from 'react';
import { parseTypedAmount } from '../../../src/domain/visits/parse-amount.ts';
import { useLocale, useT } from '../i18n/i18n.tsx';

/** A euro amount a person typed: its cents, or what is wrong with it in their language. */
export type TypedEuros = { ok: true; cents: number } | { ok: false; error: string };

/**
 * Reads euro amounts as the person writes them (the domain's `parseTypedAmount`): in Dutch
 * `1.250` is twelve hundred and fifty euros and `1.250,00` too, `€ 35,-` is thirty-five; what is
 * no amount is said next to the field instead of being sent as 0.
 */
export function useEuroInput(): (text: string) => TypedEuros {
  const { locale } = useLocale();
  const t = useT();
  return useCallback(
    (text: string) => {
      const parsed = parseTypedAmount(text, locale === 'nl' ? 'comma' : 'point');
      if (parsed.ok) return parsed;
      const error =
        parsed.problem === 'amount_precision'
          ? t('amount.precision')
          : parsed.problem === 'amount_range'
            ? t('amount.range')
            : t('amount.invalid');
      return { ok: false, error };
    },
    [locale, t],
  );
}
