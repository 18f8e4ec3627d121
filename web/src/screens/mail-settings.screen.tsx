import { useState, type FormEvent } from 'react';
import { api } from '../api/client.ts';
import type { MailSettings, MailTestResult } from '../api/types.ts';
import { useFormat, useT } from '../i18n/i18n.tsx';
import { Link } from '../lib/router.tsx';
import { useSession } from '../lib/session.tsx';
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

type Security = 'starttls' | 'tls' | 'none';
const PORTS: Record<Security, string> = { starttls: '587', tls: '465', none: '25' };

interface Form {
  own: boolean;
  host: string;
  port: string;
  security: Security;
  username: string;
  password: string;
  removePassword: boolean;
  fromAddress: string;
  replyTo: string;
}

function formOf(s: MailSettings, replyTo: string | null): Form {
  return {
    own: s.server !== null,
    host: s.server?.host ?? '',
    port: String(s.server?.port ?? 587),
    security: s.server?.security ?? 'starttls',
    username: s.server?.username ?? '',
    password: '',
    removePassword: false,
    fromAddress: s.server?.fromAddress ?? '',
    replyTo: replyTo ?? '',
  };
}

/**
 * The organisation's mail: where invitations leave from (its own server, the installation's, or
 * nowhere), the sender and reply-to address, and "send a test mail to me" with the server's own
 * answer. The password is write-only: the screen never receives it back.
 */
