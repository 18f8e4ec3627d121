import { useState, type FormEvent } from 'react';
import { api, download } from '../api/client.ts';
import type {
  Account,
  ConsentEvent,
  Contact,
  ContactVisits,
  Location,
  Page,
} from '../api/types.ts';
import { useFormat, useT, type MessageKey } from '../i18n/i18n.tsx';
import { Link, navigate } from '../lib/router.tsx';
import { useCan } from '../lib/session.tsx';
import { useEmployees } from '../lib/lookups.hook.ts';
import { useEditForm } from '../lib/use-edit-form.hook.ts';
import { useLoad } from '../lib/use-load.hook.ts';
import { ConfirmDialog } from '../components/confirm-dialog.component.tsx';
import {
  Button,
  ErrorMessage,
  Loading,
  Notice,
  PageHeader,
  SaveStatus,
  SelectField,
  TextField,
  fieldError,
} from '../components/ui.component.tsx';
import { StatusBadge } from './contacts-list.screen.tsx';

interface ContactForm {
  name: string;
  email: string;
  phone: string;
  language: 'nl' | 'en';
  externalId: string;
  segment: string;
  ownerEmployeeId: string;
  accountId: string;
  locationId: string;
  consent: 'unknown' | 'granted';
  attributes: Array<{ key: string; value: string }>;
}

const EMPTY: ContactForm = {
  name: '',
  email: '',
  phone: '',
  language: 'nl',
  externalId: '',
  segment: '',
  ownerEmployeeId: '',
  accountId: '',
  locationId: '',
  consent: 'unknown',
  attributes: [],
};

function toForm(c: Contact): ContactForm {
  return {
    name: c.name ?? '',
    email: c.email ?? '',
    phone: c.phone ?? '',
    language: c.language,
    externalId: c.externalId ?? '',
    segment: c.segment ?? '',
    ownerEmployeeId: c.ownerEmployeeId ?? '',
    accountId: c.accountId ?? '',
    locationId: c.locationId ?? '',
    consent: c.consent.status === 'granted' ? 'granted' : 'unknown',
    attributes: Object.entries(c.attributes).map(([key, value]) => ({ key, value })),
  };
}

const orNull = (v: string) => (v.trim() === '' ? null : v.trim());

function toBody(f: ContactForm, isNew: boolean) {
  return {
    name: orNull(f.name),
    email: orNull(f.email),
    phone: orNull(f.phone),
    language: f.language,
    externalId: orNull(f.externalId),
    segment: orNull(f.segment),
    ownerEmployeeId: orNull(f.ownerEmployeeId),
    accountId: orNull(f.accountId),
    locationId: orNull(f.locationId),
    attributes: Object.fromEntries(
      f.attributes.filter((a) => a.key.trim() !== '').map((a) => [a.key.trim(), a.value]),
    ),
    ...(isNew ? { consent: f.consent } : {}),
  };
}

/** The accounts to choose from: the first 200 by name search, plus the one already chosen. */
function useAccountOptions(current: string) {
  const [q, setQ] = useState('');
  const list = useLoad(
    () => api<Page<Account>>('GET', '/accounts', { query: { q, limit: 200 } }),
    [q],
  );
  const chosen = useLoad(
    () => (current ? api<Account>('GET', `/accounts/${current}`) : Promise.resolve(null)),
    [current],
  );
  const items = [...(list.data?.items ?? [])];
  if (chosen.data && !items.some((a) => a.id === chosen.data?.id)) items.unshift(chosen.data);
  return { items, q, setQ };
}

/**
 * The locations to choose from: every location that is not archived, plus the contact's own when
 * it was archived since (kept, and shown as archived; the API refuses a newly chosen archived one).
 */
function useLocationOptions(current: string) {
  const all = useLoad(
    () => api<{ items: Location[] }>('GET', '/locations', { query: { archived: 'true' } }),
    [],
  );
  return (all.data?.items ?? []).filter((l) => !l.archived || l.id === current);
}

