import type { FormEvent } from 'react';
import { api } from '../api/client.ts';
import type { Employee } from '../api/types.ts';
import { useT } from '../i18n/i18n.tsx';
import { Link, navigate } from '../lib/router.tsx';
import { useCan } from '../lib/session.tsx';
import { useEditForm } from '../lib/use-edit-form.hook.ts';
import { useLoad } from '../lib/use-load.hook.ts';
import { PagedTable, SearchBox, usePagedSearch } from '../components/paged-list.component.tsx';
import {
  Button,
  ErrorMessage,
  Loading,
  PageHeader,
  SaveStatus,
  TextField,
  fieldError,
} from '../components/ui.component.tsx';

/** Employees: account managers and frontline staff whose customers and NPS the app tracks. */
export function EmployeesListScreen() {
  const t = useT();
  const can = useCan();
  const list = usePagedSearch<Employee>('/employees');
  return (
    <>
      <PageHeader
        title={t('employees.title')}
        intro={t('employees.intro')}
        actions={
          can('employees:write') ? (
            <Link className="btn btn-primary" to="/employees/new">
              {t('employees.new')}
            </Link>
          ) : undefined
        }
      />
      <SearchBox label={t('employees.search')} value={list.q} onChange={list.setQ} />
      <PagedTable
        list={list}
        empty={{ title: t('employees.empty'), text: t('employees.emptyText') }}
        noneFound={{ title: t('employees.noneFound'), text: t('common.tryOtherSearch') }}
        columns={[
          { header: t('field.name'), cell: (e) => <Link to={`/employees/${e.id}`}>{e.name}</Link> },
          { header: t('field.email'), cell: (e) => e.email ?? '—' },
          { header: t('field.team'), cell: (e) => e.team ?? '—' },
        ]}
      />
    </>
  );
}

export function EmployeeEditScreen(props: { id: string | null }) {
  const t = useT();
  const can = useCan();
  const employee = useLoad(
    () => (props.id ? api<Employee>('GET', `/employees/${props.id}`) : Promise.resolve(null)),
    [props.id],
  );
  const { form, set, error, busy, saved, typedOn, save } = useEditForm(
    employee.data,
    (e: Employee) => ({ name: e.name, email: e.email ?? '', team: e.team ?? '' }),
    { name: '', email: '', team: '' },
  );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = {
      name: form.name,
      email: form.email.trim() || null,
      team: form.team.trim() || null,
    };
    const result = await save(() =>
      props.id
        ? api<Employee>('PATCH', `/employees/${props.id}`, { body })
        : api<Employee>('POST', '/employees', { body }),
    );
    if (!result) return;
    const { stored } = result;
    if (props.id) employee.setData(stored);
    else navigate(`/employees/${stored.id}`, { replace: true });
  };
  if (props.id && !employee.data) {
    return employee.loading ? <Loading /> : <ErrorMessage error={employee.error} />;
  }
  const readOnly = !can('employees:write');
  return (
    <>
      <p className="breadcrumb">
        <Link to="/employees">← {t('employees.title')}</Link>
      </p>
      <PageHeader title={employee.data?.name ?? t('employees.new')} />
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
            label={t('field.email')}
            hint={t('employees.emailHint')}
            type="email"
            value={form.email}
            onChange={set('email')}
            error={fieldError(error, 'email')}
          />
          <TextField
            label={t('field.team')}
            hint={t('employees.teamHint')}
            value={form.team}
            onChange={set('team')}
            error={fieldError(error, 'team')}
          />
        </fieldset>
        {!readOnly ? (
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={busy}>
              {props.id ? t('common.save') : t('employees.create')}
            </Button>
          </div>
        ) : null}
      </form>
    </>
  );
}
