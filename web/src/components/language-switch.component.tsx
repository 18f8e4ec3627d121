import type { Locale } from '../api/client.ts';
import { useLocale, useT } from '../i18n/i18n.tsx';

/** Nederlands / English, as two buttons so the current choice is visible at a glance. */
export function LanguageSwitch() {
  const t = useT();
  const { locale, setLocale } = useLocale();
  const options: Array<{ value: Locale; label: string }> = [
    { value: 'nl', label: 'NL' },
    { value: 'en', label: 'EN' },
  ];
  return (
    <div className="lang-switch" role="group" aria-label={t('nav.language')}>
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          lang={o.value}
          aria-pressed={locale === o.value}
          title={o.value === 'nl' ? 'Nederlands' : 'English'}
          onClick={() => setLocale(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