/** `/contacts/new` and `/contacts/:id`: every field, consent, unsubscribe, export and erase. */
export function ContactDetailScreen(props: { id: string | null }) {
  const t = useT();
  const fmt = useFormat();
  const can = useCan();
  const isNew = props.id === null;
  const employees = useEmployees();
  const contact = useLoad(
    () => (props.id ? api<Contact>('GET', `/contacts/${props.id}`) : Promise.resolve(null)),
    [props.id],
  );
  const consent = useLoad(
    () =>
      props.id
        ? api<{ items: ConsentEvent[] }>('GET', `/contacts/${props.id}/consent`)
        : Promise.resolve({ items: [] }),
    [props.id],
  );
  const c = contact.data;
  const { form, set, update, error, busy, saved, typedOn, save, discard } = useEditForm(
    c,
    toForm,
    EMPTY,
  );
  // The actions beside the form (unsubscribe, resubscribe, erase) have their own error and wait;
  // the form and they shut each other out while one of them is on its way.
  const [acting, setActing] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const [confirmErase, setConfirmErase] = useState(false);
  const accounts = useAccountOptions(form.accountId);
  const locations = useLocationOptions(form.locationId);
  const readOnly = !can('contacts:write') || c?.status === 'erased';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await save(() =>
      isNew
        ? api<Contact>('POST', '/contacts', { body: toBody(form, true) })
        : api<Contact>('PATCH', `/contacts/${props.id}`, { body: toBody(form, false) }),
    );
    if (!result) return;
    const { stored } = result;
    if (isNew) navigate(`/contacts/${stored.id}`, { replace: true });
    else contact.setData(stored);
  };

  const act = async (action: 'unsubscribe' | 'resubscribe' | 'erase') => {
    if (!props.id) return;
    setActionError(null);
    setActing(true);
    try {
      if (action === 'erase') {
        await api('POST', `/contacts/${props.id}/erase`);
        // Nothing of the erased customer stays on screen, not even what was typed unsaved, and
        // the erased contact is shown as soon as it is known (the fields stay shut till then).
        discard();
        setConfirmErase(false);
        try {
          contact.setData(await api<Contact>('GET', `/contacts/${props.id}`));
        } catch {
          // The erasure is done; only reading the result failed: load it again the usual way.
          contact.reload();
        }
      } else {
        // What was typed and not saved yet stays in the form (the hook keeps it).
        contact.setData(await api<Contact>('POST', `/contacts/${props.id}/${action}`));
      }
      consent.reload();
    } catch (err) {
      setActionError(err);
      setConfirmErase(false);
    } finally {
      setActing(false);
    }
  };

  const exportJson = () => {
    if (!props.id) return;
    setActionError(null);
    download(`/contacts/${props.id}/export`, `contact-${props.id}.json`).catch((err: unknown) =>
      setActionError(err),
    );
  };

  if (!isNew && contact.loading && !c) return <Loading />;
  if (!isNew && !c) return <ErrorMessage error={contact.error} />;

  const title = isNew ? t('contact.newTitle') : c?.name || c?.email || t('contacts.noName');
  const formFields = [
    'name',
    'email',
    'phone',
    'language',
    'externalId',
    'segment',
    'ownerEmployeeId',
    'accountId',
    'locationId',
    'attributes',
  ];

  return (
    <>
      <p className="breadcrumb">
        <Link to="/contacts">← {t('contacts.title')}</Link>
      </p>
      <PageHeader title={title} actions={c ? <StatusBadge status={c.status} /> : undefined} />
      {c?.status === 'erased' ? (
        <Notice tone="warning">
          {t('contact.erasedNotice', { at: fmt.dateTime(c.erasedAt) })}
        </Notice>
      ) : null}
      <div className="two-col">
        <form className="card" onSubmit={submit} noValidate>
          <h2>{t('contact.details')}</h2>
          <ErrorMessage error={error} shownFields={formFields} />
          <SaveStatus saved={saved} typedOn={typedOn} />
          <fieldset disabled={readOnly || acting || (busy && isNew)} className="plain">
            <div className="grid-2">
              <TextField
                label={t('field.name')}
                name="name"
                value={form.name}
                onChange={set('name')}
                error={fieldError(error, 'name')}
              />
              <TextField
                label={t('field.email')}
                name="email"
                type="email"
                value={form.email}
                onChange={set('email')}
                error={fieldError(error, 'email')}
              />
              <TextField
                label={t('field.phone')}
                name="phone"
                type="tel"
                value={form.phone}
                onChange={set('phone')}
                error={fieldError(error, 'phone')}
              />
              <SelectField
                label={t('field.language')}
                hint={t('contact.languageHint')}
                value={form.language}
                onChange={set('language')}
                error={fieldError(error, 'language')}
                options={[
                  { value: 'nl', label: t('language.nl') },
                  { value: 'en', label: t('language.en') },
                ]}
              />
              <SelectField
                label={t('field.owner')}
                hint={t('contact.ownerHint')}
                value={form.ownerEmployeeId}
                onChange={set('ownerEmployeeId')}
                error={fieldError(error, 'ownerEmployeeId')}
                options={[
                  { value: '', label: t('common.nobody') },
                  ...employees.map((e) => ({ value: e.id, label: e.name })),
                ]}
              />
              <SelectField
                label={t('field.account')}
                hint={t('contact.accountHint')}
                value={form.accountId}
                onChange={set('accountId')}
                error={fieldError(error, 'accountId')}
                options={[
                  { value: '', label: t('common.none') },
                  ...accounts.items.map((a) => ({ value: a.id, label: a.name })),
                ]}
              />
              <SelectField
                label={t('field.location')}
                hint={t('contact.locationHint')}
                value={form.locationId}
                onChange={set('locationId')}
                error={fieldError(error, 'locationId')}
                options={[
                  { value: '', label: t('common.none') },
                  ...locations.map((l) => ({
                    value: l.id,
                    label: l.archived ? t('contact.locationArchived', { name: l.name }) : l.name,
                  })),
                ]}
              />
              <TextField
                label={t('field.segment')}
                hint={t('contact.segmentHint')}
                value={form.segment}
                onChange={set('segment')}
                error={fieldError(error, 'segment')}
              />
              <TextField
                label={t('field.externalId')}
                hint={t('contact.externalIdHint')}
                value={form.externalId}
                onChange={set('externalId')}
                error={fieldError(error, 'externalId')}
              />
              {isNew ? (
                <SelectField
                  label={t('contact.consent')}
                  hint={t('contact.consentHint')}
                  value={form.consent}
                  onChange={set('consent')}
                  options={[
                    { value: 'unknown', label: t('consent.unknown') },
                    { value: 'granted', label: t('consent.granted') },
                  ]}
                />
              ) : null}
            </div>
            <AttributesEditor
              value={form.attributes}
              onChange={(attributes) => update({ attributes })}
              error={fieldError(error, 'attributes')}
            />
          </fieldset>
          {!readOnly ? (
            <div className="form-actions">
              <Button type="submit" variant="primary" busy={busy} disabled={acting}>
                {isNew ? t('contact.create') : t('common.save')}
              </Button>
            </div>
          ) : null}
        </form>
        {c ? (
          <aside className="side">
            <section className="card">
              <h2>{t('contact.consentTitle')}</h2>
              <p>
                {t('contact.consentState')}:{' '}
                <strong>
                  {t(`consent.${c.consent.status === 'granted' ? 'granted' : 'unknown'}`)}
                </strong>
              </p>
              {c.unsubscribedAt ? (
                <p>{t('contact.unsubscribedAt', { at: fmt.dateTime(c.unsubscribedAt) })}</p>
              ) : null}
              {c.bouncedAt ? (
                <p>{t('contact.bouncedAt', { at: fmt.dateTime(c.bouncedAt) })}</p>
              ) : null}
              <h3>{t('contact.history')}</h3>
              {consent.data?.items.length ? (
                <ol className="timeline">
                  {consent.data.items.map((ev) => (
                    <li key={ev.id}>
                      <strong>{t(`consentEvent.${ev.kind}`)}</strong>{' '}
                      <span className="muted">
                        {fmt.dateTime(ev.at)} · {ev.source}
                      </span>
                    </li>
                  ))}
                </ol>
              ) : (
                <p className="muted">{t('contact.noHistory')}</p>
              )}
            </section>
            <VisitsCard contactId={c.id} />
            <section className="card">
              <h2>{t('contact.actions')}</h2>
              <ErrorMessage error={actionError} />
              <div className="stack">
                {can('contacts:write') && c.status === 'active' ? (
                  <Button onClick={() => void act('unsubscribe')} busy={acting} disabled={busy}>
                    {t('contact.unsubscribe')}
                  </Button>
                ) : null}
                {can('contacts:write') && c.status === 'unsubscribed' ? (
                  <Button onClick={() => void act('resubscribe')} busy={acting} disabled={busy}>
                    {t('contact.resubscribe')}
                  </Button>
                ) : null}
                {can('contacts:export') ? (
                  <>
                    <Button onClick={exportJson}>{t('contact.export')}</Button>
                    <p className="hint">{t('contact.exportHint')}</p>
                  </>
                ) : null}
                {can('contacts:erase') && c.status !== 'erased' ? (
                  <Button variant="danger" onClick={() => setConfirmErase(true)} disabled={busy}>
                    {t('contact.erase')}
                  </Button>
                ) : null}
              </div>
            </section>
          </aside>
        ) : null}
      </div>
      <ConfirmDialog
        open={confirmErase}
        title={t('contact.eraseTitle', { name: title })}
        confirmLabel={t('contact.eraseConfirm')}
        busy={acting}
        onCancel={() => setConfirmErase(false)}
        onConfirm={() => void act('erase')}
      >
        <p>{t('contact.eraseWhat')}</p>
        <ul>
          <li>{t('contact.eraseItem1')}</li>
          <li>{t('contact.eraseItem2')}</li>
          <li>{t('contact.eraseItem3')}</li>
        </ul>
        <p>
          <strong>{t('contact.eraseFinal')}</strong>
        </p>
      </ConfirmDialog>
    </>
  );
}

