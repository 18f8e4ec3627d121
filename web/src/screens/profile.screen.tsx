import { useState } from 'react';
import { api } from '../api/client.ts';
import type { DigestSetting } from '../api/types.ts';
import { useT } from '../i18n/i18n.tsx';
import { useSession } from '../lib/session.tsx';
import { useLoad } from '../lib/use-load.hook.ts';
import { ErrorMessage, Loading, Notice, PageHeader } from '../components/ui.component.tsx';

/**
 * `/profile`: the logged-in member's own settings in this organisation. Today the weekly digest
 * email: on or off, saved at once; the hint says what the role gets by default.
 */
export function ProfileScreen() {
  const t = useT();
  const { me } = useSession();
  const setting = useLoad(() => api<DigestSetting>('GET', '/me/weekly-digest'), []);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  if (setting.loading && !setting.data) return <Loading />;
  if (!setting.data) return <ErrorMessage error={setting.error} />;
  const current = setting.data;

  const toggle = async (weeklyDigest: boolean) => {
    setBusy(true);
    setError(null);
    setSaved(false);
    // Shown at once; put back if the server refuses.
    setting.setData({ ...current, weeklyDigest });
    try {
      setting.setData(
        await api<DigestSetting>('PUT', '/me/weekly-digest', { body: { weeklyDigest } }),
      );
      setSaved(true);
    } catch (err) {
      setting.setData(current);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title={t('profile.title')} intro={me.user?.email} />
      <section className="card">
        <h2>{t('profile.digestTitle')}</h2>
        <ErrorMessage error={error} shownFields={['weeklyDigest']} />
        {saved ? (
          <Notice tone="success">
            {current.weeklyDigest ? t('profile.digestOn') : t('profile.digestOff')}
          </Notice>
        ) : null}
        <div className="checkbox">
          <input
            id="weeklyDigest"
            type="checkbox"
            checked={current.weeklyDigest}
            disabled={busy}
            onChange={(e) => void toggle(e.target.checked)}
          />
          <label htmlFor="weeklyDigest">{t('profile.digest')}</label>
        </div>
        <p className="hint">
          {t('profile.digestHint', { organisation: me.organisation.name })}{' '}
          {current.byDefault ? t('profile.digestDefaultOn') : t('profile.digestDefaultOff')}
        </p>
      </section>
    </>
  );
}
