import { useState, type FormEvent } from 'react';
import { api } from '../api/client.ts';
import type { ReviewSettings, ReviewSiteKind } from '../api/types.ts';
import { useT, type MessageKey } from '../i18n/i18n.tsx';
import { Link } from '../lib/router.tsx';
import { useCan } from '../lib/session.tsx';
import { useLoad } from '../lib/use-load.hook.ts';
import {
  Button,
  ErrorMessage,
  Loading,
  Notice,
  PageHeader,
  SelectField,
  TextField,
  fieldError,
} from '../components/ui.component.tsx';

/** The sites in the order the select offers them; the type makes a missing kind a compile error. */
const KIND_LABELS = {
  google: 'reviews.kind.google',
  klantenvertellen: 'reviews.kind.klantenvertellen',
  trustpilot: 'reviews.kind.trustpilot',
  custom: 'reviews.kind.custom',
} as const satisfies Record<ReviewSiteKind, MessageKey>;
const KINDS = Object.keys(KIND_LABELS) as ReviewSiteKind[];

/** The server keeps at most this many (`MAX_REVIEW_SITES`); it says so itself if one more comes. */
const SHOWN_ADD_LIMIT = 4;

interface SiteForm {
  kind: ReviewSiteKind;
  url: string;
  label: string;
}

const formOf = (s: ReviewSettings): SiteForm[] =>
  s.sites.map((site) => ({ kind: site.kind, url: site.url, label: site.label ?? '' }));

/**
 * The review sites an organisation asks its customers to review it on (issue 12), whether the
 * thank-you page asks at all, whether (and how many hours after the answer) the review email
 * goes, and the link to the generated public page "hoe wij reviews
 * verzamelen". The server checks every address (https only) and names the field that is wrong;
 * this screen shows that message under the field. Everyone may read; only the owner saves.
 */