function AttributesEditor(props: {
  value: Array<{ key: string; value: string }>;
  onChange: (v: Array<{ key: string; value: string }>) => void;
  error: string | null;
}) {
  const t = useT();
  const update = (i: number, patch: Partial<{ key: string; value: string }>) =>
    props.onChange(props.value.map((a, j) => (j === i ? { ...a, ...patch } : a)));
  return (
    <fieldset className="attributes">
      <legend>{t('contact.attributes')}</legend>
      <p className="hint">{t('contact.attributesHint')}</p>
      {props.value.map((a, i) => (
        <div className="attr-row" key={i}>
          <input
            aria-label={t('contact.attributeKey')}
            placeholder={t('contact.attributeKeyPlaceholder')}
            value={a.key}
            onChange={(e) => update(i, { key: e.target.value })}
          />
          <input
            aria-label={t('contact.attributeValue')}
            value={a.value}
            onChange={(e) => update(i, { value: e.target.value })}
          />
          <Button
            variant="link"
            onClick={() => props.onChange(props.value.filter((_, j) => j !== i))}
          >
            {t('common.remove')}
          </Button>
        </div>
      ))}
      {props.error ? <p className="field-error">{props.error}</p> : null}
      <Button
        variant="link"
        onClick={() => props.onChange([...props.value, { key: '', value: '' }])}
      >
        + {t('contact.addAttribute')}
      </Button>
    </fieldset>
  );
}

