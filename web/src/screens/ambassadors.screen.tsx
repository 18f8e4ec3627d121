import { useState, type FormEvent } from 'react';
import { api } from '../api/client.ts';
import type { AmbassadorDetail, AmbassadorTask, Contact, Page, RegisterRow } from '../api/types.ts';
import { useFormat, useT, type MessageKey } from '../i18n/i18n.tsx';
import { Link } from '../lib/router.tsx';
import { useCan } from '../lib/session.tsx';
import { useDebounced, useLoad } from '../lib/use-load.hook.ts';
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
  TextAreaField,
  TextField,
  fieldError,
} from '../components/ui.component.tsx';
import { RewardStatusBadge, euro } from './rewards.screen.tsx';

const STATUS_TONE = { active: 'green', paused: 'amber', removed: 'grey' } as const;

export function AmbassadorStatusBadge(props: { status: RegisterRow['status'] }) {
  const t = useT();
  return (
    <Badge tone={STATUS_TONE[props.status]}>{t(`amb.status.${props.status}` as MessageKey)}</Badge>
  );
}

/**
 * The ambassador register (issue 12): everyone who opted in or was added by hand, with their
 * consent record, latest score, owner, referrals and rewards; staff add a known fan by hand.
 */
export function AmbassadorsScreen() {
  const t = useT();
  const fmt = useFormat();
  const can = useCan();
  const [status, setStatus] = useState('');
  const list = useLoad(
    () =>
      api<{ items: RegisterRow[] }>('GET', '/ambassadors', {
        query: { status, limit: 500 },
      }),
    [status],
  );
  return (
    <>
      <PageHeader title={t('amb.register.title')} intro={t('amb.register.intro')} />
      <ThankYouTasks write={can('ambassadors:write')} />
      {can('ambassadors:write') ? <AddFan onAdded={list.reload} /> : null}
      <section className="card" aria-labelledby="register-list">
        <h2 id="register-list">{t('amb.register.list')}</h2>
        <div className="filters">
          <SelectField
            label={t('amb.register.status')}
            value={status}
            onChange={(e) => setStatus(e.target.value)}
            options={[
              { value: '', label: t('common.all') },
              { value: 'active', label: t('amb.status.active') },
              { value: 'paused', label: t('amb.status.paused') },
              { value: 'removed', label: t('amb.status.removed') },
            ]}
          />
        </div>
        <ErrorMessage error={list.error} />
        {!list.data ? (
          <Loading />
        ) : list.data.items.length === 0 ? (
          <EmptyState title={t('amb.register.empty')} text={t('amb.register.emptyText')} />
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="register-table">
              <thead>
                <tr>
                  <th scope="col">{t('amb.name')}</th>
                  <th scope="col">{t('amb.register.status')}</th>
                  <th scope="col" className="num">
                    {t('amb.register.score')}
                  </th>
                  <th scope="col">{t('amb.register.owner')}</th>
                  <th scope="col" className="num">
                    {t('amb.register.referrals')}
                  </th>
                  <th scope="col" className="num">
                    {t('amb.register.conversions')}
                  </th>
                  <th scope="col" className="num">
                    {t('amb.register.rewards')}
                  </th>
                  <th scope="col">{t('amb.register.consent')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((a) => (
                  <tr key={a.id}>
                    <td>
                      <Link to={`/ambassadors/${a.id}`}>{a.name ?? a.email ?? a.code}</Link>
                      <div className="hint">
                        <code>{a.code}</code>
                      </div>
                    </td>
                    <td>
                      <AmbassadorStatusBadge status={a.status} />
                    </td>
                    <td className="num">{a.latestScore ?? '—'}</td>
                    <td>{a.ownerName ?? '—'}</td>
                    <td className="num">{a.referrals}</td>
                    <td className="num">{a.conversions}</td>
                    <td className="num">{a.rewards}</td>
                    <td>
                      {t(`amb.consent.${a.consent.source}` as MessageKey)}
                      <div className="hint">{fmt.date(a.consent.at)}</div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

/** Staff add a fan they know, with how that fan agreed (the consent record). */
function AddFan(props: { onAdded: () => void }) {
  const t = useT();
  const [q, setQ] = useState('');
  const query = useDebounced(q, 250);
  const [contact, setContact] = useState<Contact | null>(null);
  const [note, setNote] = useState('');
  const [showName, setShowName] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const found = useLoad(
    () =>
      query.trim().length < 2 || contact
        ? Promise.resolve(null)
        : api<Page<Contact>>('GET', '/contacts', { query: { q: query, limit: 8 } }),
    [query, contact],
  );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    if (!contact) {
      setError(new Error(t('amb.add.pickContact')));
      return;
    }
    setBusy(true);
    try {
      await api('POST', '/ambassadors', {
        body: { contactId: contact.id, consentNote: note, showName },
      });
      setDone(contact.name ?? contact.email ?? '');
      setContact(null);
      setQ('');
      setNote('');
      setShowName(false);
      props.onAdded();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="add-fan">
      <h2 id="add-fan">{t('amb.add.title')}</h2>
      <p className="hint">{t('amb.add.intro')}</p>
      {error instanceof Error && !('status' in error) ? (
        <Notice tone="warning">{error.message}</Notice>
      ) : (
        <ErrorMessage error={error} shownFields={['consentNote']} />
      )}
      {done ? <Notice tone="success">{t('amb.add.done', { name: done })}</Notice> : null}
      <div className="grid-2">
        <div>
          {contact ? (
            <p>
              <strong>{contact.name ?? contact.email}</strong>{' '}
              <Button variant="link" onClick={() => setContact(null)}>
                {t('amb.add.otherContact')}
              </Button>
            </p>
          ) : (
            <>
              <TextField
                label={t('amb.add.search')}
                value={q}
                onChange={(e) => setQ(e.target.value)}
                autoComplete="off"
              />
              {found.data?.items.length ? (
                <ul className="plain-list" aria-label={t('amb.add.results')}>
                  {found.data.items.map((c) => (
                    <li key={c.id}>
                      <Button variant="link" onClick={() => setContact(c)}>
                        {c.name ?? c.email ?? c.phone}
                        {c.email && c.name ? ` · ${c.email}` : ''}
                      </Button>
                    </li>
                  ))}
                </ul>
              ) : null}
            </>
          )}
        </div>
        <TextAreaField
          label={t('amb.add.consentNote')}
          hint={t('amb.add.consentHint')}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          error={fieldError(error, 'consentNote')}
          rows={3}
        />
      </div>
      <div className="checkbox">
        <input
          type="checkbox"
          id="add-fan-show-name"
          checked={showName}
          onChange={(e) => setShowName(e.target.checked)}
        />
        <label htmlFor="add-fan-show-name">{t('amb.add.showName')}</label>
      </div>
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy}>
          {t('amb.add.button')}
        </Button>
      </div>
    </form>
  );
}

/** One ambassador: consent record, links, score history, friends brought and rewards. */
export function AmbassadorDetailScreen(props: { id: string }) {
  const t = useT();
  const fmt = useFormat();
  const can = useCan();
  const detail = useLoad(() => api<AmbassadorDetail>('GET', `/ambassadors/${props.id}`), []);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const a = detail.data;
  const act = async (action: 'pause' | 'resume' | 'remove') => {
    setError(null);
    setNotice(null);
    try {
      await api('POST', `/ambassadors/${props.id}/status`, { body: { action } });
      setNotice(t(`amb.detail.done.${action}` as MessageKey));
      detail.reload();
    } catch (err) {
      setError(err);
    }
  };
  const invite = async () => {
    setError(null);
    try {
      await api('POST', `/ambassadors/${props.id}/invite`);
      setNotice(t('amb.detail.invited'));
    } catch (err) {
      setError(err);
    }
  };
  if (detail.error) return <ErrorMessage error={detail.error} />;
  if (!a) return <Loading />;
  const r = a.register;
  const write = can('ambassadors:write');
  return (
    <>
      <PageHeader
        title={a.name ?? t('amb.detail.title')}
        intro={t('amb.detail.intro')}
        actions={<Link to="/ambassadors">{t('common.back')}</Link>}
      />
      <ErrorMessage error={error} />
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      <section className="card" aria-labelledby="amb-facts">
        <h2 id="amb-facts">
          {t('amb.detail.facts')} <AmbassadorStatusBadge status={a.status} />
        </h2>
        <dl className="facts">
          {r ? (
            <>
              <dt>{t('amb.detail.code')}</dt>
              <dd>
                <code>{r.code}</code>
              </dd>
              <dt>{t('amb.register.owner')}</dt>
              <dd>{r.ownerName ?? '—'}</dd>
              <dt>{t('amb.register.consent')}</dt>
              <dd data-testid="consent-record">
                “{r.consent.text}” · {t(`amb.consent.${r.consent.source}` as MessageKey)} ·{' '}
                {fmt.dateTime(r.consent.at)}
              </dd>
              <dt>{t('amb.detail.showName')}</dt>
              <dd>{r.showName ? t('common.yes') : t('common.no')}</dd>
              <dt>{t('amb.detail.invitedAt')}</dt>
              <dd>
                {r.invitedAt ? fmt.dateTime(r.invitedAt) : t('amb.detail.notInvited')}
                {r.unsubscribedAt ? ` · ${t('amb.detail.unsubscribed')}` : ''}
              </dd>
              <dt>{t('amb.detail.pageViews')}</dt>
              <dd>{r.friendPageViews}</dd>
            </>
          ) : null}
          {a.status !== 'removed' ? (
            <>
              <dt>{t('amb.detail.shareUrl')}</dt>
              <dd className="break">
                <a href={a.shareUrl} target="_blank" rel="noreferrer">
                  {a.shareUrl}
                </a>{' '}
                <CopyButton text={a.shareUrl} />
              </dd>
              <dt>{t('amb.detail.linkUrl')}</dt>
              <dd className="break">
                {a.linkUrl} <CopyButton text={a.linkUrl} />
              </dd>
            </>
          ) : null}
        </dl>
        {write && a.status !== 'removed' ? (
          <div className="form-actions">
            {a.status === 'active' ? (
              <>
                <Button onClick={() => void invite()}>{t('amb.detail.invite')}</Button>
                <Button onClick={() => void act('pause')}>{t('amb.detail.pause')}</Button>
              </>
            ) : (
              <Button onClick={() => void act('resume')}>{t('amb.detail.resume')}</Button>
            )}
            <Button variant="danger" onClick={() => setRemoving(true)}>
              {t('amb.detail.remove')}
            </Button>
          </div>
        ) : null}
      </section>
      <section className="card" aria-labelledby="amb-scores">
        <h2 id="amb-scores">{t('amb.detail.scores')}</h2>
        {a.scores.length === 0 ? (
          <p className="hint">{t('amb.detail.noScores')}</p>
        ) : (
          <ul className="plain-list" data-testid="score-history">
            {a.scores.map((s) => (
              <li key={`${s.answeredAt}-${s.score}`}>
                <strong>{s.score}</strong> · {fmt.date(s.answeredAt)}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="amb-referrals">
        <h2 id="amb-referrals">{t('amb.detail.referrals')}</h2>
        {a.referrals.length === 0 ? (
          <p className="hint">{t('amb.detail.noReferrals')}</p>
        ) : (
          <ul className="plain-list">
            {a.referrals.map((f) => (
              <li key={f.id}>
                {f.friend.name ?? t('amb.leads.erased')} ·{' '}
                {t(`amb.leadStatus.${f.status}` as MessageKey)} · {fmt.date(f.createdAt)}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="amb-rewards">
        <h2 id="amb-rewards">{t('amb.detail.rewards')}</h2>
        {a.rewards.length === 0 ? (
          <p className="hint">{t('amb.detail.noRewards')}</p>
        ) : (
          <ul className="plain-list">
            {a.rewards.map((w) => (
              <li key={w.id}>
                {w.description} ({t(`amb.recipient.${w.recipient}` as MessageKey)}) ·{' '}
                <RewardStatusBadge status={w.status} /> · {euro(fmt, w.costCents)}
              </li>
            ))}
          </ul>
        )}
      </section>
      <ConfirmDialog
        open={removing}
        title={t('amb.detail.removeTitle', { name: a.name ?? '' })}
        confirmLabel={t('amb.detail.remove')}
        onCancel={() => setRemoving(false)}
        onConfirm={() => {
          setRemoving(false);
          void act('remove');
        }}
      >
        <p>{t('amb.detail.removeText')}</p>
      </ConfirmDialog>
    </>
  );
}

/**
 * Thank-you tasks: a new ambassador, or one who brought a friend, deserves a personal thank-you
 * ("a little more than promised"): a card, a small gift. A suggested text to start from; ticked
 * done (or undone) by whoever did it.
 */
function ThankYouTasks(props: { write: boolean }) {
  const t = useT();
  const fmt = useFormat();
  const [showDone, setShowDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const tasks = useLoad(
    () =>
      api<{ items: AmbassadorTask[] }>('GET', '/ambassador-tasks', {
        query: { open: showDone ? 'false' : 'true' },
      }),
    [showDone],
  );
  const tick = async (task: AmbassadorTask, done: boolean) => {
    setError(null);
    try {
      await api('POST', `/ambassador-tasks/${task.id}`, { body: { done } });
      tasks.reload();
    } catch (err) {
      setError(err);
    }
  };
  const items = tasks.data?.items.filter((x) => (showDone ? x.doneAt !== null : true)) ?? [];
  return (
    <section className="card" aria-labelledby="thank-you-tasks" data-testid="thank-you-tasks">
      <h2 id="thank-you-tasks">{t('amb.tasks.title')}</h2>
      <p className="hint">{t('amb.tasks.intro')}</p>
      <div className="checkbox">
        <input
          type="checkbox"
          id="tasks-show-done"
          checked={showDone}
          onChange={(e) => setShowDone(e.target.checked)}
        />
        <label htmlFor="tasks-show-done">{t('amb.tasks.showDone')}</label>
      </div>
      <ErrorMessage error={error ?? tasks.error} />
      {!tasks.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <p>{showDone ? t('amb.tasks.noneDone') : t('amb.tasks.none')}</p>
      ) : (
        <ul className="plain-list lead-list">
          {items.map((task) => {
            const name = task.ambassadorName ?? '—';
            const template = t(`amb.tasks.template.${task.kind}` as MessageKey, {
              name: name.split(' ')[0] ?? name,
            });
            return (
              <li key={task.id} className="lead" data-testid="thank-you-task">
                <div className="lead-head">
                  <strong>{t(`amb.tasks.kind.${task.kind}` as MessageKey, { name })}</strong>
                  {task.doneAt ? (
                    <span className="hint">
                      {' '}
                      · {t('amb.tasks.doneOn', { date: fmt.date(task.doneAt) })}
                    </span>
                  ) : null}
                </div>
                <details>
                  <summary>{t('amb.tasks.templateTitle')}</summary>
                  <p className="plain-text">{template}</p>
                  <CopyButton text={template} />
                </details>
                {props.write ? (
                  <div className="form-actions">
                    {task.doneAt ? (
                      <Button variant="link" onClick={() => void tick(task, false)}>
                        {t('amb.tasks.undo')}
                      </Button>
                    ) : (
                      <Button onClick={() => void tick(task, true)}>{t('amb.tasks.done')}</Button>
                    )}
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
