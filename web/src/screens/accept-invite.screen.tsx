import { useState, type FormEvent } from 'react';
import { api } from '../api/client.ts';
import type { PublicInvite } from '../api/types.ts';
import { useT } from '../i18n/i18n.tsx';
import { useLoad } from '../lib/use-load.hook.ts';
import {
  Button,
  ErrorMessage,
  Loading,
  TextField,
  fieldError,
} from '../components/ui.component.tsx';
import { AuthFrame } from './login.screen.tsx';

/** `/admin/invite/:token`: a colleague sets a name and password (or confirms theirs) and joins. */
export function AcceptInviteScreen(props: {
  token: string;
  onAccepted: (csrfToken: string) => void;
}) {
  const t = useT();
  const invite = useLoad(
    () => api<PublicInvite>('GET', `/public/invites/${encodeURIComponent(props.token)}`),
    [props.token],
  );
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await api<{ csrfToken: string }>(
        'POST',
        `/public/invites/${encodeURIComponent(props.token)}/accept`,
        { body: { name: invite.data?.existingUser ? 'x' : name, password } },
      );
      props.onAccepted(res.csrfToken);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  if (invite.loading) return <Loading />;
  if (!invite.data) {
    return (
      <AuthFrame title={t('invite.title')} intro={t('invite.invalidIntro')}>
        <ErrorMessage error={invite.error} />
      </AuthFrame>
    );
  }
  const inv = invite.data;
  return (
    <AuthFrame
      title={t('invite.title')}
      intro={t('invite.intro', {
        organisation: inv.organisationName,
        role: t(`role.${inv.role}`),
      })}
    >
      <form onSubmit={submit} noValidate>
        <ErrorMessage error={error} shownFields={['name', 'password']} />
        <p>
          {t('field.email')}: <strong>{inv.email}</strong>
        </p>
        {inv.existingUser ? (
          <p className="hint">{t('invite.existingUser')}</p>
        ) : (
          <TextField
            label={t('setup.yourName')}
            autoComplete="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={fieldError(error, 'name')}
          />
        )}
        <TextField
          label={t('field.password')}
          hint={inv.existingUser ? undefined : t('setup.passwordHint')}
          type="password"
          autoComplete={inv.existingUser ? 'current-password' : 'new-password'}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fieldError(error, 'password')}
        />
        <Button type="submit" variant="primary" busy={busy}>
          {t('invite.submit')}
        </Button>
      </form>
    </AuthFrame>
  );
}