export function MailSettingsScreen() {
  const t = useT();
  const fmt = useFormat();
  const { me, refresh } = useSession();
  const settings = useLoad(() => api<MailSettings>('GET', '/mail-server'), []);
  const [form, setForm] = useState<Form | null>(null);
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'save' | 'test' | null>(null);
  const [saved, setSaved] = useState(false);
  const [result, setResult] = useState<MailTestResult | null>(null);

  // The form takes the loaded settings during the render that brings them, not in an effect after
  // it (the screen's other forms do the same: none shows, even for one frame, values not stored).
  const storedReplyTo = me.organisation.settings.replyTo;
  const [shown, setShown] = useState<{ data: MailSettings; replyTo: string | null } | null>(null);
  if (
    settings.data &&
    !dirty &&
    (settings.data !== shown?.data || storedReplyTo !== shown.replyTo)
  ) {
    setShown({ data: settings.data, replyTo: storedReplyTo });
    setForm(formOf(settings.data, storedReplyTo));
  }

  if (!settings.data || !form)
    return settings.loading ? <Loading /> : <ErrorMessage error={settings.error} />;
  const s = settings.data;
  const set = (patch: Partial<Form>) => {
    setForm({ ...form, ...patch });
    setDirty(true);
    setSaved(false);
  };

  const save = async (): Promise<boolean> => {
    setError(null);
    try {
      let next: MailSettings;
      if (form.own) {
        next = await api<MailSettings>('PUT', '/mail-server', {
          body: {
            host: form.host,
            port: form.port,
            security: form.security,
            username: form.username.trim() || null,
            ...(form.password
              ? { password: form.password }
              : form.removePassword
                ? { password: null }
                : {}),
            fromAddress: form.fromAddress,
          },
        });
      } else {
        next = await api<MailSettings>('DELETE', '/mail-server');
      }
      const replyTo = form.replyTo.trim() || null;
      if (replyTo !== me.organisation.settings.replyTo) {
        await api('PATCH', '/organisation', { body: { settings: { replyTo } } });
        await refresh();
      }
      settings.setData(next);
      setDirty(false);
      setForm(formOf(next, replyTo));
      return true;
    } catch (err) {
      setError(err);
      return false;
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy('save');
    setResult(null);
    if (await save()) setSaved(true);
    setBusy(null);
  };

  const test = async () => {
    setBusy('test');
    setResult(null);
    setSaved(false);
    try {
      if (dirty && !(await save())) return;
      setResult(await api<MailTestResult>('POST', '/mail-server/test'));
      settings.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const err = (f: string) => fieldError(error, f);
  const route =
    s.source === 'organisation' && s.server
      ? t('mail.route.organisation', { host: s.server.host })
      : s.source === 'installation' && s.installation
        ? t('mail.route.installation', { host: s.installation.host })
        : t('mail.route.none');

  return (
    <>
      <p className="breadcrumb">
        <Link to="/settings">← {t('settings.title')}</Link>
      </p>
      <PageHeader title={t('mail.title')} intro={t('mail.intro')} />
      <section className={`card narrow mail-route ${s.delivers ? 'ok' : 'warn'}`}>
        <h2>{t('mail.now')}</h2>
        <p data-testid="mail-route">{route}</p>
        {s.problem === 'password_unreadable' ? (
          <Notice tone="warning">{t('mail.banner.unusableText')}</Notice>
        ) : null}
        {s.lastTest ? (
          <p className="hint">
            {s.lastTest.ok
              ? t('mail.lastTestOk', { when: fmt.dateTime(s.lastTest.at) })
              : t('mail.lastTestFailed', { when: fmt.dateTime(s.lastTest.at) })}
          </p>
        ) : null}
      </section>
      <form className="card narrow" onSubmit={submit} noValidate>
        <ErrorMessage
          error={error}
          shownFields={[
            'host',
            'port',
            'security',
            'username',
            'password',
            'fromAddress',
            'settings.replyTo',
          ]}
        />
        {saved ? <Notice tone="success">{t('common.saved')}</Notice> : null}
        <fieldset className="plain stack">
          <legend className="field-legend">{t('mail.server')}</legend>
          <div className="checkbox">
            <input
              type="radio"
              id="mail-default"
              name="mail-mode"
              checked={!form.own}
              onChange={() => set({ own: false })}
            />
            <label htmlFor="mail-default">
              {s.installation
                ? t('mail.useInstallation', { host: s.installation.host })
                : t('mail.useNone')}
            </label>
          </div>
          <div className="checkbox">
            <input
              type="radio"
              id="mail-own"
              name="mail-mode"
              checked={form.own}
              onChange={() => set({ own: true })}
            />
            <label htmlFor="mail-own">{t('mail.useOwn')}</label>
          </div>
        </fieldset>
        {form.own ? (
          <>
            <p className="hint">{t('mail.ownHint')}</p>
            <div className="grid-2">
              <TextField
                label={t('mail.host')}
                hint={t('mail.hostHint')}
                autoComplete="off"
                spellCheck={false}
                value={form.host}
                onChange={(e) => set({ host: e.target.value })}
                error={err('host')}
              />
              <SelectField
                label={t('mail.security')}
                value={form.security}
                onChange={(e) => {
                  const security = e.target.value as Security;
                  // A port that belonged to the previous choice follows the new one.
                  const port = form.port === PORTS[form.security] ? PORTS[security] : form.port;
                  set({ security, port });
                }}
                options={[
                  { value: 'starttls', label: t('mail.security.starttls') },
                  { value: 'tls', label: t('mail.security.tls') },
                  { value: 'none', label: t('mail.security.none') },
                ]}
                error={err('security')}
              />
              <TextField
                label={t('mail.port')}
                inputMode="numeric"
                value={form.port}
                onChange={(e) => set({ port: e.target.value })}
                error={err('port')}
              />
              <TextField
                label={t('mail.username')}
                hint={t('mail.usernameHint')}
                autoComplete="off"
                spellCheck={false}
                value={form.username}
                onChange={(e) => set({ username: e.target.value })}
                error={err('username')}
              />
              <TextField
                label={t('mail.password')}
                type="password"
                autoComplete="new-password"
                placeholder={s.server?.hasPassword ? t('mail.passwordStored') : ''}
                hint={
                  s.secretKeyConfigured
                    ? s.server?.hasPassword
                      ? t('mail.passwordKeep')
                      : t('mail.passwordHint')
                    : t('mail.noSecretKey')
                }
                value={form.password}
                onChange={(e) => set({ password: e.target.value })}
                error={err('password')}
              />
              <TextField
                label={t('mail.fromAddress')}
                hint={t('mail.fromAddressHint')}
                type="email"
                value={form.fromAddress}
                onChange={(e) => set({ fromAddress: e.target.value })}
                error={err('fromAddress')}
              />
            </div>
            {s.server?.hasPassword ? (
              <div className="checkbox">
                <input
                  type="checkbox"
                  id="mail-remove-password"
                  checked={form.removePassword}
                  onChange={(e) => set({ removePassword: e.target.checked })}
                />
                <label htmlFor="mail-remove-password">{t('mail.removePassword')}</label>
              </div>
            ) : null}
          </>
        ) : null}
        <TextField
          label={t('mail.replyTo')}
          hint={t('mail.replyToHint')}
          type="email"
          value={form.replyTo}
          onChange={(e) => set({ replyTo: e.target.value })}
          error={err('settings.replyTo')}
        />
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={busy === 'save'} disabled={busy !== null}>
            {t('common.save')}
          </Button>
          <Button busy={busy === 'test'} disabled={busy !== null} onClick={() => void test()}>
            {dirty ? t('mail.saveAndTest') : t('mail.test')}
          </Button>
        </div>
        {result ? <TestOutcome result={result} /> : null}
      </form>
    </>
  );
}

/** What the server answered to the test mail, in plain words and in its own. */
function TestOutcome(props: { result: MailTestResult }) {
  const t = useT();
  const r = props.result;
  return (
    <div
      className={`alert ${r.ok ? 'alert-success' : 'alert-error'} test-outcome`}
      role="status"
      data-testid="mail-test-result"
    >
      <p>
        <strong>{r.ok ? t('mail.testOk') : t('mail.testFailed')}</strong> {r.message}
      </p>
      {r.serverReply ? (
        <p className="server-reply">
          {t('mail.serverReply')} <code>{r.serverReply}</code>
        </p>
      ) : null}
    </div>
  );
}
