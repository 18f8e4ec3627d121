import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client.ts';
import type { Delivery, SendPreview, Survey } from '../api/types.ts';
import { useFormat, useT, type MessageKey } from '../i18n/i18n.tsx';
import { Link } from '../lib/router.tsx';
import { useEmployees } from '../lib/lookups.hook.ts';
import { useLoad } from '../lib/use-load.hook.ts';
import { SKIP_REASON_ORDER } from '../../../src/domain/contact-rules/contact-rules.ts';
import { MailBanner, useMailStatus } from '../components/mail-banner.component.tsx';
import {
  Button,
  ErrorMessage,
  fieldError,
  Loading,
  Notice,
  PageHeader,
  SelectField,
  TextAreaField,
  TextField,
} from '../components/ui.component.tsx';

type Who = 'all' | 'segment' | 'owner' | 'filter' | 'list';

/** The codes a send's preview may give (`SelectionSkipReason`), each worded by the catalogues. */
const SKIP_CODES: readonly string[] = [...SKIP_REASON_ORDER, 'unknown_contact'];

const skipLabel = (code: string): MessageKey =>
  SKIP_CODES.includes(code) ? (`skip.${code}` as MessageKey) : 'skip.other';

/** Emails and customer numbers pasted from anywhere: one per line, or separated by , ; or tabs. */
export function parsePastedList(text: string): { emails: string[]; externalIds: string[] } {
  const entries = [
    ...new Set(
      text
        .split(/[\n\r,;\t]+/)
        .map((e) => e.trim())
        .filter(Boolean),
    ),
  ];
  return {
    emails: entries.filter((e) => e.includes('@')),
    externalIds: entries.filter((e) => !e.includes('@')),
  };
}

/**
 * What the send button says: whether the survey is activated first, whether the mail really
 * leaves or only reaches the local outbox, now or in waves, one contact or more.
 */
function sendLabel(o: {
  draft: boolean;
  delivery: Delivery;
  when: 'now' | 'waves';
  count: number;
}): MessageKey {
  const outbox = o.delivery.mode === 'outbox' ? 'Outbox' : '';
  const base =
    o.when === 'now'
      ? o.draft
        ? `activate${outbox}Now`
        : outbox
          ? 'outboxNow'
          : 'now'
      : o.draft
        ? `activate${outbox}Plan`
        : outbox
          ? 'outboxPlan'
          : 'plan';
  return `send.button.${base}` as MessageKey;
}

/** What happened after sending, in the same terms. */
function doneLabel(o: { delivery: Delivery; when: 'now' | 'waves'; count: number }): MessageKey {
  const outbox = o.delivery.mode !== 'smtp';
  const base =
    o.when === 'now' ? (outbox ? 'outbox' : 'sent') : outbox ? 'plannedOutbox' : 'planned';
  return `send.done.${base}` as MessageKey;
}

/**
 * The send wizard: choose who (everyone, a segment, an account manager's customers, a filter or a
 * pasted list) and when (now, or spread over a period in waves), then see exactly who we invite
 * and why the others are skipped before anything is sent.
 */
