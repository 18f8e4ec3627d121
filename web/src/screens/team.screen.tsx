import { useState, type FormEvent } from 'react';
import { api } from '../api/client.ts';
import type { Invite, Member } from '../api/types.ts';
import { useFormat, useT } from '../i18n/i18n.tsx';
import type { Role } from '../lib/permissions.ts';
import { useSession } from '../lib/session.tsx';
import { useEmployees } from '../lib/lookups.hook.ts';
import { useLoad } from '../lib/use-load.hook.ts';
import { ConfirmDialog, CopyButton } from '../components/confirm-dialog.component.tsx';
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

const ROLES: readonly Role[] = ['owner', 'admin', 'manager', 'account_manager', 'viewer'];

/** Team: who can log in, with which role; invite a colleague and hand them the link. */
export function TeamScreen() {
  const t = useT();
  const fmt = useFormat();
  const { me } = useSession();
  const employees = useEmployees();
  const members = useLoad(() => api<{ items: Member[] }>('GET', '/members'), []);
  const invites = useLoad(() => api<{ items: Invite[] }>('GET', '/invites'), []);
  const [error, setError] = useState<unknown>(null);
  const [removing, setRemoving] = useState<Member | null>(null);
  // Only owners hand out the owner role (the API refuses it to others).
  const grantable = ROLES.filter((r) => me.role === 'owner' || r !== 'owner');
  const roleOptions = grantable.map((r) => ({ value: r, label: t(`role.${r}`) }));
  const employeeOptions = [
    { value: '', label: t('common.none') },
    ...employees.map((e) => ({ value: e.id, label: e.name })),
  ];

  const update = async (m: Member, patch: { role?: Role; employeeId?: string | null }) => {
    setError(null);
    try {
      const updated = await api<Member>('PATCH', `/members/${m.id}`, { body: patch });
      members.setData({
        items: (members.data?.items ?? []).map((x) => (x.id === m.id ? updated : x)),
      });
    } catch (e) {
      setError(e);
    }
  };

  const remove = async () => {
    if (!removing) return;
    setError(null);
    try {
      await api('DELETE', `/members/${removing.id}`);
      members.reload();
    } catch (e) {
      setError(e);
    } finally {
      setRemoving(null);
    }
  };

  const revoke = async (id: string) => {
    setError(null);
    try {
      await api('POST', `/invites/${id}/revoke`);
      invites.reload();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <>
      <PageHeader title={t('team.title')} intro={t('team.intro')} />
      <ErrorMessage error={error ?? members.error} />
      <section className="card">
        <h2>{t('team.members')}</h2>
        {members.loading && !members.data ? <Loading /> : null}
        {members.data ? (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('field.name')}</th>
                  <th scope="col">{t('field.email')}</th>
                  <th scope="col">{t('team.role')}</th>
                  <th scope="col">{t('team.employee')}</th>
                  <th scope="col">
                    <span className="sr-only">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {members.data.items.map((m) => {
                  const self = m.userId === me.user?.id;
                  const locked = self || (m.role === 'owner' && me.role !== 'owner');
                  return (
                    <tr key={m.id}>
                      <td>{m.name}</td>
                      <td>{m.email}</td>
                      <td>
                        {locked ? (
                          t(`role.${m.role}`)
                        ) : (
                          <select
                            aria-label={t('team.roleOf', { name: m.name })}
                            value={m.role}
                            onChange={(e) => void update(m, { role: e.target.value as Role })}
                          >
                            {roleOptions.map((o) => (
                              <option key={o.value} value={o.value}>
                                {o.label}
                              </option>
                            ))}
                          </select>
                        )}
                      </td>
                      <td>
                        <select
                          aria-label={t('team.employeeOf', { name: m.name })}
                          value={m.employeeId ?? ''}
                          disabled={locked && !self}
                          onChange={(e) => void update(m, { employeeId: e.target.value || null })}
                        >
                          {employeeOptions.map((o) => (
                            <option key={o.value} value={o.value}>
                              {o.label}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        {!locked ? (
                          <Button variant="link" onClick={() => setRemoving(m)}>
                            {t('team.remove')}
                          </Button>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : null}
        <p className="hint">{t('team.rolesExplained')}</p>
      </section>
      <InviteForm
        roleOptions={roleOptions}
        employeeOptions={employeeOptions}
        onInvited={invites.reload}
      />
      {invites.data?.items.length ? (
        <section className="card">
          <h2>{t('team.openInvites')}</h2>
          <ul className="plain-list">
            {invites.data.items.map((i) => (
              <li key={i.id}>
                <strong>{i.email}</strong> · {t(`role.${i.role}`)} ·{' '}
                <span className="muted">{t('team.expires', { at: fmt.date(i.expiresAt) })}</span>{' '}
                <Button variant="link" onClick={() => void revoke(i.id)}>
                  {t('team.revoke')}
                </Button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <ConfirmDialog
        open={!!removing}
        title={t('team.removeTitle', { name: removing?.name ?? '' })}
        confirmLabel={t('team.remove')}
        onCancel={() => setRemoving(null)}
        onConfirm={() => void remove()}
      >
        <p>{t('team.removeText')}</p>
      </ConfirmDialog>
    </>
  );
}

function InviteForm(props: {
  roleOptions: Array<{ value: string; label: string }>;
  employeeOptions: Array<{ value: string; label: string }>;
  onInvited: () => void;
}) {
  const t = useT();
  const [form, setForm] = useState({ email: '', role: 'viewer', employeeId: '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [link, setLink] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setLink(null);
    try {
      const res = await api<{ acceptUrl: string }>('POST', '/invites', {
        body: { email: form.email, role: form.role, employeeId: form.employeeId || null },
      });
      setLink(res.acceptUrl);
      setForm({ email: '', role: form.role, employeeId: '' });
      props.onInvited();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card" onSubmit={submit} noValidate>
      <h2>{t('team.invite')}</h2>
      <p className="hint">{t('team.inviteIntro')}</p>
      <ErrorMessage error={error} shownFields={['email', 'role', 'employeeId']} />
      <div className="grid-3">
        <TextField
          label={t('field.email')}
          type="email"
          value={form.email}
          onChange={(e) => setForm({ ...form, email: e.target.value })}
          error={fieldError(error, 'email')}
        />
        <SelectField
          label={t('team.role')}
          value={form.role}
          onChange={(e) => setForm({ ...form, role: e.target.value })}
          options={props.roleOptions}
          error={fieldError(error, 'role')}
        />
        <SelectField
          label={t('team.employee')}
          hint={t('team.employeeHint')}
          value={form.employeeId}
          onChange={(e) => setForm({ ...form, employeeId: e.target.value })}
          options={props.employeeOptions}
          error={fieldError(error, 'employeeId')}
        />
      </div>
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy}>
          {t('team.sendInvite')}
        </Button>
      </div>
      {link ? (
        <Notice tone="success">
          <p>{t('team.linkReady')}</p>
          <p className="secret">
            <code>{link}</code> <CopyButton text={link} />
          </p>
        </Notice>
      ) : null}
    </form>
  );
}
