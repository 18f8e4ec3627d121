import { useState, type ChangeEvent, type FormEvent } from 'react';
import { api, upload, type Locale } from '../api/client.ts';
import type { ContactRules, Organisation } from '../api/types.ts';
import type { RetentionStatus } from '../../../src/modules/privacy/privacy.routes.ts';
import { useFormat, useT, type MessageKey } from '../i18n/i18n.tsx';
import { useLoad } from '../lib/use-load.hook.ts';
import { Link } from '../lib/router.tsx';
import { useSession } from '../lib/session.tsx';
import {
  Button,
  ErrorMessage,
  Notice,
  PageHeader,
  SelectField,
  TextField,
  fieldError,
} from '../components/ui.component.tsx';

const RULES: ReadonlyArray<{ key: keyof ContactRules; label: MessageKey; hint: MessageKey }> = [
  { key: 'maxInvitationsPer365Days', label: 'rules.maxPerYear', hint: 'rules.maxPerYearHint' },
  { key: 'minDaysBetweenInvitations', label: 'rules.minDays', hint: 'rules.minDaysHint' },
  { key: 'accountMaxContactsPerWindow', label: 'rules.accountMax', hint: 'rules.accountMaxHint' },
  { key: 'accountWindowDays', label: 'rules.accountWindow', hint: 'rules.accountWindowHint' },
  { key: 'recentResponseDays', label: 'rules.recentResponse', hint: 'rules.recentResponseHint' },
  { key: 'reminderAfterDays', label: 'rules.reminderAfter', hint: 'rules.reminderAfterHint' },
  { key: 'maxReminders', label: 'rules.maxReminders', hint: 'rules.maxRemindersHint' },
];

/** Organisation settings: name, default language, brand colour, privacy and contact rules. */
export function SettingsScreen() {
  const t = useT();
  const { me, refresh } = useSession();
  const org = me.organisation;
  const [form, setForm] = useState({
    name: org.name,
    locale: org.locale,
    brandColor: org.settings.brandColor,
    senderName: org.settings.senderName ?? '',
    logoUrl: org.settings.logoUrl ?? '',
    employeeNpsEnabled: org.settings.employeeNpsEnabled,
    retentionMonths: String(org.settings.retentionMonths),
    formality: org.settings.formality,
  });
  const [rules, setRules] = useState<Record<string, string> | null>(
    org.settings.contactRules
      ? Object.fromEntries(
          Object.entries(org.settings.contactRules).map(([k, v]) => [k, String(v)]),
        )
      : null,
  );
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await api<Organisation>('PATCH', '/organisation', {
        body: {
          name: form.name,
          locale: form.locale,
          settings: {
            brandColor: form.brandColor,
            senderName: form.senderName.trim() || null,
            logoUrl: form.logoUrl.trim() || null,
            employeeNpsEnabled: form.employeeNpsEnabled,
            retentionMonths: Number(form.retentionMonths),
            formality: form.formality,
            ...(rules
              ? {
                  contactRules: Object.fromEntries(
                    Object.entries(rules).map(([k, v]) => [k, Number(v)]),
                  ),
                }
              : {}),
          },
        },
      });
      await refresh();
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const err = (f: string) => fieldError(error, f);
  return (
    <>
      <PageHeader title={t('settings.title')} intro={t('settings.intro')} />
      <section className="card narrow">
        <h2>{t('settings.mailCard')}</h2>
        <p>{t('settings.mailCardText')}</p>
        <p>
          <Link className="btn btn-secondary" to="/settings/mail">
            {t('settings.mailCardLink')}
          </Link>
        </p>
      </section>
      <section className="card narrow">
        <h2>{t('settings.reviewsCard')}</h2>
        <p>{t('settings.reviewsCardText')}</p>
        <p>
          <Link className="btn btn-secondary" to="/settings/reviews">
            {t('settings.reviewsCardLink')}
          </Link>
        </p>
      </section>
      <form className="card narrow" onSubmit={submit} noValidate>
        <ErrorMessage
          error={error}
          shownFields={[
            'name',
            'locale',
            'settings.brandColor',
            'settings.senderName',
            'settings.logoUrl',
            'settings.retentionMonths',
            ...RULES.map((r) => `settings.contactRules.${r.key}`),
          ]}
        />
        {saved ? <Notice tone="success">{t('common.saved')}</Notice> : null}
        <h2>{t('settings.organisation')}</h2>
        <TextField
          label={t('settings.name')}
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
          error={err('name')}
        />
        <SelectField
          label={t('settings.locale')}
          hint={t('settings.localeHint')}
          value={form.locale}
          onChange={(e) => setForm({ ...form, locale: e.target.value as Locale })}
          options={[
            { value: 'nl', label: t('language.nl') },
            { value: 'en', label: t('language.en') },
          ]}
        />
        <fieldset className="plain stack" data-testid="formality">
          <legend className="field-legend">{t('settings.formality')}</legend>
          {(['u', 'je'] as const).map((f) => (
            <div className="checkbox" key={f}>
              <input
                type="radio"
                id={`formality-${f}`}
                name="formality"
                checked={form.formality === f}
                onChange={() => setForm({ ...form, formality: f })}
              />
              <label htmlFor={`formality-${f}`}>{t(`settings.formality.${f}`)}</label>
            </div>
          ))}
          <p className="hint">{t('settings.formalityHint')}</p>
        </fieldset>
        <h2>{t('settings.branding')}</h2>
        <LogoUpload />
        <div className="color-row">
          <TextField
            label={t('settings.brandColor')}
            hint={t('settings.brandColorHint')}
            type="color"
            value={form.brandColor}
            onChange={(e) => setForm({ ...form, brandColor: e.target.value })}
            error={err('settings.brandColor')}
          />
          <span className="swatch" style={{ background: form.brandColor }} aria-hidden="true" />
        </div>
        <TextField
          label={t('settings.senderName')}
          hint={t('settings.senderNameHint')}
          value={form.senderName}
          onChange={(e) => setForm({ ...form, senderName: e.target.value })}
          error={err('settings.senderName')}
        />
        <TextField
          label={t('settings.logoUrl')}
          hint={org.settings.logoId ? t('settings.logoUrlOverruled') : t('settings.logoUrlHint')}
          type="url"
          value={form.logoUrl}
          onChange={(e) => setForm({ ...form, logoUrl: e.target.value })}
          error={err('settings.logoUrl')}
        />
        <h2>{t('settings.privacy')}</h2>
        <div className="checkbox">
          <input
            id="employeeNps"
            type="checkbox"
            checked={form.employeeNpsEnabled}
            onChange={(e) => setForm({ ...form, employeeNpsEnabled: e.target.checked })}
          />
          <label htmlFor="employeeNps">{t('settings.employeeNps')}</label>
        </div>
        <p className="hint">{t('settings.employeeNpsHint')}</p>
        <TextField
          label={t('settings.retention')}
          hint={t('settings.retentionHint')}
          type="number"
          min={6}
          max={120}
          value={form.retentionMonths}
          onChange={(e) => setForm({ ...form, retentionMonths: e.target.value })}
          error={err('settings.retentionMonths')}
        />
        <RetentionSummary />
        {rules ? (
          <>
            <h2>{t('rules.title')}</h2>
            <p className="hint">{t('rules.intro')}</p>
            <div className="grid-2">
              {RULES.map((r) => (
                <TextField
                  key={r.key}
                  label={t(r.label)}
                  hint={t(r.hint)}
                  type="number"
                  min={0}
                  value={rules[r.key] ?? ''}
                  onChange={(e) => setRules({ ...rules, [r.key]: e.target.value })}
                  error={err(`settings.contactRules.${r.key}`)}
                />
              ))}
            </div>
          </>
        ) : null}
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={busy}>
            {t('common.save')}
          </Button>
        </div>
      </form>
    </>
  );
}

