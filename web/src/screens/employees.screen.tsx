import { useState, type FormEvent } from 'react';
import { api } from '../api/client.ts';
import type { Employee } from '../api/types.ts';
import { useT } from '../i18n/i18n.tsx';
import { Link, navigate } from '../lib/router.tsx';
import { useCan } from '../lib/session.tsx';
import { useLoad } from '../lib/use-load.hook.ts';
import { PagedTable, SearchBox, usePagedSearch } from '../components/paged-list.component.tsx';
import {
  Button,
  ErrorMessage,
  Loading,
  Notice,
  PageHeader,
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
  const [form, setForm] = useState({ name: '', email: '', team: '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  // The form takes the loaded (or just saved) employee during the render that brings it, not in an
  // effect after it: the screen never shows, even for one frame, empty fields for a stored employee.
  const [shown, setShown] = useState<Employee | null>(null);
  const loaded = employee.data;
  if (loaded && loaded !== shown) {
    setShown(loaded);
    setForm({ name: loaded.name, email: loaded.email ?? '', team: loaded.team ?? '' });
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
      email: form.email.trim() || null,
      team: form.team.trim() || null,
    };
    try {
      const result = props.id
        ? await api<Employee>('PATCH', `/employees/${props.id}`, { body })
        : await api<Employee>('POST', '/employees', { body });
      if (props.id) {
        employee.setData(result);
        setSaved(true);
      } else navigate(`/employees/${result.id}`, { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
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
        {saved ? <Notice tone="success">{t('common.saved')}</Notice> : null}
        <fieldset disabled={readOnly} className="plain">
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