/** The contact's visits and purchases: rhythm, "due for return", and what each visit triggered. */
function VisitsCard(props: { contactId: string }) {
  const t = useT();
  const fmt = useFormat();
  const visits = useLoad(
    () => api<ContactVisits>('GET', `/contacts/${props.contactId}/visits`),
    [props.contactId],
  );
  const v = visits.data;
  const euro = (n: number) => `€ ${fmt.number(Math.round(n * 100) / 100)}`;
  return (
    <section className="card" data-testid="visits-card">
      <h2>{t('visits.title')}</h2>
      <ErrorMessage error={visits.error} />
      {!v ? null : v.visits.length === 0 ? (
        <p className="muted">{t('visits.none')}</p>
      ) : (
        <>
          <dl className="facts">
            <dt>{t('visits.first')}</dt>
            <dd>{fmt.date(v.summary.firstVisitAt)}</dd>
            <dt>{t('visits.last')}</dt>
            <dd>{fmt.date(v.summary.lastVisitAt)}</dd>
            <dt>{t('visits.count')}</dt>
            <dd>{fmt.number(v.summary.visits)}</dd>
            <dt>{t('visits.revenue')}</dt>
            <dd>{euro(v.summary.revenue)}</dd>
            <dt>{t('visits.interval')}</dt>
            <dd>
              {v.summary.typicalIntervalDays === null
                ? '—'
                : t('visits.intervalDays', { days: v.summary.typicalIntervalDays })}
            </dd>
            <dt>{t('visits.due')}</dt>
            <dd>
              {fmt.date(v.summary.dueAt)}
              {v.summary.due ? <strong> — {t('visits.dueNow')}</strong> : null}
            </dd>
          </dl>
          <ul className="visit-list">
            {v.visits.map((visit) => (
              <li key={visit.id}>
                <span>{fmt.date(visit.visitedAt)}</span> · <span>{visit.kind ?? '—'}</span> ·{' '}
                <span>{euro(visit.amount)}</span> ·{' '}
                <span>{t(`visits.status.${visit.status}` as MessageKey)}</span>
                {visit.invitation.status ? (
                  <>
                    {' '}
                    · <span>{t(`visits.invitation.${visit.invitation.status}` as MessageKey)}</span>
                    {visit.invitation.explanation ? (
                      <span className="hint"> ({visit.invitation.explanation})</span>
                    ) : null}
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
