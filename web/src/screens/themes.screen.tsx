import { useState } from 'react';
import { api } from '../api/client.ts';
import type { ThemesJson } from '../api/types.ts';
import { useFormat, useLocale, useT } from '../i18n/i18n.tsx';
import { useCan } from '../lib/session.tsx';
import { useLoad } from '../lib/use-load.hook.ts';
import { signed } from '../components/charts.component.tsx';
import {
  Badge,
  Button,
  EmptyState,
  ErrorMessage,
  Loading,
  PageHeader,
  SelectField,
  TextAreaField,
  TextField,
} from '../components/ui.component.tsx';
import { periodQuery } from './insight.screen.tsx';

const PERIODS = [30, 90, 180, 365] as const;
const TONE = { promoter: 'green', passive: 'amber', detractor: 'red' } as const;
const SENTIMENT_TONE = { positive: 'green', neutral: 'grey', negative: 'red' } as const;

type Entry = ThemesJson['dictionary'][number];

/**
 * What customers write about: per theme how many comments mention it, the NPS of those answers
 * with its interval, how many read positive or negative, and example quotes; below, terms that
 * detractors use more than promoters as candidates for a new theme, and (for whoever manages the
 * organisation) the theme dictionary to edit.
 */
export function ThemesScreen() {
  const t = useT();
  const fmt = useFormat();
  const { locale } = useLocale();
  const can = useCan();
  const [days, setDays] = useState<number>(90);
  const query = periodQuery(days);
  const data = useLoad(
    () => api<ThemesJson>('GET', '/results/themes', { query }),
    [JSON.stringify(query)],
  );
  const d = data.data;
  return (
    <>
      <PageHeader title={t('themes.title')} intro={t('themes.intro')} />
      <div className="filters filters-compact" role="search">
        <SelectField
          label={t('insight.period')}
          value={String(days)}
          onChange={(e) => setDays(Number(e.target.value))}
          options={PERIODS.map((n) => ({
            value: String(n),
            label: t('insight.lastDays', { days: n }),
          }))}
        />
      </div>
      <ErrorMessage error={data.error} />
      {!d ? <Loading /> : null}
      {d && d.analysed === 0 ? (
        <EmptyState title={t('insight.noComments')} text={t('results.emptyText')} />
      ) : null}
      {d && d.analysed > 0 ? (
        <>
          <p className="hint" data-testid="themes-analysed">
            {t(d.capped ? 'themes.analysedCapped' : 'themes.analysed', {
              count: d.analysed,
              without: d.withoutTheme,
            })}
          </p>
          <ul className="theme-list" data-testid="theme-list">
            {d.themes
              .filter((th) => th.count > 0)
              .map((th) => (
                <li key={th.key} className="card" data-theme={th.key}>
                  <div className="card-head">
                    <h2>{th.label[locale]}</h2>
                    <span className="muted" data-testid="theme-count">
                      {t('themes.count', { count: th.count })}
                    </span>
                  </div>
                  <p>
                    {th.nps === null ? null : (
                      <>
                        <strong>
                          {t('results.nps')} {signed(th.nps)}
                        </strong>{' '}
                        {th.interval ? (
                          <span className="muted">
                            ({signed(th.interval.low)} … {signed(th.interval.high)})
                          </span>
                        ) : null}
                        {' · '}
                      </>
                    )}
                    {t('themes.sentiment', { positive: th.positive, negative: th.negative })}
                  </p>
                  <ul className="comment-list">
                    {th.quotes.map((q) => (
                      <li key={q.id} data-sentiment={q.sentiment}>
                        <Badge tone={TONE[q.category]}>{q.score}</Badge>
                        <div>
                          <p className="comment-text">“{q.comment}”</p>
                          <p className="hint">
                            <Badge tone={SENTIMENT_TONE[q.sentiment]}>
                              {t(`themes.${q.sentiment}`)}
                            </Badge>{' '}
                            {fmt.date(q.answeredAt)}
                          </p>
                        </div>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
          </ul>
          <section className="card" data-testid="theme-suggestions">
            <h2>{t('themes.suggestions')}</h2>
            {d.suggestions.length === 0 ? (
              <p className="hint">{t('themes.noSuggestions')}</p>
            ) : (
              <>
                <p className="hint">{t('themes.suggestionsIntro')}</p>
                <ul className="plain-list">
                  {d.suggestions.map((s) => (
                    <li key={s.term}>
                      <strong>{s.example.replace(/^¬/, t('themes.not'))}</strong>{' '}
                      <span className="muted">
                        {t('themes.suggestionCounts', {
                          detractors: s.detractors,
                          promoters: s.promoters,
                        })}
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
        </>
      ) : null}
      {d && can('organisation:manage') ? (
        <DictionaryEditor
          key={JSON.stringify(d.dictionary)}
          dictionary={d.dictionary}
          defaults={d.defaults}
          onSaved={data.reload}
        />
      ) : null}
    </>
  );
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40) || 'thema';

/** The organisation's theme dictionary: labels and terms per theme, saved in its settings. */
function DictionaryEditor(props: { dictionary: Entry[]; defaults: boolean; onSaved: () => void }) {
  const t = useT();
  const [rows, setRows] = useState(
    props.dictionary.map((d) => ({ ...d, text: d.terms.join(', ') })),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const save = async (themes: Entry[] | null) => {
    setBusy(true);
    setError(null);
    try {
      await api('PATCH', '/organisation', { body: { settings: { themes } } });
      props.onSaved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const entries = (): Entry[] =>
    rows.map((r) => ({
      key: r.key,
      label: r.label,
      terms: r.text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length >= 2),
    }));
  return (
    <details className="card" data-testid="theme-editor">
      <summary>
        <strong>{t('themes.edit')}</strong>
        {props.defaults ? <span className="muted"> · {t('themes.defaults')}</span> : null}
      </summary>
      <ErrorMessage error={error} />
      {rows.map((r, i) => (
        <fieldset key={i} className="theme-edit">
          <TextField
            label={t('themes.label')}
            value={r.label.nl}
            onChange={(e) => {
              const nl = e.target.value;
              setRows(rows.map((x, j) => (j === i ? { ...x, label: { nl, en: nl } } : x)));
            }}
          />
          <TextAreaField
            label={t('themes.terms')}
            value={r.text}
            rows={2}
            onChange={(e) => {
              const text = e.target.value;
              setRows(rows.map((x, j) => (j === i ? { ...x, text } : x)));
            }}
          />
        </fieldset>
      ))}
      <div className="form-actions">
        <Button
          onClick={() => {
            const label = t('themes.newTheme');
            setRows([
              ...rows,
              {
                key: `${slug(label)}-${rows.length + 1}`,
                label: { nl: label, en: label },
                terms: [],
                text: '',
              },
            ]);
          }}
        >
          {t('themes.add')}
        </Button>
        <Button
          variant="primary"
          busy={busy}
          onClick={() =>
            void save(
              entries()
                .filter((e) => e.terms.length > 0)
                .map((e) => ({ ...e, key: e.key || slug(e.label.nl) })),
            )
          }
        >
          {t('themes.save')}
        </Button>
        {!props.defaults ? (
          <Button busy={busy} onClick={() => void save(null)}>
            {t('themes.restore')}
          </Button>
        ) : null}
      </div>
    </details>
  );
}
