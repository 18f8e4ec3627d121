import type { FormEvent } from 'react';
import { api } from '../api/client.ts';
import type { Account } from '../api/types.ts';
import { useT } from '../i18n/i18n.tsx';
import { Link, navigate } from '../lib/router.tsx';
import { useCan } from '../lib/session.tsx';
import { rememberAccountName, useEmployees } from '../lib/lookups.hook.ts';
import { useEditForm } from '../lib/use-edit-form.hook.ts';
import { useLoad } from '../lib/use-load.hook.ts';
import { PagedTable, SearchBox, usePagedSearch } from '../components/paged-list.component.tsx';
import {
  Button,
  ErrorMessage,
  Loading,
  PageHeader,
  SaveStatus,
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
  const { form, set, error, busy, saved, typedOn, save } = useEditForm(
    account.data,
    (a: Account) => ({
      name: a.name,
      externalId: a.externalId ?? '',
      segment: a.segment ?? '',
      ownerEmployeeId: a.ownerEmployeeId ?? '',
    }),
    { name: '', externalId: '', segment: '', ownerEmployeeId: '' },
  );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = {
      name: form.name,
      externalId: form.externalId.trim() || null,
      segment: form.segment.trim() || null,
      ownerEmployeeId: form.ownerEmployeeId || null,
    };
    const result = await save(() =>
      props.id
        ? api<Account>('PATCH', `/accounts/${props.id}`, { body })
        : api<Account>('POST', '/accounts', { body }),
    );
    if (!result) return;
    const { stored } = result;
    rememberAccountName(stored.id, stored.name);
    if (props.id) account.setData(stored);
    else navigate(`/accounts/${stored.id}`, { replace: true });
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
        <SaveStatus saved={saved} typedOn={typedOn} />
        <fieldset disabled={readOnly || (busy && !props.id)} className="plain">
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
