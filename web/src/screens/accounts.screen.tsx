import { useState, type FormEvent } from 'react';
import { api } from '../api/client.ts';
import type { Account } from '../api/types.ts';
import { useT } from '../i18n/i18n.tsx';
import { Link, navigate } from '../lib/router.tsx';
import { useCan } from '../lib/session.tsx';
import { rememberAccountName, useEmployees } from '../lib/lookups.hook.ts';
import { useLoad } from '../lib/use-load.hook.ts';
import { PagedTable, SearchBox, usePagedSearch } from '../components/paged-list.component.tsx';
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

/** Accounts: the client companies that group contacts (a B2B firm's customers). */
export function AccountsListScreen() {
  const t = useT();
  const can = useCan();
  const employees = useEmployees();
  const names = new Map(employees.map((e) => [e.id, e.name]));
  const list = usePagedSearch<Account>('/accounts');
  return (
    <>
      <PageHeader
        title={t('accounts.title')}
        intro={t('accounts.intro')}
        actions={
          can('accounts:write') ? (
            <Link className="btn btn-primary" to="/accounts/new">
              {t('accounts.new')}
            </Link>
          ) : undefined
        }
      />
      <SearchBox label={t('accounts.search')} value={list.q} onChange={list.setQ} />
      <PagedTable
        list={list}
        empty={{ title: t('accounts.empty'), text: t('accounts.emptyText') }}
        noneFound={{ title: t('accounts.noneFound'), text: t('common.tryOtherSearch') }}
        columns={[
          { header: t('field.name'), cell: (a) => <Link to={`/accounts/${a.id}`}>{a.name}</Link> },
          { header: t('field.segment'), cell: (a) => a.segment ?? '—' },
          {
            header: t('field.owner'),
            cell: (a) => (a.ownerEmployeeId ? (names.get(a.ownerEmployeeId) ?? '…') : '—'),
          },
          { header: t('field.externalId'), cell: (a) => a.externalId ?? '—' },
        ]}
      />
    </>
  );
}

export function AccountEditScreen(props: { id: string | null }) {
  const t = useT();
  const can = useCan();
  const employees = useEmployees();
  const account = useLoad(
    () => (props.id ? api<Account>('GET', `/accounts/${props.id}`) : Promise.resolve(null)),
    [props.id],
  );
  const [form, setForm] = useState({ name: '', externalId: '', segment: '', ownerEmployeeId: '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  // The form takes the loaded (or just saved) account during the render that brings it, not in an
  // effect after it: the screen never shows, even for one frame, empty fields for a stored account.
  const [shown, setShown] = useState<Account | null>(null);
  const a = account.data;
  if (a && a !== shown) {
    setShown(a);
    setForm({
      name: a.name,
      externalId: a.externalId ?? '',
      segment: a.segment ?? '',
      ownerEmployeeId: a.ownerEmployeeId ?? '',
    });
  }
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => {
    setSaved(false);
    setForm({ ...form, [k]: e.target.value });
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body = {
      name: form.name,
      externalId: form.externalId.trim() || null,
      segment: form.segment.trim() || null,
      ownerEmployeeId: form.ownerEmployeeId || null,
    };
    try {
      const saved = props.id
        ? await api<Account>('PATCH', `/accounts/${props.id}`, { body })
        : await api<Account>('POST', '/accounts', { body });
      rememberAccountName(saved.id, saved.name);
      if (props.id) {
        account.setData(saved);
        setSaved(true);
      } else navigate(`/accounts/${saved.id}`, { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  if (props.id && !account.data) {
    return account.loading ? <Loading /> : <ErrorMessage error={account.error} />;
  }
  const readOnly = !can('accounts:write');
  return (
    <>
      <p className="breadcrumb">
        <Link to="/accounts">← {t('accounts.title')}</Link>
      </p>
      <PageHeader title={account.data?.name ?? t('accounts.new')} />
      <form className="card narrow" onSubmit={submit} noValidate>
        <ErrorMessage error={error} shownFields={Object.keys(form)} />
        {saved ? <Notice tone="success">{t('common.saved')}</Notice> : null}
        <fieldset disabled={readOnly} className="plain">
          <TextField
            label={t('field.name')}
            value={form.name}
            onChange={set('name')}
            error={fieldError(error, 'name')}
          />
          <TextField
            label={t('field.segment')}
            hint={t('contact.segmentHint')}
            value={form.segment}
            onChange={set('segment')}
            error={fieldError(error, 'segment')}
          />
          <SelectField
            label={t('field.owner')}
            value={form.ownerEmployeeId}
            onChange={set('ownerEmployeeId')}
            error={fieldError(error, 'ownerEmployeeId')}
            options={[
              { value: '', label: t('common.nobody') },
              ...employees.map((e) => ({ value: e.id, label: e.name })),
            ]}
          />
          <TextField
            label={t('field.externalId')}
            hint={t('contact.externalIdHint')}
            value={form.externalId}
            onChange={set('externalId')}
            error={fieldError(error, 'externalId')}
          />
        </fieldset>
        {!readOnly ? (
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={busy}>
              {props.id ? t('common.save') : t('accounts.create')}
            </Button>
          </div>
        ) : null}
      </form>
    </>
  );
}
