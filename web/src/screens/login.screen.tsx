import { useState, type FormEvent, type ReactNode } from 'react';
import { api } from '../api/client.ts';
import { useLocale, useT } from '../i18n/i18n.tsx';
import { LanguageSwitch } from '../components/language-switch.component.tsx';
import { Button, ErrorMessage, TextField, fieldError } from '../components/ui.component.tsx';

function AuthFrame(props: { title: string; intro: string; children: ReactNode }) {
  return (
    <main className="auth">
      <div className="auth-card">
        <div className="auth-top">
          <span className="brand">Loyaal</span>
          <LanguageSwitch />
        </div>
        <h1>{props.title}</h1>
        <p className="intro">{props.intro}</p>
        {props.children}
      </div>
    </main>
  );
}

/** Logging in with email and password. */
export function LoginScreen(props: { onDone: (csrfToken: string) => void }) {
  const t = useT();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await api<{ csrfToken: string }>('POST', '/auth/login', {
        body: { email, password },
      });
      props.onDone(res.csrfToken);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <AuthFrame title={t('login.title')} intro={t('login.intro')}>
      <form onSubmit={submit} noValidate>
        <ErrorMessage error={error} shownFields={['email', 'password']} />
        <TextField
          label={t('field.email')}
          type="email"
          name="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={fieldError(error, 'email')}
        />
        <TextField
          label={t('field.password')}
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fieldError(error, 'password')}
        />
        <Button type="submit" variant="primary" busy={busy}>
          {t('login.submit')}
        </Button>
      </form>
    </AuthFrame>
  );
}

/** First visit: creates the organisation and its owner, who is then logged in. */
export function SetupScreen(props: { onDone: (csrfToken: string) => void }) {
  const t = useT();
  const { locale } = useLocale();
  const [form, setForm] = useState({ organisationName: '', name: '', email: '', password: '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [k]: e.target.value });
  const fields = ['organisationName', 'name', 'email', 'password'];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await api<{ csrfToken: string }>('POST', '/setup', {
        body: { ...form, locale },
      });
      props.onDone(res.csrfToken);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <AuthFrame title={t('setup.title')} intro={t('setup.intro')}>
      <form onSubmit={submit} noValidate>
        <ErrorMessage error={error} shownFields={fields} />
        <TextField
          label={t('setup.organisationName')}
          hint={t('setup.organisationNameHint')}
          name="organisationName"
          autoComplete="organization"
          value={form.organisationName}
          onChange={set('organisationName')}
          error={fieldError(error, 'organisationName')}
        />
        <TextField
          label={t('setup.yourName')}
          name="name"
          autoComplete="name"
          value={form.name}
          onChange={set('name')}
          error={fieldError(error, 'name')}
        />
        <TextField
          label={t('field.email')}
          type="email"
          name="email"
          autoComplete="username"
          value={form.email}
          onChange={set('email')}
          error={fieldError(error, 'email')}
        />
        <TextField
          label={t('field.password')}
          hint={t('setup.passwordHint')}
          type="password"
          name="password"
          autoComplete="new-password"
          value={form.password}
          onChange={set('password')}
          error={fieldError(error, 'password')}
        />
        <Button type="submit" variant="primary" busy={busy}>
          {t('setup.submit')}
        </Button>
      </form>
    </AuthFrame>
  );
}

export { AuthFrame };