export function SendScreen(props: { surveyId: string }) {
  const t = useT();
  const fmt = useFormat();
  const employees = useEmployees();
  const survey = useLoad(() => api<Survey>('GET', `/surveys/${props.surveyId}`), [props.surveyId]);
  const mail = useMailStatus();
  const [who, setWho] = useState<Who>('all');
  const [segment, setSegment] = useState('');
  const [owner, setOwner] = useState('');
  const [language, setLanguage] = useState('');
  const [pasted, setPasted] = useState('');
  const [when, setWhen] = useState<'now' | 'waves'>('now');
  const today = new Date().toISOString().slice(0, 10);
  const [start, setStart] = useState(today);
  // "Laatste dag" starts a year ahead: a continuous send usually covers the coming year.
  const [end, setEnd] = useState(() => {
    const d = new Date();
    d.setFullYear(d.getFullYear() + 1);
    return d.toISOString().slice(0, 10);
  });
  const [waves, setWaves] = useState('12');
  const [preview, setPreview] = useState<SendPreview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'preview' | 'send' | null>(null);
  const [sent, setSent] = useState<{
    plannedCount: number;
    delivery: Delivery;
    when: 'now' | 'waves';
  } | null>(null);

  const selection = () => {
    switch (who) {
      case 'all':
        return { kind: 'all' };
      case 'segment':
        return { kind: 'segment', segment };
      case 'owner':
        return { kind: 'owner', ownerEmployeeId: owner };
      case 'filter':
        return {
          kind: 'filter',
          ...(language ? { language } : {}),
          ...(segment.trim() ? { segment: segment.trim() } : {}),
          ...(owner ? { ownerEmployeeId: owner } : {}),
        };
      case 'list': {
        const { emails, externalIds } = parsePastedList(pasted);
        return { kind: 'list', emails, externalIds };
      }
    }
  };
  const schedule = () =>
    when === 'now'
      ? { kind: 'now' }
      : {
          kind: 'waves',
          start: new Date(`${start}T09:00:00`).toISOString(),
          end: end ? new Date(`${end}T17:00:00`).toISOString() : '',
          waves: Number(waves),
        };
  const changed = () => {
    setPreview(null);
    setSent(null);
  };

  const run = async (what: 'preview' | 'send') => {
    setBusy(what);
    setError(null);
    try {
      const body = { selection: selection(), schedule: schedule() };
      if (what === 'preview') {
        setPreview(
          await api<SendPreview>('POST', `/surveys/${props.surveyId}/sends/preview`, { body }),
        );
      } else {
        const result = await api<{ plannedCount: number; delivery: Delivery }>(
          'POST',
          `/surveys/${props.surveyId}/sends`,
          { body },
        );
        setSent({ ...result, when });
        setPreview(null);
        // Sending activated a draft: show the survey as it is now.
        survey.reload();
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  // The usual first send is "everyone, now": show who that invites straight away, so activating
  // and sending is one click on this screen.
  const previewed = useRef(false);
  const ready = survey.data !== null;
  useEffect(() => {
    if (!ready || previewed.current) return;
    previewed.current = true;
    void run('preview');
    // Once, when the survey has loaded; later previews follow the person's choices.
  }, [ready]);

  if (!survey.data) return survey.loading ? <Loading /> : <ErrorMessage error={survey.error} />;
  // Problems shown beside their field (named by its label); the rest are listed under the form.
  const shownFields = [
    ...(who === 'segment' || who === 'filter' ? ['selection.segment'] : []),
    ...(who === 'owner' || who === 'filter' ? ['selection.ownerEmployeeId'] : []),
    ...(who === 'list' ? ['selection.emails', 'selection.externalIds'] : []),
    ...(when === 'waves' ? ['schedule.start', 'schedule.end', 'schedule.waves'] : []),
  ];
  const fieldErr = (field: string) =>
    shownFields.includes(field) ? fieldError(error, field) : null;
  const radio = (value: Who, label: MessageKey) => (
    <div className="checkbox">
      <input
        type="radio"
        id={`who-${value}`}
        name="who"
        checked={who === value}
        onChange={() => {
          setWho(value);
          changed();
        }}
      />
      <label htmlFor={`who-${value}`}>{t(label)}</label>
    </div>
  );
  const employeeOptions = [
    { value: '', label: t('send.chooseEmployee') },
    ...employees.map((e) => ({ value: e.id, label: e.name })),
  ];

  return (
    <>
      <p className="breadcrumb">
        <Link to={`/surveys/${props.surveyId}`}>← {survey.data.name}</Link>
      </p>
      <PageHeader title={t('send.title')} intro={t('send.intro')} />
      <MailBanner status={mail.data} />
      {survey.data.status === 'draft' ? <Notice>{t('send.draft')}</Notice> : null}
      {survey.data.status === 'archived' ? (
        <Notice tone="warning">{t('send.archived')}</Notice>
      ) : null}
      <section className="card">
        <h2>{t('send.who')}</h2>
        <fieldset className="plain stack" onChange={changed}>
          <legend className="sr-only">{t('send.who')}</legend>
          {radio('all', 'send.whoAll')}
          {radio('segment', 'send.whoSegment')}
          {radio('owner', 'send.whoOwner')}
          {radio('filter', 'send.whoFilter')}
          {radio('list', 'send.whoList')}
        </fieldset>
        <div className="grid-3" onChange={changed}>
          {who === 'segment' || who === 'filter' ? (
            <TextField
              label={t('field.segment')}
              error={fieldErr('selection.segment')}
              value={segment}
              onChange={(e) => setSegment(e.target.value)}
            />
          ) : null}
          {who === 'owner' || who === 'filter' ? (
            <SelectField
              label={t('field.owner')}
              error={fieldErr('selection.ownerEmployeeId')}
              value={owner}
              onChange={(e) => setOwner(e.target.value)}
              options={employeeOptions}
            />
          ) : null}
          {who === 'filter' ? (
            <SelectField
              label={t('field.language')}
              value={language}
              onChange={(e) => setLanguage(e.target.value)}
              options={[
                { value: '', label: t('common.all') },
                { value: 'nl', label: t('language.nl') },
                { value: 'en', label: t('language.en') },
              ]}
            />
          ) : null}
        </div>
        {who === 'list' ? (
          <TextAreaField
            label={t('send.pasteLabel')}
            hint={t('send.pasteHint')}
            error={fieldErr('selection.emails') ?? fieldErr('selection.externalIds')}
            rows={6}
            value={pasted}
            onChange={(e) => {
              setPasted(e.target.value);
              changed();
            }}
          />
        ) : null}
        <h2>{t('send.when')}</h2>
        <div className="stack" onChange={changed}>
          <div className="checkbox">
            <input
              type="radio"
              id="when-now"
              name="when"
              checked={when === 'now'}
              onChange={() => setWhen('now')}
            />
            <label htmlFor="when-now">{t('send.now')}</label>
          </div>
          <div className="checkbox">
            <input
              type="radio"
              id="when-waves"
              name="when"
              checked={when === 'waves'}
              onChange={() => setWhen('waves')}
            />
            <label htmlFor="when-waves">{t('send.waves')}</label>
          </div>
        </div>
        {when === 'waves' ? (
          <>
            <p className="hint">{t('send.wavesHint')}</p>
            <div className="grid-3" onChange={changed}>
              <TextField
                label={t('send.start')}
                error={fieldErr('schedule.start')}
                type="date"
                value={start}
                onChange={(e) => setStart(e.target.value)}
              />
              <TextField
                label={t('send.end')}
                error={fieldErr('schedule.end')}
                type="date"
                value={end}
                onChange={(e) => setEnd(e.target.value)}
              />
              <TextField
                label={t('send.waveCount')}
                error={fieldErr('schedule.waves')}
                type="number"
                min={1}
                max={366}
                value={waves}
                onChange={(e) => setWaves(e.target.value)}
              />
            </div>
          </>
        ) : null}
        <ErrorMessage error={error} shownFields={shownFields} />
        <div className="choice">
          <Button
            variant={preview ? 'secondary' : 'primary'}
            busy={busy === 'preview'}
            onClick={() => void run('preview')}
          >
            {t('send.preview')}
          </Button>
        </div>
      </section>
      {sent ? (
        <Notice tone={sent.delivery.mode === 'smtp' ? 'success' : 'warning'}>
          <p data-testid="send-done">
            {t(doneLabel({ delivery: sent.delivery, when: sent.when, count: sent.plannedCount }), {
              count: sent.plannedCount,
            })}
          </p>
          <p>
            <Link to="/outbox">{t('nav.outbox')}</Link> ·{' '}
            <Link to={`/results?surveyId=${props.surveyId}`}>{t('nav.results')}</Link>
          </p>
        </Notice>
      ) : null}
      {preview ? (
        <section className="card" data-testid="send-preview">
          <h2>{t('send.previewTitle')}</h2>
          <div className="counts">
            <div className="count">
              <strong>{fmt.number(preview.candidates)}</strong>
              {t('send.candidates')}
            </div>
            <div className="count count-good">
              <strong>{fmt.number(preview.eligible)}</strong>
              {t('send.eligible')}
            </div>
            <div className="count">
              <strong>{fmt.number(preview.skipped)}</strong>
              {t('send.skipped')}
            </div>
            {preview.notFound ? (
              <div className="count count-bad">
                <strong>{fmt.number(preview.notFound)}</strong>
                {t('send.notFound')}
              </div>
            ) : null}
          </div>
          {preview.unmatched.length ? (
            <div data-testid="send-unmatched">
              <h3>{t('send.unmatchedTitle', { count: preview.unmatched.length })}</h3>
              <p className="hint">{t('send.unmatchedHint')}</p>
              <ul className="unmatched-list">
                {preview.unmatched.map((value) => (
                  <li key={value}>{value}</li>
                ))}
              </ul>
            </div>
          ) : null}
          {Object.keys(preview.reasons).length ? (
            <>
              <h3>{t('send.whySkipped')}</h3>
              <ul className="plain-list">
                {Object.entries(preview.reasons).map(([code, n]) => (
                  <li key={code}>
                    <strong>{fmt.number(n)}</strong> · {t(skipLabel(code))}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {preview.sample.length ? (
            <details>
              <summary>{t('send.sample', { count: preview.sample.length })}</summary>
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">{t('field.name')}</th>
                      <th scope="col">{t('field.email')}</th>
                      <th scope="col">{t('send.reason')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {preview.sample.map((s, i) => (
                      <tr key={s.contactId ?? `${s.email ?? ''}-${i}`}>
                        <td>{s.name ?? '—'}</td>
                        <td>{s.email ?? '—'}</td>
                        <td>{s.explanation}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
          ) : null}
          {preview.caseFollowUps?.length ? (
            <div className="alert alert-info" data-testid="send-case-follow-ups">
              <p>{t('send.caseFollowUps', { count: preview.caseFollowUps.length })}</p>
              <ul>
                {preview.caseFollowUps.map((f) => (
                  <li key={f.caseId}>
                    <Link to={`/cases/${f.caseId}`}>{f.name ?? f.email ?? '—'}</Link>:{' '}
                    {f.explanation}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {preview.waves.length > 1 ? (
            <>
              <h3>{t('send.wavePlan')}</h3>
              <p className="muted">
                {preview.waves
                  .map((w) => `${fmt.date(w.sendAt)}: ${fmt.number(w.count)}`)
                  .join(' · ')}
              </p>
            </>
          ) : null}
          <div className="choice">
            <Button
              variant="primary"
              disabled={
                preview.eligible === 0 ||
                preview.delivery.mode === 'unusable' ||
                survey.data.status === 'archived'
              }
              busy={busy === 'send'}
              onClick={() => void run('send')}
            >
              {t(
                sendLabel({
                  draft: survey.data.status === 'draft',
                  delivery: preview.delivery,
                  when,
                  count: preview.eligible,
                }),
                { count: preview.eligible },
              )}
            </Button>
          </div>
          {preview.eligible === 0 ? <p className="hint">{t('send.nobody')}</p> : null}
          {preview.delivery.mode === 'unusable' ? (
            <p className="hint">{t('send.unusable')}</p>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
