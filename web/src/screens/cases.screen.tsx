import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api/client.ts';
import type {
  CaseDetail,
  CaseList,
  CaseReportJson,
  CaseSummary,
  HandOverReason,
} from '../api/types.ts';
import { useFormat, useT, type MessageKey, type Translate } from '../i18n/i18n.tsx';
import { InvitationState } from '../components/invitation-state.component.tsx';
import { useEmployees } from '../lib/lookups.hook.ts';
import { Link } from '../lib/router.tsx';
import { useSession } from '../lib/session.tsx';
import { useLoad } from '../lib/use-load.hook.ts';
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
} from '../components/ui.component.tsx';

type Status = CaseSummary['status'];

const STATUS_TONE: Record<Status, 'green' | 'grey' | 'amber' | 'red' | 'blue'> = {
  open: 'amber',
  contacted: 'blue',
  resolved: 'green',
  unresolvable: 'grey',
  changed_by_customer: 'grey',
};

export function CaseStatusBadge(props: { status: Status; overdue?: boolean }) {
  const t = useT();
  if (props.overdue) return <Badge tone="red">{t('cases.overdue')}</Badge>;
  return (
    <Badge tone={STATUS_TONE[props.status]}>
      {t(`cases.status.${props.status}` as MessageKey)}
    </Badge>
  );
}

type Filter = 'active' | 'overdue' | 'closed' | 'all';

/**
 * The case inbox: an account manager sees their own cases, a manager their team's (and may narrow
 * to their own), others all of them. Open cases come by due time, overdue ones first and marked.
 */