/** What the nightly clean-up did last: the retention period at work, in figures. */
function RetentionSummary() {
  const t = useT();
  const f = useFormat();
  const { data } = useLoad(() => api<RetentionStatus>('GET', '/privacy/retention'), []);
  if (!data) return null;
  const last = data.lastRun;
  if (!last) {
    return (
      <p className="hint" data-testid="retention-summary">
        {t('settings.retentionNotYet')}
      </p>
    );
  }
  const rows: [MessageKey, number][] = [
    ['settings.retentionResponses', last.anonymisedResponses],
    ['settings.retentionEmailBodies', last.deletedEmailBodies],
    ['settings.retentionEmailAddresses', last.anonymisedEmails],
    ['settings.retentionLinks', last.deletedLinkTokens],
  ];
  return (
    <div className="retention-summary" data-testid="retention-summary">
      <p className="hint">{t('settings.retentionLastRun', { at: f.dateTime(last.at) })}</p>
      <dl className="facts">
        {rows.map(([label, n]) => (
          <div key={label}>
            <dt>{t(label)}</dt>
            <dd>{f.number(n)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/**
 * The logo by upload: PNG or JPEG, checked by the server (what it really is, its size), stored by
 * this installation and shown in emails and on the response pages. It wins over a logo address.
 */
function LogoUpload() {
  const t = useT();
  const { me, refresh } = useSession();
  const logoId = me.organisation.settings.logoId;
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      await refresh();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const onFile = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (file) void run(() => upload<Organisation>('/organisation/logo', file));
  };
  return (
    <div className="logo-upload" data-testid="logo-upload">
      <p className="field-legend">{t('settings.logo')}</p>
      {logoId ? (
        <img className="logo-preview" src={`/logos/${logoId}`} alt={t('settings.logoAlt')} />
      ) : (
        <p className="hint">{t('settings.noLogo')}</p>
      )}
      <ErrorMessage error={error} />
      <div className="stack-row">
        <label className={`btn btn-secondary${busy ? ' disabled' : ''}`}>
          {logoId ? t('settings.replaceLogo') : t('settings.uploadLogo')}
          <input
            className="sr-only"
            type="file"
            accept="image/png,image/jpeg"
            disabled={busy}
            onChange={onFile}
            data-testid="logo-file"
          />
        </label>
        {logoId ? (
          <Button
            variant="link"
            busy={busy}
            onClick={() => void run(() => api('DELETE', '/organisation/logo'))}
          >
            {t('settings.removeLogo')}
          </Button>
        ) : null}
      </div>
      <p className="hint">{t('settings.logoHint')}</p>
    </div>
  );
}