export function ReviewSettingsScreen() {
  const t = useT();
  const can = useCan();
  const manage = can('organisation:manage');
  const settings = useLoad(() => api<ReviewSettings>('GET', '/review-settings'), []);
  const [sites, setSites] = useState<SiteForm[]>([]);
  const [askOnThanks, setAskOnThanks] = useState(true);
  const [emailOn, setEmailOn] = useState(true);
  const [hours, setHours] = useState('24');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const s = settings.data;

  // The form takes the loaded (or just saved) settings during the render that brings them, not in
  // an effect after it: the screen never shows, even for one frame, defaults that are not stored.
  const [shown, setShown] = useState<ReviewSettings | null>(null);
  if (s && s !== shown) {
    setShown(s);
    setSites(formOf(s));
    setAskOnThanks(s.askOnThanks);
    setEmailOn(s.emailAfterHours !== null);
    setHours(String(s.emailAfterHours ?? 24));
  }

  if (settings.error) return <ErrorMessage error={settings.error} />;
  if (!s) return <Loading />;

  const change = (i: number, patch: Partial<SiteForm>) => {
    setSites(sites.map((site, j) => (j === i ? { ...site, ...patch } : site)));
    setSaved(false);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const next = await api<ReviewSettings>('PUT', '/review-settings', {
        body: {
          sites: sites.map((site) => ({
            kind: site.kind,
            url: site.url,
            label: site.kind === 'custom' ? site.label : null,
          })),
          askOnThanks,
          // A whole number goes as a number; anything else as typed, so the server names the field.
          emailAfterHours: emailOn ? (/^\d+$/.test(hours.trim()) ? Number(hours) : hours) : null,
        },
      });
      settings.setData(next);
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const shownFields = [
    ...(emailOn ? ['emailAfterHours'] : []),
    ...sites.flatMap((_, i) => [`sites.${i}.kind`, `sites.${i}.url`, `sites.${i}.label`]),
  ];

  return (
    <>
      {manage ? (
        <p className="breadcrumb">
          <Link to="/settings">← {t('settings.title')}</Link>
        </p>
      ) : null}
      <PageHeader title={t('reviews.title')} intro={t('reviews.intro')} />
      <form className="card narrow stack" onSubmit={submit} noValidate>
        <ErrorMessage error={error} shownFields={shownFields} />
        {saved ? <Notice tone="success">{t('common.saved')}</Notice> : null}
        {!manage ? <Notice>{t('reviews.readOnly')}</Notice> : null}
        <fieldset className="plain stack" disabled={!manage}>
          <div className="checkbox">
            <input
              type="checkbox"
              id="reviews-ask"
              checked={askOnThanks}
              onChange={(e) => {
                setAskOnThanks(e.target.checked);
                setSaved(false);
              }}
            />
            <label htmlFor="reviews-ask">{t('reviews.ask')}</label>
          </div>
          <p className="hint">{t('reviews.askHint')}</p>
          <div className="checkbox">
            <input
              type="checkbox"
              id="reviews-email"
              checked={emailOn}
              onChange={(e) => {
                setEmailOn(e.target.checked);
                setSaved(false);
              }}
            />
            <label htmlFor="reviews-email">{t('reviews.email')}</label>
          </div>
          <p className="hint">{t('reviews.emailHint')}</p>
          {emailOn ? (
            <TextField
              label={t('reviews.emailAfterHours')}
              hint={t('reviews.emailAfterHoursHint')}
              inputMode="numeric"
              autoComplete="off"
              value={hours}
              onChange={(e) => {
                setHours(e.target.value);
                setSaved(false);
              }}
              error={fieldError(error, 'emailAfterHours')}
            />
          ) : null}
          <h2>{t('reviews.sites')}</h2>
          <p className="hint">{t('reviews.sitesHint')}</p>
          {sites.length === 0 ? <p data-testid="reviews-none">{t('reviews.noSites')}</p> : null}
          {sites.map((site, i) => (
            <fieldset key={i} className="plain stack milestone" data-testid={`review-site-${i}`}>
              <legend className="field-legend">{t('reviews.site', { n: i + 1 })}</legend>
              <SelectField
                label={t('reviews.kind')}
                value={site.kind}
                onChange={(e) => change(i, { kind: e.target.value as ReviewSiteKind })}
                options={KINDS.map((k) => ({ value: k, label: t(KIND_LABELS[k]) }))}
                error={fieldError(error, `sites.${i}.kind`)}
              />
              <TextField
                label={t('reviews.url')}
                hint={t('reviews.urlHint')}
                type="url"
                inputMode="url"
                spellCheck={false}
                autoComplete="off"
                placeholder="https://"
                value={site.url}
                onChange={(e) => change(i, { url: e.target.value })}
                error={fieldError(error, `sites.${i}.url`)}
              />
              {site.kind === 'custom' ? (
                <TextField
                  label={t('reviews.label')}
                  hint={t('reviews.labelHint')}
                  maxLength={60}
                  value={site.label}
                  onChange={(e) => change(i, { label: e.target.value })}
                  error={fieldError(error, `sites.${i}.label`)}
                />
              ) : null}
              {manage ? (
                <div>
                  <Button
                    variant="link"
                    onClick={() => {
                      setSites(sites.filter((_, j) => j !== i));
                      // The server's field errors are numbered by position; they no longer fit.
                      setError(null);
                      setSaved(false);
                    }}
                  >
                    {t('reviews.removeSite')}
                  </Button>
                </div>
              ) : null}
            </fieldset>
          ))}
          {manage && sites.length < SHOWN_ADD_LIMIT ? (
            <div>
              <Button
                onClick={() => {
                  const used = new Set(sites.map((x) => x.kind));
                  const kind = KINDS.find((k) => !used.has(k)) ?? 'custom';
                  setSites([...sites, { kind, url: '', label: '' }]);
                  setSaved(false);
                }}
              >
                {t('reviews.addSite')}
              </Button>
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
      <section className="card narrow">
        <h2>{t('reviews.policy')}</h2>
        <p>{t('reviews.policyText')}</p>
        <p className="break">
          <a href={s.policyUrl} target="_blank" rel="noreferrer" data-testid="review-policy-link">
            {t('reviews.policyLink')}
          </a>
        </p>
      </section>
    </>
  );
}
