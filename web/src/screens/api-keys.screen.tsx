import { useState, type FormEvent } from 'react';
import { api } from '../api/client.ts';
import type { ApiKey } from '../api/types.ts';
import { useFormat, useT } from '../i18n/i18n.tsx';
import { useLoad } from '../lib/use-load.hook.ts';
import { ConfirmDialog, CopyButton } from '../components/confirm-dialog.component.tsx';
import {
  Badge,
  Button,
  EmptyState,
  ErrorMessage,
  Loading,
  Notice,
  PageHeader,
  SelectField,
  TextField,
  fieldError,
} from '../components/ui.component.tsx';

/** API keys for the CRM or webshop; the secret is shown once, right after creating it. */
export function ApiKeysScreen() {
  const t = useT();
  const fmt = useFormat();
  const keys = useLoad(() => api<{ items: ApiKey[] }>('GET', '/api-keys'), []);
  const [form, setForm] = useState({ name: '', role: 'admin' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSecret(null);
    try {
      const res = await api<ApiKey & { secret: string }>('POST', '/api-keys', { body: form });
      setSecret(res.secret);
      setForm({ name: '', role: form.role });
      keys.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async () => {
    if (!revoking) return;
    try {
      await api('POST', `/api-keys/${revoking.id}/revoke`);
      keys.reload();
    } catch (err) {
      setError(err);
    } finally {
      setRevoking(null);
    }
  };

  return (
    <>
      <PageHeader title={t('apiKeys.title')} intro={t('apiKeys.intro')} />
      <form className="card" onSubmit={create} noValidate>
        <h2>{t('apiKeys.create')}</h2>
        <ErrorMessage error={error} shownFields={['name', 'role']} />
        <div className="grid-3">
          <TextField
            label={t('apiKeys.name')}
            hint={t('apiKeys.nameHint')}
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
            error={fieldError(error, 'name')}
          />
          <SelectField
            label={t('team.role')}
            value={form.role}
            onChange={(e) => setForm({ ...form, role: e.target.value })}
            options={(['admin', 'manager', 'viewer'] as const).map((r) => ({
              value: r,
              label: t(`role.${r}`),
            }))}
          />
        </div>
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={busy}>
            {t('apiKeys.createButton')}
          </Button>
        </div>
        {secret ? (
          <Notice tone="warning">
            <p>
              <strong>{t('apiKeys.secretOnce')}</strong>
            </p>
            <p className="secret">
              <code data-testid="api-key-secret">{secret}</code> <CopyButton text={secret} />
            </p>
          </Notice>
        ) : null}
      </form>
      <section className="card">
        <h2>{t('apiKeys.list')}</h2>
        {keys.loading && !keys.data ? <Loading /> : null}
        <ErrorMessage error={keys.error} />
        {keys.data && keys.data.items.length === 0 ? (
          <EmptyState title={t('apiKeys.empty')} text={t('apiKeys.emptyText')} />
        ) : null}
        {keys.data?.items.length ? (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('apiKeys.name')}</th>
                  <th scope="col">{t('apiKeys.prefix')}</th>
                  <th scope="col">{t('team.role')}</th>
                  <th scope="col">{t('apiKeys.lastUsed')}</th>
                  <th scope="col">
                    <span className="sr-only">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {keys.data.items.map((k) => (
                  <tr key={k.id}>
                    <td>{k.name}</td>
                    <td>
                      <code>{k.prefix}…</code>
                    </td>
                    <td>{t(`role.${k.role}`)}</td>
                    <td>{k.lastUsedAt ? fmt.dateTime(k.lastUsedAt) : t('apiKeys.never')}</td>
                    <td>
                      {k.revokedAt ? (
                        <Badge tone="grey">{t('apiKeys.revoked')}</Badge>
                      ) : (
                        <Button variant="link" onClick={() => setRevoking(k)}>
                          {t('apiKeys.revoke')}
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      <ConfirmDialog
        open={!!revoking}
        title={t('apiKeys.revokeTitle', { name: revoking?.name ?? '' })}
        confirmLabel={t('apiKeys.revoke')}
        onCancel={() => setRevoking(null)}
        onConfirm={() => void revoke()}
      >
        <p>{t('apiKeys.revokeText')}</p>
      </ConfirmDialog>
    </>
  );
}
