import { useEffect, useState, type FormEvent } from 'react';
import QRCode from 'qrcode';
import { api, type Locale } from '../api/client.ts';
import type { Page, Survey, SurveyTexts } from '../api/types.ts';
import { useFormat, useT, type MessageKey } from '../i18n/i18n.tsx';
import { Link, navigate } from '../lib/router.tsx';
import { useCan, useSession } from '../lib/session.tsx';
import { useLoad } from '../lib/use-load.hook.ts';
import { CopyButton } from '../components/confirm-dialog.component.tsx';
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

const STATUS_TONE = { draft: 'grey', active: 'green', archived: 'amber' } as const;

export function SurveyStatusBadge(props: { status: Survey['status'] }) {
  const t = useT();
  return <Badge tone={STATUS_TONE[props.status]}>{t(`surveyStatus.${props.status}`)}</Badge>;
}

/** The public anonymous link of a survey, for a QR code at the counter or a link on a receipt. */
export function anonymousLink(survey: Survey): string | null {
  return survey.anonymousToken ? `${window.location.origin}/s/${survey.anonymousToken}` : null;
}

/** Surveys: usually one, the company-level NPS question, asked continuously. */
export function SurveysListScreen() {
  const t = useT();
  const fmt = useFormat();
  const can = useCan();
  const list = useLoad(() => api<Page<Survey>>('GET', '/surveys', { query: { limit: 100 } }), []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const s = await api<Survey>('POST', '/surveys', {
        body: { name: t('surveys.defaultName') },
      });
      navigate(`/surveys/${s.id}`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  const newButton = can('surveys:write') ? (
    <Button variant="primary" busy={busy} onClick={() => void create()}>
      {t('surveys.new')}
    </Button>
  ) : undefined;
  return (
    <>
      <PageHeader title={t('surveys.title')} intro={t('surveys.intro')} actions={newButton} />
      <ErrorMessage error={error ?? list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && list.data.items.length === 0 ? (
        <EmptyState title={t('surveys.empty')} text={t('surveys.emptyText')} action={newButton} />
      ) : null}
      {list.data?.items.length ? (
        <div className="table-wrap">
          <table className="table" data-testid="surveys-table">
            <thead>
              <tr>
                <th scope="col">{t('field.name')}</th>
                <th scope="col">{t('contacts.status')}</th>
                <th scope="col">{t('surveys.created')}</th>
                <th scope="col">
                  <span className="sr-only">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((s) => (
                <tr key={s.id}>
                  <td>
                    <Link to={`/surveys/${s.id}`}>{s.name}</Link>
                  </td>
                  <td>
                    <SurveyStatusBadge status={s.status} />
                  </td>
                  <td>{fmt.date(s.createdAt)}</td>
                  <td>
                    {can('surveys:send') && s.status === 'active' ? (
                      <Link to={`/surveys/${s.id}/send`}>{t('surveys.send')}</Link>
                    ) : null}{' '}
                    {can('responses:read') ? (
                      <Link to={`/results?surveyId=${s.id}`}>{t('nav.results')}</Link>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

const TEXT_KEYS: ReadonlyArray<{ key: keyof SurveyTexts; label: MessageKey; long?: boolean }> = [
  { key: 'question', label: 'surveyText.question' },
  { key: 'promoterFollowUp', label: 'surveyText.promoterFollowUp' },
  { key: 'otherFollowUp', label: 'surveyText.otherFollowUp' },
  { key: 'employeeQuestion', label: 'surveyText.employeeQuestion' },
  { key: 'contactOptIn', label: 'surveyText.contactOptIn' },
  { key: 'ambassadorOptIn', label: 'surveyText.ambassadorOptIn' },
  { key: 'thanksPromoter', label: 'surveyText.thanksPromoter', long: true },
  { key: 'thanksPassive', label: 'surveyText.thanksPassive', long: true },
  { key: 'thanksDetractor', label: 'surveyText.thanksDetractor', long: true },
  { key: 'emailSubject', label: 'surveyText.emailSubject' },
  { key: 'emailIntro', label: 'surveyText.emailIntro', long: true },
];

type Overrides = Record<Locale, Partial<Record<keyof SurveyTexts, string>>>;

/**
 * One survey: name, status, options and its texts in Dutch and English. An empty text uses the
 * default, which the field shows as its placeholder, so nobody has to write a survey from scratch.
 */
export function SurveyEditScreen(props: { id: string }) {
  const t = useT();
  const can = useCan();
  const { me } = useSession();
  const survey = useLoad(() => api<Survey>('GET', `/surveys/${props.id}`), [props.id]);
  const [form, setForm] = useState({
    name: '',
    status: 'draft' as Survey['status'],
    askEmployee: false,
    askContactOptIn: true,
    askAmbassadorOptIn: true,
    useBrandColor: false,
    brandColor: '#1f6f5c',
    logoUrl: '',
    editableDays: '7',
  });
  const [texts, setTexts] = useState<Overrides>({ nl: {}, en: {} });
  const [lang, setLang] = useState<Locale>('nl');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    const s = survey.data;
    if (!s) return;
    setForm({
      name: s.name,
      status: s.status,
      askEmployee: s.settings.askEmployee,
      askContactOptIn: s.settings.askContactOptIn,
      askAmbassadorOptIn: s.settings.askAmbassadorOptIn,
      useBrandColor: s.settings.brandColor !== null,
      brandColor: s.settings.brandColor ?? me.organisation.settings.brandColor,
      logoUrl: s.settings.logoUrl ?? '',
      editableDays: String(s.settings.editableDays),
    });
    setTexts({ nl: { ...s.settings.texts.nl }, en: { ...s.settings.texts.en } });
  }, [survey.data, me.organisation.settings.brandColor]);

  if (!survey.data) return survey.loading ? <Loading /> : <ErrorMessage error={survey.error} />;
  const s = survey.data;
  const readOnly = !can('surveys:write');

  const textPatch = (l: Locale) =>
    Object.fromEntries(
      TEXT_KEYS.map(({ key }) => {
        const v = (texts[l][key] ?? '').trim();
        return [key, v === '' ? null : v];
      }),
    );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const updated = await api<Survey>('PATCH', `/surveys/${s.id}`, {
        body: {
          name: form.name,
          status: form.status,
          settings: {
            askEmployee: form.askEmployee,
            askContactOptIn: form.askContactOptIn,
            askAmbassadorOptIn: form.askAmbassadorOptIn,
            brandColor: form.useBrandColor ? form.brandColor : null,
            logoUrl: form.logoUrl.trim() || null,
            editableDays: Number(form.editableDays),
            texts: { nl: textPatch('nl'), en: textPatch('en') },
          },
        },
      });
      survey.setData(updated);
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const link = anonymousLink(s);
  const check = (
    key: 'askEmployee' | 'askContactOptIn' | 'askAmbassadorOptIn',
    label: MessageKey,
  ) => (
    <div className="checkbox">
      <input
        id={`opt-${key}`}
        type="checkbox"
        checked={form[key]}
        onChange={(e) => setForm({ ...form, [key]: e.target.checked })}
      />
      <label htmlFor={`opt-${key}`}>{t(label)}</label>
    </div>
  );

  return (
    <>
      <p className="breadcrumb">
        <Link to="/surveys">← {t('surveys.title')}</Link>
      </p>
      <PageHeader
        title={s.name}
        actions={
          <>
            <SurveyStatusBadge status={s.status} />
            {can('surveys:send') && s.status === 'active' ? (
              <Link className="btn btn-primary" to={`/surveys/${s.id}/send`}>
                {t('surveys.send')}
              </Link>
            ) : null}
          </>
        }
      />
      <div className="two-col">
        <form className="card" onSubmit={submit} noValidate>
          <ErrorMessage error={error} shownFields={['name', 'status']} />
          {saved ? <Notice tone="success">{t('common.saved')}</Notice> : null}
          <fieldset disabled={readOnly} className="plain">
            <div className="grid-2">
              <TextField
                label={t('field.name')}
                hint={t('surveys.nameHint')}
                value={form.name}
                onChange={(e) => setForm({ ...form, name: e.target.value })}
                error={fieldError(error, 'name')}
              />
              <SelectField
                label={t('contacts.status')}
                hint={t('surveys.statusHint')}
                value={form.status}
                onChange={(e) => setForm({ ...form, status: e.target.value as Survey['status'] })}
                options={(['draft', 'active', 'archived'] as const).map((v) => ({
                  value: v,
                  label: t(`surveyStatus.${v}`),
                }))}
              />
            </div>
            <h2>{t('surveys.options')}</h2>
            {check('askEmployee', 'surveys.askEmployee')}
            <p className="hint">{t('surveys.askEmployeeHint')}</p>
            {check('askContactOptIn', 'surveys.askContactOptIn')}
            {check('askAmbassadorOptIn', 'surveys.askAmbassadorOptIn')}
            <p className="hint">{t('surveys.optInHint')}</p>
            <div className="grid-2">
              <div>
                <div className="checkbox">
                  <input
                    id="own-color"
                    type="checkbox"
                    checked={form.useBrandColor}
                    onChange={(e) => setForm({ ...form, useBrandColor: e.target.checked })}
                  />
                  <label htmlFor="own-color">{t('surveys.ownColor')}</label>
                </div>
                {form.useBrandColor ? (
                  <TextField
                    label={t('settings.brandColor')}
                    type="color"
                    value={form.brandColor}
                    onChange={(e) => setForm({ ...form, brandColor: e.target.value })}
                    error={fieldError(error, 'settings.brandColor')}
                  />
                ) : (
                  <p className="hint">{t('surveys.colorFromSettings')}</p>
                )}
              </div>
              <TextField
                label={t('settings.logoUrl')}
                hint={t('surveys.logoHint')}
                type="url"
                value={form.logoUrl}
                onChange={(e) => setForm({ ...form, logoUrl: e.target.value })}
                error={fieldError(error, 'settings.logoUrl')}
              />
              <TextField
                label={t('surveys.editableDays')}
                hint={t('surveys.editableDaysHint')}
                type="number"
                min={1}
                max={30}
                value={form.editableDays}
                onChange={(e) => setForm({ ...form, editableDays: e.target.value })}
                error={fieldError(error, 'settings.editableDays')}
              />
            </div>
            <h2>{t('surveys.texts')}</h2>
            <p className="hint">{t('surveys.textsHint')}</p>
            <div className="lang-switch" role="group" aria-label={t('nav.language')}>
              {(['nl', 'en'] as const).map((l) => (
                <button key={l} type="button" aria-pressed={lang === l} onClick={() => setLang(l)}>
                  {t(`language.${l}`)}
                </button>
              ))}
            </div>
            {TEXT_KEYS.map(({ key, label, long }) => {
              const own = s.settings.texts[lang][key];
              const placeholder = own ? t('surveys.defaultIfEmpty') : s.texts[lang][key];
              const common = {
                label: t(label),
                lang,
                placeholder,
                value: texts[lang][key] ?? '',
                error: fieldError(error, `settings.texts.${lang}.${key}`),
              };
              const onChange = (v: string) =>
                setTexts({ ...texts, [lang]: { ...texts[lang], [key]: v } });
              return long ? (
                <TextAreaField
                  key={`${lang}-${key}`}
                  {...common}
                  rows={2}
                  onChange={(e) => onChange(e.target.value)}
                />
              ) : (
                <TextField
                  key={`${lang}-${key}`}
                  {...common}
                  onChange={(e) => onChange(e.target.value)}
                />
              );
            })}
          </fieldset>
          {!readOnly ? (
            <div className="form-actions">
              <Button type="submit" variant="primary" busy={busy}>
                {t('common.save')}
              </Button>
            </div>
          ) : null}
        </form>
        <aside className="side">
          <section className="card">
            <h2>{t('surveys.anonymous')}</h2>
            <p>{t('surveys.anonymousText')}</p>
            {link ? (
              <>
                <p className="secret">
                  <code data-testid="anonymous-link">{link}</code>
                </p>
                <p className="stack">
                  <CopyButton text={link} />
                  <a href={link} target="_blank" rel="noopener">
                    {t('surveys.openLink')}
                  </a>
                  <a href={`/api/v1/surveys/${s.id}/poster`} target="_blank" rel="noopener">
                    {t('surveys.openPoster')}
                  </a>
                </p>
                <QrPoster link={link} organisation={me.organisation.name} />
                {s.status !== 'active' ? (
                  <p className="hint">{t('surveys.anonymousInactive')}</p>
                ) : null}
              </>
            ) : null}
          </section>
        </aside>
      </div>
    </>
  );
}

/**
 * A QR code of the anonymous link with one line of text, ready to print for the counter or the
 * waiting room. Drawn in the browser (the `qrcode` package), so no service sees the link.
 */
function QrPoster(props: { link: string; organisation: string }) {
  const t = useT();
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    QRCode.toString(props.link, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }).then(
      (s) => {
        if (!cancelled) setSvg(s);
      },
      () => setSvg(null),
    );
    return () => {
      cancelled = true;
    };
  }, [props.link]);
  if (!svg) return null;
  const src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  return (
    <div className="poster" data-testid="qr-poster">
      <p className="poster-title">
        {t('surveys.posterTitle', { organisation: props.organisation })}
      </p>
      <img src={src} alt={t('surveys.qrAlt')} width={220} height={220} />
      <p className="poster-text">{t('surveys.posterText')}</p>
      <p className="stack no-print">
        <Button onClick={() => window.print()}>{t('surveys.printPoster')}</Button>
        <a href={src} download="loyaal-qr.svg">
          {t('surveys.downloadQr')}
        </a>
      </p>
    </div>
  );
}
