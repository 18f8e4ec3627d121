import { useEffect, useMemo, useState, type FormEvent } from 'react';
import QRCode from 'qrcode';
import { api, type Locale } from '../api/client.ts';
import type { MailTestResult, Page, Survey, SurveyTexts } from '../api/types.ts';
import {
  canonicalPlaceholders,
  displayPlaceholders,
  PLACEHOLDER_NAMES,
} from '../../../src/domain/placeholders/placeholders.ts';
import { useFormat, useLocale, useT, type MessageKey } from '../i18n/i18n.tsx';
import { Link, navigate } from '../lib/router.tsx';
import { useNewSurvey } from '../lib/new-survey.hook.ts';
import { useCan, useSession } from '../lib/session.tsx';
import { useEditForm } from '../lib/use-edit-form.hook.ts';
import { useLoad } from '../lib/use-load.hook.ts';
import { ConfirmDialog, CopyButton } from '../components/confirm-dialog.component.tsx';
import { SurveyPreview } from '../components/survey-preview.component.tsx';
import {
  Badge,
  Button,
  EmptyState,
  ErrorMessage,
  Loading,
  Notice,
  SaveStatus,
  PageHeader,
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
  const newSurvey = useNewSurvey();
  const newButton = can('surveys:write') ? (
    <Button variant="primary" busy={newSurvey.busy} onClick={() => void newSurvey.create()}>
      {t('surveys.new')}
    </Button>
  ) : undefined;
  return (
    <>
      <PageHeader title={t('surveys.title')} intro={t('surveys.intro')} actions={newButton} />
      <ErrorMessage error={newSurvey.error ?? list.error} />
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
                    {can('surveys:send') && s.status !== 'archived' ? (
                      <Link to={`/surveys/${s.id}/send`}>
                        {s.status === 'draft' ? t('surveys.activateAndSend') : t('surveys.send')}
                      </Link>
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

/** The texts in the order a customer meets them: email, question, follow-ups, thanks. */
const TEXT_KEYS: ReadonlyArray<{ key: keyof SurveyTexts; label: MessageKey; group: MessageKey }> = [
  { key: 'emailSubject', label: 'surveyText.emailSubject', group: 'surveys.groupEmail' },
  { key: 'emailIntro', label: 'surveyText.emailIntro', group: 'surveys.groupEmail' },
  { key: 'question', label: 'surveyText.question', group: 'surveys.groupQuestion' },
  { key: 'promoterFollowUp', label: 'surveyText.promoterFollowUp', group: 'surveys.groupQuestion' },
  { key: 'otherFollowUp', label: 'surveyText.otherFollowUp', group: 'surveys.groupQuestion' },
  { key: 'employeeQuestion', label: 'surveyText.employeeQuestion', group: 'surveys.groupQuestion' },
  { key: 'contactOptIn', label: 'surveyText.contactOptIn', group: 'surveys.groupQuestion' },
  { key: 'ambassadorOptIn', label: 'surveyText.ambassadorOptIn', group: 'surveys.groupQuestion' },
  { key: 'thanksPromoter', label: 'surveyText.thanksPromoter', group: 'surveys.groupThanks' },
  { key: 'thanksPassive', label: 'surveyText.thanksPassive', group: 'surveys.groupThanks' },
  { key: 'thanksDetractor', label: 'surveyText.thanksDetractor', group: 'surveys.groupThanks' },
];

/** What each text field holds: the effective text as a person reads it, placeholders translated. */
type Texts = Record<Locale, Record<keyof SurveyTexts, string>>;

interface Form {
  name: string;
  askEmployee: boolean;
  askContactOptIn: boolean;
  askAmbassadorOptIn: boolean;
  useBrandColor: boolean;
  brandColor: string;
  logoUrl: string;
  editableDays: string;
}

function formOf(s: Survey, orgColor: string): Form {
  return {
    name: s.name,
    askEmployee: s.settings.askEmployee,
    askContactOptIn: s.settings.askContactOptIn,
    askAmbassadorOptIn: s.settings.askAmbassadorOptIn,
    useBrandColor: s.settings.brandColor !== null,
    brandColor: s.settings.brandColor ?? orgColor,
    logoUrl: s.settings.logoUrl ?? '',
    editableDays: String(s.settings.editableDays),
  };
}

function textsOf(s: Survey, ui: Locale): Texts {
  const show = (l: Locale) =>
    Object.fromEntries(
      TEXT_KEYS.map(({ key }) => [key, displayPlaceholders(s.texts[l][key], ui)]),
    ) as Record<keyof SurveyTexts, string>;
  return { nl: show('nl'), en: show('en') };
}

/** What the editor holds: nothing until the survey is loaded. */
interface SurveyForm {
  form: Form | null;
  texts: Texts | null;
}

/** A text equal to the default is no override: it follows the default (and the voice) later. */
function textPatch(s: Survey, texts: Texts, l: Locale) {
  return Object.fromEntries(
    TEXT_KEYS.map(({ key }) => {
      const value = canonicalPlaceholders(texts[l][key].trim());
      return [key, value === '' || value === s.defaultTexts[l][key] ? null : value];
    }),
  );
}

/**
 * One survey: its texts beside a live preview of what customers will see — the email at desktop
 * and phone width, the response page and the thank-you page for each category — and one action
 * that activates and sends it. Texts show their placeholders in the reader's language
 * ({bedrijf}, {voornaam}, {accountmanager}); the database keeps them canonical.
 */
export function SurveyEditScreen(props: { id: string }) {
  const t = useT();
  const { locale: ui } = useLocale();
  const can = useCan();
  const { me } = useSession();
  const survey = useLoad(() => api<Survey>('GET', `/surveys/${props.id}`), [props.id]);
  const orgColor = me.organisation.settings.brandColor;
  const [lang, setLang] = useState<Locale>('nl');
  // Which action is on its way, and the action whose save missed what the person typed meanwhile
  // (the screen asks them to repeat it).
  const [busy, setBusy] = useState<'save' | 'send' | 'status' | 'test' | null>(null);
  const [typedOnAction, setTypedOnAction] = useState<'save' | 'send'>('save');
  const [testError, setTestError] = useState<unknown>(null);
  const [testResult, setTestResult] = useState<MailTestResult | null>(null);
  const [confirmArchive, setConfirmArchive] = useState(false);

  // The form holds the settings and the texts in the interface's language, with the placeholders
  // named in it: it takes the loaded (or just saved) survey anew when the language or the
  // organisation's colour changes too, unless the person has typed (the hook keeps that).
  const loaded = survey.data;
  const source = useMemo(
    () => (loaded ? { survey: loaded, ui, orgColor } : null),
    [loaded, ui, orgColor],
  );
  const edit = useEditForm(
    source,
    (r: { survey: Survey; ui: Locale; orgColor: string }): SurveyForm => ({
      form: formOf(r.survey, r.orgColor),
      texts: textsOf(r.survey, r.ui),
    }),
    { form: null, texts: null },
  );
  const { form, texts } = edit.form;

  const settingsPatch = useMemo(() => {
    const s = survey.data;
    if (!s || !form || !texts) return null;
    return {
      askEmployee: form.askEmployee,
      askContactOptIn: form.askContactOptIn,
      askAmbassadorOptIn: form.askAmbassadorOptIn,
      brandColor: form.useBrandColor ? form.brandColor : null,
      logoUrl: form.logoUrl.trim() || null,
      ...(/^\d+$/.test(form.editableDays) ? { editableDays: Number(form.editableDays) } : {}),
      texts: { nl: textPatch(s, texts, 'nl'), en: textPatch(s, texts, 'en') },
    };
  }, [survey.data, form, texts]);

  if (!survey.data || !form || !texts || !settingsPatch) {
    return survey.loading ? <Loading /> : <ErrorMessage error={survey.error} />;
  }
  const s = survey.data;
  const readOnly = !can('surveys:write');
  const error = testError ?? edit.error;

  const setField = (patch: Partial<Form>) => {
    edit.update({ form: { ...form, ...patch }, texts });
    setTestResult(null);
  };
  const setText = (key: keyof SurveyTexts, value: string) => {
    edit.update({ form, texts: { ...texts, [lang]: { ...texts[lang], [key]: value } } });
    setTestResult(null);
  };

  /**
   * Stores the form (with a new status, when given). What the person typed while the request was
   * on its way is not in the stored survey: the hook then keeps it in the form, unsaved.
   */
  const save = async (action: 'save' | 'send' | 'status', status?: Survey['status']) => {
    setBusy(action);
    setTestError(null);
    setTypedOnAction(action === 'send' ? 'send' : 'save');
    const result = await edit.save(async () => ({
      survey: await api<Survey>('PATCH', `/surveys/${s.id}`, {
        body: {
          name: form.name,
          ...(status ? { status } : {}),
          settings: { ...settingsPatch, editableDays: Number(form.editableDays) },
        },
      }),
      ui,
      orgColor,
    }));
    if (result) survey.setData(result.stored.survey);
    setBusy(null);
    return result;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await save('save');
  };

  /**
   * The one action of a draft: keep the edits, then the send screen activates and sends. When the
   * person typed on during the save, it stays here and says so: the send screen would otherwise
   * send a survey without those keystrokes, and they would be lost on the way.
   */
  const activateAndSend = async () => {
    const complete = edit.dirty ? (await save('send'))?.complete : true;
    if (complete) navigate(`/surveys/${s.id}/send`);
  };

  const setStatus = async (status: Survey['status']) => {
    await save('status', status);
    setConfirmArchive(false);
  };

  const testMail = async () => {
    setBusy('test');
    setTestResult(null);
    setTestError(null);
    try {
      setTestResult(
        await api<MailTestResult>('POST', `/surveys/${s.id}/test-mail`, {
          body: { locale: lang, settings: settingsPatch },
        }),
      );
    } catch (err) {
      setTestError(err);
    } finally {
      setBusy(null);
    }
  };

  const check = (
    key: 'askEmployee' | 'askContactOptIn' | 'askAmbassadorOptIn',
    label: MessageKey,
  ) => (
    <div className="checkbox">
      <input
        id={`opt-${key}`}
        type="checkbox"
        checked={form[key]}
        onChange={(e) => setField({ [key]: e.target.checked })}
      />
      <label htmlFor={`opt-${key}`}>{t(label)}</label>
    </div>
  );

  const placeholders = Object.fromEntries(
    Object.entries(PLACEHOLDER_NAMES).map(([canonical, n]) => [canonical, `{${n[ui]}}`]),
  );

  const actions = (
    <>
      <SurveyStatusBadge status={s.status} />
      {can('surveys:send') && s.status === 'draft' ? (
        <Button variant="primary" busy={busy === 'send'} onClick={() => void activateAndSend()}>
          {t('surveys.activateAndSend')}
        </Button>
      ) : null}
      {can('surveys:send') && s.status === 'active' ? (
        <Link className="btn btn-primary" to={`/surveys/${s.id}/send`}>
          {t('surveys.send')}
        </Link>
      ) : null}
      {!readOnly && s.status === 'active' ? (
        <Button onClick={() => setConfirmArchive(true)}>{t('surveys.archive')}</Button>
      ) : null}
      {!readOnly && s.status === 'archived' ? (
        <Button busy={busy === 'status'} onClick={() => void setStatus('active')}>
          {t('surveys.reactivate')}
        </Button>
      ) : null}
    </>
  );

  let lastGroup: MessageKey | null = null;
  return (
    <>
      <p className="breadcrumb">
        <Link to="/surveys">← {t('surveys.title')}</Link>
      </p>
      <PageHeader title={s.name} actions={actions} />
      {s.status === 'draft' ? <Notice>{t('surveys.draftNotice')}</Notice> : null}
      <p className="jump-to-preview">
        <a href="#survey-preview">{t('surveys.jumpToPreview')}</a>
      </p>
      <div className="editor">
        <form className="card editor-form" onSubmit={submit} noValidate>
          <ErrorMessage error={error} shownFields={['name']} />
          <SaveStatus
            saved={edit.saved}
            typedOn={edit.typedOn}
            action={typedOnAction === 'send' ? t('surveys.activateAndSend') : undefined}
          />
          <fieldset disabled={readOnly} className="plain">
            <TextField
              label={t('field.name')}
              hint={t('surveys.nameHint')}
              value={form.name}
              onChange={(e) => setField({ name: e.target.value })}
              error={fieldError(error, 'name')}
            />
            <h2>{t('surveys.texts')}</h2>
            <p className="hint">{t('surveys.textsHint', placeholders)}</p>
            <div className="segmented" role="group" aria-label={t('surveys.textLanguage')}>
              {(['nl', 'en'] as const).map((l) => (
                <button key={l} type="button" aria-pressed={lang === l} onClick={() => setLang(l)}>
                  {t(`surveys.textsIn.${l}`)}
                </button>
              ))}
            </div>
            {TEXT_KEYS.map(({ key, label, group }) => {
              const heading = group !== lastGroup ? <h3 key={`h-${group}`}>{t(group)}</h3> : null;
              lastGroup = group;
              const value = texts[lang][key];
              const isDefault = canonicalPlaceholders(value.trim()) === s.defaultTexts[lang][key];
              return (
                <div key={`${lang}-${key}`}>
                  {heading}
                  <TextAreaField
                    label={t(label)}
                    lang={lang}
                    rows={Math.max(key === 'question' ? 3 : 2, Math.ceil(value.length / 60))}
                    value={value}
                    onChange={(e) => setText(key, e.target.value)}
                    error={fieldError(error, `settings.texts.${lang}.${key}`)}
                  />
                  {!isDefault && !readOnly ? (
                    <button
                      type="button"
                      className="btn btn-link reset-text"
                      onClick={() =>
                        setText(key, displayPlaceholders(s.defaultTexts[lang][key], ui))
                      }
                    >
                      {t('surveys.resetText')}
                    </button>
                  ) : null}
                </div>
              );
            })}
            <h2>{t('surveys.options')}</h2>
            {check('askEmployee', 'surveys.askEmployee')}
            <p className="hint">{t('surveys.askEmployeeHint')}</p>
            {check('askContactOptIn', 'surveys.askContactOptIn')}
            {check('askAmbassadorOptIn', 'surveys.askAmbassadorOptIn')}
            <p className="hint">{t('surveys.optInHint')}</p>
            <TextField
              label={t('surveys.editableDays')}
              hint={t('surveys.editableDaysHint')}
              inputMode="numeric"
              value={form.editableDays}
              onChange={(e) => setField({ editableDays: e.target.value })}
              error={fieldError(error, 'settings.editableDays')}
            />
            <h2>{t('settings.branding')}</h2>
            <div className="checkbox">
              <input
                id="own-color"
                type="checkbox"
                checked={form.useBrandColor}
                onChange={(e) => setField({ useBrandColor: e.target.checked })}
              />
              <label htmlFor="own-color">{t('surveys.ownColor')}</label>
            </div>
            {form.useBrandColor ? (
              <TextField
                label={t('settings.brandColor')}
                type="color"
                value={form.brandColor}
                onChange={(e) => setField({ brandColor: e.target.value })}
                error={fieldError(error, 'settings.brandColor')}
              />
            ) : (
              <p className="hint">{t('surveys.colorFromSettings')}</p>
            )}
            <TextField
              label={t('surveys.logoUrl')}
              hint={t('surveys.logoHint')}
              type="url"
              value={form.logoUrl}
              onChange={(e) => setField({ logoUrl: e.target.value })}
              error={fieldError(error, 'settings.logoUrl')}
            />
          </fieldset>
          {!readOnly ? (
            <div className="form-actions">
              <Button type="submit" variant="primary" busy={busy === 'save'}>
                {t('common.save')}
              </Button>
              {can('surveys:write') ? (
                <Button busy={busy === 'test'} onClick={() => void testMail()}>
                  {t('surveys.testMail', { language: t(`language.${lang}`) })}
                </Button>
              ) : null}
            </div>
          ) : null}
          {testResult ? (
            <div
              className={`alert ${testResult.ok ? 'alert-success' : 'alert-error'}`}
              role="status"
              data-testid="survey-test-mail"
            >
              <p>
                <strong>{testResult.ok ? t('mail.testOk') : t('mail.testFailed')}</strong>{' '}
                {testResult.message}
              </p>
              {testResult.serverReply ? (
                <p>
                  {t('mail.serverReply')} <code>{testResult.serverReply}</code>
                </p>
              ) : null}
            </div>
          ) : null}
        </form>
        <div className="editor-side">
          <SurveyPreview surveyId={s.id} locale={lang} settings={settingsPatch} />
          <AnonymousLinkCard
            survey={s}
            busy={busy === 'status'}
            onActivate={can('surveys:write') ? () => void setStatus('active') : null}
          />
        </div>
      </div>
      <ConfirmDialog
        open={confirmArchive}
        title={t('surveys.archiveTitle')}
        confirmLabel={t('surveys.archive')}
        busy={busy === 'status'}
        onConfirm={() => void setStatus('archived')}
        onCancel={() => setConfirmArchive(false)}
      >
        <p>{t('surveys.archiveText')}</p>
      </ConfirmDialog>
    </>
  );
}

/**
 * The anonymous link and its QR code, for walk-in customers. Only an active survey has one that
 * works: a draft shows no code at all, so nobody prints one that leads to "closed".
 */
function AnonymousLinkCard(props: {
  survey: Survey;
  busy: boolean;
  onActivate: (() => void) | null;
}) {
  const t = useT();
  const s = props.survey;
  const link = anonymousLink(s);
  return (
    <section className="card" data-testid="anonymous-card">
      <h2>{t('surveys.anonymous')}</h2>
      <p>{t('surveys.anonymousText')}</p>
      {s.status === 'draft' ? (
        <div className="qr-placeholder" data-testid="qr-placeholder">
          <p>{t('surveys.qrDraft')}</p>
          {props.onActivate ? (
            <Button busy={props.busy} onClick={props.onActivate}>
              {t('surveys.activateOnly')}
            </Button>
          ) : null}
        </div>
      ) : s.status === 'archived' ? (
        <p className="hint">{t('surveys.qrArchived')}</p>
      ) : link ? (
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
          <QrCode link={link} />
        </>
      ) : null}
    </section>
  );
}

/** The QR code of the anonymous link, drawn in the browser (no service sees the link). */
function QrCode(props: { link: string }) {
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
    <div className="qr" data-testid="qr-code">
      <img src={src} alt={t('surveys.qrAlt')} width={200} height={200} />
      <p>
        <a href={src} download="loyaal-qr.svg">
          {t('surveys.downloadQr')}
        </a>
      </p>
    </div>
  );
}