export function CasesInboxScreen() {
  const t = useT();
  const fmt = useFormat();
  const { me } = useSession();
  const [filter, setFilter] = useState<Filter>('active');
  const [mine, setMine] = useState(false);
  const list = useLoad(
    () =>
      api<CaseList>('GET', '/cases', {
        query: {
          status: filter === 'overdue' ? 'active' : filter,
          overdue: filter === 'overdue' ? 'true' : undefined,
          mine: mine ? 'true' : undefined,
        },
      }),
    [filter, mine],
  );
  const intro =
    me.role === 'account_manager'
      ? t('cases.introOwn')
      : me.role === 'manager'
        ? t('cases.introTeam')
        : t('cases.introAll');
  return (
    <>
      <PageHeader
        title={t('cases.title')}
        intro={intro}
        actions={<Link to="/cases/report">{t('cases.report.link')}</Link>}
      />
      <div className="filters">
        <SelectField
          label={t('cases.filter')}
          value={filter}
          onChange={(e) => setFilter(e.target.value as Filter)}
          options={[
            { value: 'active', label: t('cases.filter.active') },
            { value: 'overdue', label: t('cases.filter.overdue') },
            { value: 'closed', label: t('cases.filter.closed') },
            { value: 'all', label: t('cases.filter.all') },
          ]}
        />
        {me.role !== 'account_manager' && me.employeeId ? (
          <label className="checkbox">
            <input type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} />
            {t('cases.mine')}
          </label>
        ) : null}
      </div>
      <ErrorMessage error={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && list.data.items.length === 0 ? (
        <EmptyState title={t('cases.empty')} text={t('cases.emptyText')} />
      ) : null}
      {list.data?.items.length ? (
        <div className="table-wrap">
          <table className="table" data-testid="cases-table">
            <thead>
              <tr>
                <th scope="col">{t('cases.contact')}</th>
                <th scope="col">{t('cases.score')}</th>
                <th scope="col">{t('cases.statusLabel')}</th>
                <th scope="col">{t('cases.owner')}</th>
                <th scope="col">{t('cases.due')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/cases/${c.id}`}>{c.contact.name ?? t('cases.noName')}</Link>
                    {c.kind === 'thanks' ? (
                      <span className="hint"> · {t('cases.kind.thanks')}</span>
                    ) : null}
                  </td>
                  <td>{c.score}</td>
                  <td>
                    <CaseStatusBadge status={c.status} overdue={c.overdue} />
                  </td>
                  <td>{c.owner?.name ?? t('cases.unassigned')}</td>
                  <td>{fmt.dateTime(c.dueAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

const TEMPLATES = ['apology', 'callback', 'solved'] as const;
type Template = (typeof TEMPLATES)[number];

function fillTemplate(t: Translate, template: Template, c: CaseDetail, organisation: string) {
  const params = {
    name: c.contact.name ?? '',
    organisation,
    owner: c.owner?.name ?? organisation,
  };
  return {
    subject: t(`cases.template.${template}.subject` as MessageKey, params),
    body: t(`cases.template.${template}.body` as MessageKey, params),
  };
}

/**
 * The log line of a case that went to another owner without anyone assigning it, by reason: every
 * reason the server logs has its line (a new one fails typecheck until it has).
 */
const ASSIGNED_BECAUSE: Readonly<Record<HandOverReason, MessageKey>> = {
  customer_moved: 'cases.log.assignedCustomerMoved',
  customer_moved_account: 'cases.log.assignedCustomerMovedAccount',
  account_manager_changed: 'cases.log.assignedAccountManagerChanged',
  customer_own_manager: 'cases.log.assignedCustomerOwnManager',
  customer_company_manager: 'cases.log.assignedCustomerCompanyManager',
};

function logText(t: Translate, entry: CaseDetail['log'][number]): string {
  const d = entry.detail;
  const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  switch (entry.type) {
    case 'opened':
      return t('cases.log.opened', { score: str(d.score) });
    case 'status':
      return t('cases.log.status', {
        from: t(`cases.status.${str(d.from)}` as MessageKey),
        to: t(`cases.status.${str(d.to)}` as MessageKey),
      });
    case 'contact-moment':
      return d.channel === 'phone' ? t('cases.log.called') : t('cases.log.mailed');
    case 'answer-changed':
      return t('cases.log.answerChanged', { from: str(d.from), to: str(d.to) });
    case 'answer-joined':
      return t('cases.log.answerJoined', { score: str(d.score) });
    case 'follow-up-answered':
      return t('cases.log.followUpAnswered', { score: str(d.score) });
    case 'alert-failed':
    case 'escalation-failed':
      return `${t(`cases.log.${entry.type}`)} ${t(`outbox.failure.${str(d.failure) || 'other'}` as MessageKey)}`;
    case 'follow-up-sent':
    case 'follow-up-skipped':
    case 'assigned': {
      const because = (ASSIGNED_BECAUSE as Partial<Record<string, MessageKey>>)[str(d.reason)];
      if (because) return t(because);
      if (d.ownerEmployeeId === null) return t('cases.log.unassigned');
      const name = str(d.ownerName);
      return name ? t('cases.log.assignedTo', { name }) : t('cases.log.assigned');
    }
    case 'note':
    case 'alert-sent':
    case 'escalated':
    case 'closed-by-customer':
      return t(`cases.log.${entry.type}` as MessageKey);
    default:
      return entry.type;
  }
}

/**
 * A manager hands a case to a colleague (or leaves it unassigned). A component of its own so that
 * only someone who may assign loads the employees.
 */
function AssignForm(props: {
  owner: string;
  busy: boolean;
  onAssign: (ownerEmployeeId: string | null) => void;
}) {
  const t = useT();
  const employees = useEmployees();
  const [chosen, setChosen] = useState(props.owner);
  return (
    <form
      className="case-assign"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        props.onAssign(chosen === '' ? null : chosen);
      }}
    >
      <SelectField
        label={t('cases.assignTo')}
        value={chosen}
        onChange={(e) => setChosen(e.target.value)}
        options={[
          { value: '', label: t('cases.unassigned') },
          ...employees.map((e) => ({ value: e.id, label: e.name })),
        ]}
      />
      <Button type="submit" busy={props.busy} disabled={chosen === props.owner}>
        {t('cases.assign')}
      </Button>
    </form>
  );
}

/**
 * One case on one screen: what the customer said, the whole history of the contact (every answer
 * over time, earlier cases, invitations, consent), call and mail shortcuts that record the contact
 * moment, reply templates, notes, the status buttons and the log of who did what.
 */
export function CaseScreen(props: { id: string }) {
  const t = useT();
  const fmt = useFormat();
  const { me } = useSession();
  const loaded = useLoad(() => api<CaseDetail>('GET', `/cases/${props.id}`), [props.id]);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState('');
  const [statusNote, setStatusNote] = useState('');
  const [template, setTemplate] = useState<Template>('apology');
  // A team manager who hands a case outside their team (or leaves it unassigned) no longer sees it:
  // the change is stored, and the API's answer to reading it back is "not found".
  const [handedAway, setHandedAway] = useState(false);

  if (handedAway) {
    return (
      <EmptyState
        title={t('cases.handedAway')}
        text={t('cases.handedAwayText')}
        action={<Link to="/cases">{t('cases.backToInbox')}</Link>}
      />
    );
  }
  if (!loaded.data) return loaded.loading ? <Loading /> : <ErrorMessage error={loaded.error} />;
  const c = loaded.data;

  const act = (
    key: string,
    path: string,
    body: unknown,
    after?: () => void,
    method: 'POST' | 'PUT' = 'POST',
  ) => {
    setBusy(key);
    setError(null);
    api<CaseDetail>(method, `/cases/${c.id}/${path}`, { body }).then(
      (next) => {
        setBusy(null);
        loaded.setData(next);
        after?.();
      },
      (e: unknown) => {
        setBusy(null);
        if (key === 'assign' && e instanceof ApiError && e.code === 'not_found')
          setHandedAway(true);
        else setError(e);
      },
    );
  };
  const record = (channel: 'phone' | 'email') => {
    if (c.allowed.work && (c.status === 'open' || c.status === 'contacted')) {
      act(`moment-${channel}`, 'contact-moments', { channel });
    }
  };
  const reply = fillTemplate(t, template, c, me.organisation.name);
  const mailto = c.contact.email
    ? `mailto:${c.contact.email}?subject=${encodeURIComponent(reply.subject)}&body=${encodeURIComponent(reply.body)}`
    : null;
  const active = c.status === 'open' || c.status === 'contacted';

  return (
    <>
      <p className="breadcrumb">
        <Link to="/cases">← {t('cases.title')}</Link>
      </p>
      <PageHeader
        title={c.contact.name ?? t('cases.noName')}
        intro={
          c.kind === 'thanks'
            ? t('cases.introThanks')
            : t('cases.introRecovery', { score: c.score })
        }
      />
      <ErrorMessage error={error} />
      <div className="two-col">
        <div className="stack-wide">
          <section className="card" aria-labelledby="case-said">
            <h2 id="case-said">{t('cases.said')}</h2>
            <p className="big-number" data-testid="case-score">
              {c.score}
            </p>
            {c.comment ? <blockquote className="case-comment">{c.comment}</blockquote> : null}
            <p className="hint">
              {c.mayContact ? t('cases.mayContact') : t('cases.mayNotContact')}
              {c.reasons.length
                ? ` · ${c.reasons.map((r) => t(`cases.reason.${r}` as MessageKey)).join(', ')}`
                : ''}
            </p>
          </section>

          {c.allowed.work && active ? (
            <section className="card" aria-labelledby="case-reach">
              <h2 id="case-reach">{t('cases.reach')}</h2>
              <div className="case-shortcuts">
                {c.contact.phone ? (
                  <a
                    className="btn btn-primary"
                    href={`tel:${c.contact.phone.replace(/[^+\d]/g, '')}`}
                    onClick={() => record('phone')}
                    data-testid="case-call"
                  >
                    {t('cases.call', { phone: c.contact.phone })}
                  </a>
                ) : null}
                {mailto ? (
                  <a
                    className="btn btn-secondary"
                    href={mailto}
                    onClick={() => record('email')}
                    data-testid="case-mail"
                  >
                    {t('cases.mail')}
                  </a>
                ) : null}
              </div>
              {!c.contact.phone && !mailto ? <p className="hint">{t('cases.noChannel')}</p> : null}
              <p className="hint">{t('cases.shortcutHint')}</p>
              <SelectField
                label={t('cases.template')}
                value={template}
                onChange={(e) => setTemplate(e.target.value as Template)}
                options={TEMPLATES.map((k) => ({
                  value: k,
                  label: t(`cases.template.${k}` as MessageKey),
                }))}
              />
              <pre className="plain-text" data-testid="case-template">
                {`${reply.subject}\n\n${reply.body}`}
              </pre>
            </section>
          ) : null}

          {c.allowed.statuses.length ? (
            <section className="card" aria-labelledby="case-status">
              <h2 id="case-status">{t('cases.statusLabel')}</h2>
              <TextAreaField
                label={t('cases.statusNote')}
                value={statusNote}
                rows={2}
                onChange={(e) => setStatusNote(e.target.value)}
              />
              <div className="form-actions">
                {c.allowed.statuses.map((s) => (
                  <Button
                    key={s}
                    variant={s === 'resolved' ? 'primary' : 'secondary'}
                    busy={busy === `status-${s}`}
                    onClick={() =>
                      act(
                        `status-${s}`,
                        'status',
                        { status: s, note: statusNote.trim() || null },
                        () => setStatusNote(''),
                      )
                    }
                  >
                    {t(`cases.mark.${s}` as MessageKey)}
                  </Button>
                ))}
              </div>
            </section>
          ) : null}

          {c.allowed.work ? (
            <section className="card" aria-labelledby="case-notes">
              <h2 id="case-notes">{t('cases.notes')}</h2>
              <form
                onSubmit={(e: FormEvent) => {
                  e.preventDefault();
                  if (note.trim() === '') return;
                  act('note', 'notes', { note: note.trim() }, () => setNote(''));
                }}
              >
                <TextAreaField
                  label={t('cases.note')}
                  value={note}
                  rows={3}
                  onChange={(e) => setNote(e.target.value)}
                />
                <div className="form-actions">
                  <Button type="submit" busy={busy === 'note'} disabled={note.trim() === ''}>
                    {t('cases.addNote')}
                  </Button>
                </div>
              </form>
            </section>
          ) : null}

          <section className="card" aria-labelledby="case-log">
            <h2 id="case-log">{t('cases.log')}</h2>
            <ul className="timeline" data-testid="case-log">
              {c.log.map((e) => (
                <li key={e.id}>
                  <strong>{fmt.dateTime(e.at)}</strong> · {logText(t, e)}
                  {e.by ? ` · ${e.by}` : ''}
                  {e.note ? <p className="case-note">{e.note}</p> : null}
                </li>
              ))}
            </ul>
          </section>
        </div>

        <aside className="stack-wide">
          <section className="card" aria-labelledby="case-facts">
            <h2 id="case-facts">{t('cases.facts')}</h2>
            <dl className="meta">
              <dt>{t('cases.statusLabel')}</dt>
              <dd data-testid="case-status">
                <CaseStatusBadge status={c.status} overdue={c.overdue} />
              </dd>
              <dt>{t('cases.owner')}</dt>
              <dd data-testid="case-owner">{c.owner?.name ?? t('cases.unassigned')}</dd>
              <dt>{t('cases.due')}</dt>
              <dd>{fmt.dateTime(c.dueAt)}</dd>
              <dt>{t('cases.priority')}</dt>
              <dd>{t(`cases.priority.${c.priority}` as MessageKey)}</dd>
              <dt>{t('cases.firstContact')}</dt>
              <dd>{fmt.dateTime(c.firstContactAt)}</dd>
              {c.closedAt ? (
                <>
                  <dt>{t('cases.closed')}</dt>
                  <dd>{fmt.dateTime(c.closedAt)}</dd>
                </>
              ) : null}
              {c.followUp.score !== null ? (
                <>
                  <dt>{t('cases.followUp')}</dt>
                  <dd data-testid="case-follow-up">
                    {c.followUp.score}
                    {c.followUp.wonBack ? ` · ${t('cases.wonBack')}` : ''}
                  </dd>
                </>
              ) : null}
            </dl>
            {c.allowed.assign && active ? (
              <AssignForm
                owner={c.owner?.employeeId ?? ''}
                busy={busy === 'assign'}
                onAssign={(ownerEmployeeId) =>
                  act('assign', 'owner', { ownerEmployeeId }, undefined, 'PUT')
                }
              />
            ) : null}
          </section>

          <section className="card" aria-labelledby="case-contact">
            <h2 id="case-contact">{t('cases.contact')}</h2>
            <dl className="meta">
              <dt>{t('cases.phone')}</dt>
              <dd>{c.contact.phone ?? '—'}</dd>
              <dt>{t('cases.email')}</dt>
              <dd className="break">{c.contact.email ?? '—'}</dd>
              <dt>{t('cases.account')}</dt>
              <dd>{c.contact.account ?? '—'}</dd>
              <dt>{t('cases.consent')}</dt>
              <dd data-testid="case-consent">
                {t(`cases.consent.${c.contact.consent.status}` as MessageKey)}
                {c.contact.consent.at ? ` · ${fmt.date(c.contact.consent.at)}` : ''}
                {c.contact.consent.unsubscribedAt
                  ? ` · ${t('cases.unsubscribed', { date: fmt.date(c.contact.consent.unsubscribedAt) })}`
                  : ''}
              </dd>
            </dl>
            <Link to={`/contacts/${c.contact.id}`}>{t('cases.openContact')}</Link>
          </section>

          <section className="card" aria-labelledby="case-answers">
            <h2 id="case-answers">{t('cases.history.answers')}</h2>
            <ul className="timeline" data-testid="case-answers">
              {c.history.answers.map((a) => (
                <li key={a.id}>
                  <strong>{a.score}</strong> · {fmt.date(a.answeredAt)} · {a.survey}
                  {a.comment ? <p className="case-note">{a.comment}</p> : null}
                </li>
              ))}
            </ul>
          </section>

          <section className="card" aria-labelledby="case-earlier">
            <h2 id="case-earlier">{t('cases.history.cases')}</h2>
            {c.history.cases.length === 0 ? (
              <p className="hint">{t('cases.history.noCases')}</p>
            ) : (
              <ul className="timeline">
                {c.history.cases.map((h) => (
                  <li key={h.id}>
                    <Link to={`/cases/${h.id}`}>
                      {fmt.date(h.openedAt)} · {h.score}
                    </Link>{' '}
                    · {t(`cases.status.${h.status}` as MessageKey)}
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section className="card" aria-labelledby="case-invitations">
            <h2 id="case-invitations">{t('cases.history.invitations')}</h2>
            <ul className="timeline" data-testid="case-invitations">
              {c.history.invitations.map((i) => (
                <li key={i.id}>
                  {fmt.date(i.sentAt ?? i.plannedAt)} · {i.survey}
                  {i.respondedAt ? ` · ${t('cases.history.answered')}` : ''}{' '}
                  <InvitationState status={i.status} skipReason={i.skipReason} />
                </li>
              ))}
            </ul>
          </section>
        </aside>
      </div>
      {busy?.startsWith('moment') ? <Notice>{t('common.loading')}</Notice> : null}
    </>
  );
}

type ReportGroup = CaseReportJson['overall'];
type Share = ReportGroup['wonBack7'];

function ShareCell(props: { share: Share; testId?: string }) {
  const t = useT();
  const fmt = useFormat();
  const s = props.share;
  if (!s) return <td data-testid={props.testId}>{t('cases.report.unknown')}</td>;
  return (
    <td data-testid={props.testId}>
      {fmt.percent(s.estimate)}{' '}
      <span className="hint">
        ({fmt.percent(s.low)}–{fmt.percent(s.high)})
      </span>
    </td>
  );
}

function durationText(
  t: Translate,
  fmt: ReturnType<typeof useFormat>,
  d: ReportGroup['firstContact'],
) {
  if (d.medianHours === null || d.medianWorkingDays === null) return t('cases.report.unknown');
  return t('cases.report.duration', {
    hours: fmt.number(Math.round(d.medianHours * 10) / 10),
    days: fmt.number(Math.round(d.medianWorkingDays * 10) / 10),
  });
}

function ReportRows(props: {
  rows: ReadonlyArray<{ key: string; label: string; g: ReportGroup }>;
}) {
  const t = useT();
  const fmt = useFormat();
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('cases.report.group')}</th>
            <th scope="col">{t('cases.report.cases')}</th>
            <th scope="col">{t('cases.report.followUps')}</th>
            <th scope="col">{t('cases.report.wonBack7')}</th>
            <th scope="col">{t('cases.report.wonBack9')}</th>
            <th scope="col">{t('cases.report.firstContact')}</th>
            <th scope="col">{t('cases.report.resolution')}</th>
            <th scope="col">{t('cases.report.within48h')}</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr key={r.key} data-testid={`report-row-${r.key}`}>
              <th scope="row">{r.label}</th>
              <td>{r.g.cases}</td>
              <td>{r.g.followUpsAnswered}</td>
              <ShareCell share={r.g.wonBack7} testId={`won-back-7-${r.key}`} />
              <ShareCell share={r.g.wonBack9} testId={`won-back-9-${r.key}`} />
              <td>{durationText(t, fmt, r.g.firstContact)}</td>
              <td>{durationText(t, fmt, r.g.resolution)}</td>
              <ShareCell share={r.g.closedWithin48h} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The closed-loop report: how many unhappy customers were won back (a later score of 7+ and 9+,
 * with intervals), how fast they were reached and helped (calendar hours and working days), and the
 * share closed within 48 hours; overall, per owner and per team.
 */
export function CaseReportScreen() {
  const t = useT();
  const report = useLoad(() => api<CaseReportJson>('GET', '/case-report'), []);
  const r = report.data;
  return (
    <>
      <p className="breadcrumb">
        <Link to="/cases">← {t('cases.title')}</Link>
      </p>
      <PageHeader title={t('cases.report.title')} intro={t('cases.report.intro')} />
      <ErrorMessage error={report.error} />
      {!r ? (
        report.loading ? (
          <Loading />
        ) : null
      ) : r.overall.cases === 0 ? (
        <EmptyState title={t('cases.report.empty')} text={t('cases.report.emptyText')} />
      ) : (
        <>
          <section className="card" aria-labelledby="report-overall">
            <h2 id="report-overall">{t('cases.report.overall')}</h2>
            <ReportRows rows={[{ key: 'all', label: t('cases.report.everyone'), g: r.overall }]} />
          </section>
          <section className="card" aria-labelledby="report-owners">
            <h2 id="report-owners">{t('cases.report.byOwner')}</h2>
            <ReportRows
              rows={r.byOwner.map((g) => ({
                key: g.ownerEmployeeId ?? 'none',
                label: g.name ?? t('cases.unassigned'),
                g,
              }))}
            />
          </section>
          <section className="card" aria-labelledby="report-teams">
            <h2 id="report-teams">{t('cases.report.byTeam')}</h2>
            <ReportRows
              rows={r.byTeam.map((g) => ({
                key: g.team ?? 'none',
                label: g.team ?? t('cases.report.noTeam'),
                g,
              }))}
            />
          </section>
        </>
      )}
    </>
  );
}
