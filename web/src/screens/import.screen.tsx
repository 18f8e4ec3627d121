import { useEffect, useRef, useState, type DragEvent } from 'react';
import {
  IMPORT_FIELDS,
  attributeTarget,
  type ColumnMapping,
  type MappingTarget,
} from '../../../src/modules/imports/header-mapping.ts';
import {
  VISIT_IMPORT_FIELDS,
  type VisitImportField,
} from '../../../src/domain/visits/visit-import-fields.ts';
import { ApiError, api, apiUrl, upload } from '../api/client.ts';
import type {
  ImportErrorJson,
  ImportJson,
  ImportStatus,
  Page,
  UnknownNamesJson,
} from '../api/types.ts';
import { useEmployees, useLocations } from '../lib/lookups.hook.ts';
import { useFormat, useT, type MessageKey } from '../i18n/i18n.tsx';
import { Link, navigate, useLocation } from '../lib/router.tsx';
import { useLoad } from '../lib/use-load.hook.ts';
import {
  Badge,
  Button,
  ErrorMessage,
  Loading,
  Notice,
  PageHeader,
} from '../components/ui.component.tsx';

type Step = 'upload' | 'mapping' | 'check' | 'choose' | 'import' | 'done';
const STEPS: ReadonlyArray<{ step: Step; label: MessageKey }> = [
  { step: 'upload', label: 'import.stepUpload' },
  { step: 'mapping', label: 'import.stepMapping' },
  { step: 'check', label: 'import.stepCheck' },
  { step: 'choose', label: 'import.stepChoose' },
  { step: 'import', label: 'import.stepImport' },
  { step: 'done', label: 'import.stepDone' },
];

function stepOf(status: ImportStatus | null, remapping: boolean): Step {
  if (status === null) return 'upload';
  if (remapping) return 'mapping';
  switch (status) {
    case 'uploaded':
      return 'mapping';
    case 'validating':
      return 'check';
    case 'validated':
      return 'choose';
    case 'importing':
      return 'import';
    default:
      return 'done';
  }
}

function Steps(props: { current: Step }) {
  const t = useT();
  const index = STEPS.findIndex((s) => s.step === props.current);
  return (
    <ol className="steps" aria-label={t('import.steps')}>
      {STEPS.map((s, i) => (
        <li key={s.step} aria-current={i === index ? 'step' : undefined}>
          {i + 1}. {t(s.label)}
        </li>
      ))}
    </ol>
  );
}

/**
 * The import wizard, one address per import (`/import/:id`) so a reload or a colleague's link
 * lands on the same step: upload → column mapping with a preview → check (progress) → the
 * rejected rows with line and reason → the user's choice (valid rows, or nothing) → done.
 */
export function ImportScreen(props: { id: string | null }) {
  const t = useT();
  const [remapping, setRemapping] = useState(false);
  const imp = useLoad(
    () => (props.id ? api<ImportJson>('GET', `/imports/${props.id}`) : Promise.resolve(null)),
    [props.id],
  );
  const status = imp.data?.status ?? null;
  const running = status === 'validating' || status === 'importing';

  // Poll while a job works on the file: the progress bar follows `processed / total`.
  const { reload } = imp;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(reload, 600);
    return () => clearInterval(timer);
  }, [running, reload]);

  if (props.id && !imp.data) {
    return imp.loading ? <Loading /> : <ErrorMessage error={imp.error} />;
  }
  const data = imp.data;
  const step = stepOf(status, remapping);
  return (
    <>
      <PageHeader title={t('import.title')} intro={t('import.intro')} />
      <Steps current={step} />
      {data === null ? <UploadStep /> : null}
      {data && step === 'mapping' ? (
        <MappingStep
          imp={data}
          onValidated={(next) => {
            setRemapping(false);
            imp.setData(next);
          }}
        />
      ) : null}
      {data && (step === 'check' || step === 'import') ? <ProgressStep imp={data} /> : null}
      {data && step === 'choose' ? (
        <ChooseStep imp={data} onChosen={imp.setData} onRemap={() => setRemapping(true)} />
      ) : null}
      {data && step === 'done' ? <DoneStep imp={data} /> : null}
    </>
  );
}

type ImportKind = ImportJson['kind'];

function UploadStep() {
  const t = useT();
  const location = useLocation();
  const [kind, setKind] = useState<ImportKind>(
    location.search.get('kind') === 'visits' ? 'visits' : 'contacts',
  );
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const send = async (file: File) => {
    setBusy(true);
    setError(null);
    try {
      const created = await upload<ImportJson>(
        kind === 'visits' ? '/imports?kind=visits' : '/imports',
        file,
      );
      navigate(`/import/${created.id}`);
    } catch (err) {
      setError(err);
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file) void send(file);
  };

  return (
    <>
      <section className="card">
        <h2>{t('import.uploadTitle')}</h2>
        <fieldset className="import-kind">
          <legend>{t('import.kind.legend')}</legend>
          {(['contacts', 'visits'] as const).map((k) => (
            <label key={k}>
              <input
                type="radio"
                name="import-kind"
                value={k}
                checked={kind === k}
                disabled={busy}
                onChange={() => setKind(k)}
              />{' '}
              {t(`import.kind.${k}`)}
            </label>
          ))}
        </fieldset>
        <p>{t('import.uploadText')}</p>
        {kind === 'visits' ? (
          <p className="hint" data-testid="visits-hint">
            {t('import.kind.visitsHint')}
          </p>
        ) : null}
        <ErrorMessage error={error} />
        <div
          className={`dropzone${over ? ' over' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={onDrop}
        >
          <label htmlFor="import-file">
            <strong>{t('import.chooseFile')}</strong>
          </label>
          <p className="hint">{t('import.fileHint')}</p>
          <input
            ref={input}
            id="import-file"
            type="file"
            accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            disabled={busy}
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void send(file);
            }}
          />
          {busy ? (
            <p role="status" className="muted">
              {t('import.uploading')}
            </p>
          ) : null}
        </div>
      </section>
      <RecentImports />
    </>
  );
}

function RecentImports() {
  const t = useT();
  const fmt = useFormat();
  const list = useLoad(
    () => api<Page<ImportJson>>('GET', '/imports', { query: { limit: 10 } }),
    [],
  );
  if (!list.data?.items.length) return null;
  return (
    <section className="card">
      <h2>{t('import.recent')}</h2>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('import.file')}</th>
              <th scope="col">{t('import.when')}</th>
              <th scope="col">{t('contacts.status')}</th>
              <th scope="col" className="num">
                {t('import.rows')}
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((i) => (
              <tr key={i.id}>
                <td>
                  <Link to={`/import/${i.id}`}>{i.filename}</Link>
                  {i.kind === 'visits' ? (
                    <span className="muted"> · {t('import.kind.visitsShort')}</span>
                  ) : null}
                </td>
                <td>{fmt.dateTime(i.createdAt)}</td>
                <td>
                  <ImportStatusBadge status={i.status} />
                </td>
                <td className="num">{fmt.number(i.progress.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const STATUS_TONE: Record<ImportStatus, 'green' | 'grey' | 'amber' | 'red' | 'blue'> = {
  uploaded: 'blue',
  validating: 'blue',
  validated: 'amber',
  importing: 'blue',
  completed: 'green',
  failed: 'red',
  cancelled: 'grey',
};

function ImportStatusBadge(props: { status: ImportStatus }) {
  const t = useT();
  return <Badge tone={STATUS_TONE[props.status]}>{t(`importStatus.${props.status}`)}</Badge>;
}

/** The targets a column can map to, in the order a person thinks of them. */
function targetOptions(t: ReturnType<typeof useT>, header: string, kind: ImportKind) {
  if (kind === 'visits') {
    return [
      { value: 'ignore', label: t('import.ignore') },
      ...VISIT_IMPORT_FIELDS.map((f) => ({ value: f, label: t(`importVisitField.${f}`) })),
    ];
  }
  const attribute = attributeTarget(header);
  return [
    { value: 'ignore', label: t('import.ignore') },
    ...IMPORT_FIELDS.map((f) => ({ value: f, label: t(`importField.${f}`) })),
    { value: attribute, label: t('import.asAttribute', { name: attribute.slice(11) }) },
  ];
}

function initialMapping(imp: ImportJson): ColumnMapping {
  const source: Record<string, string> = imp.mapping ?? imp.detected.suggestedMapping;
  const mapping: ColumnMapping = {};
  for (const h of imp.detected.headers) mapping[h] = (source[h] ?? 'ignore') as MappingTarget;
  return mapping;
}

function MappingStep(props: { imp: ImportJson; onValidated: (imp: ImportJson) => void }) {
  const t = useT();
  const { imp } = props;
  const [mapping, setMapping] = useState<ColumnMapping>(() => initialMapping(imp));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const headers = imp.detected.headers;
  const preview = imp.detected.preview.slice(0, 5);

  const check = async () => {
    setBusy(true);
    setError(null);
    try {
      props.onValidated(
        await api<ImportJson>('POST', `/imports/${imp.id}/validate`, {
          body: { mapping, options: imp.options },
        }),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const problemOf = (header: string) =>
    error instanceof ApiError ? error.fieldMessage(`mapping.${header}`) : null;
  const shown = headers.map((h) => `mapping.${h}`);

  return (
    <section className="card">
      <h2>{t('import.mappingTitle')}</h2>
      <p>
        {t('import.mappingText', {
          file: imp.filename,
          rows: imp.progress.total,
        })}
      </p>
      {imp.detected.encoding || imp.detected.delimiter ? (
        <p className="hint">
          {t('import.detected', {
            encoding: imp.detected.encoding ?? '—',
            delimiter: delimiterName(t, imp.detected.delimiter),
          })}
        </p>
      ) : null}
      {imp.status === 'failed' && imp.error ? (
        <Notice tone="warning">{imp.error.message}</Notice>
      ) : null}
      <ErrorMessage error={error} shownFields={shown} />
      <div className="table-wrap">
        <table className="table" data-testid="import-mapping">
          <thead>
            <tr>
              <th scope="col">{t('import.column')}</th>
              <th scope="col">{t('import.becomes')}</th>
              <th scope="col">{t('import.example')}</th>
            </tr>
          </thead>
          <tbody>
            {headers.map((h, col) => {
              const problem = problemOf(h);
              return (
                <tr key={`${col}-${h}`}>
                  <th scope="row">{h}</th>
                  <td>
                    <select
                      aria-label={t('import.mapColumn', { column: h })}
                      aria-invalid={problem ? true : undefined}
                      value={mapping[h] ?? 'ignore'}
                      onChange={(e) =>
                        setMapping({ ...mapping, [h]: e.target.value as MappingTarget })
                      }
                    >
                      {targetOptions(t, h, imp.kind).map((o) => (
                        <option key={o.value} value={o.value}>
                          {o.label}
                        </option>
                      ))}
                    </select>
                    {problem ? <p className="field-error">{problem}</p> : null}
                  </td>
                  <td className="muted">{preview[0]?.values[col] ?? ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {preview.length ? (
        <>
          <h3>{t('import.preview', { count: preview.length })}</h3>
          <div className="table-wrap">
            <table className="table" data-testid="import-preview">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t('import.line')}
                  </th>
                  {headers.map((h, i) => (
                    <th scope="col" key={`${i}-${h}`}>
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.map((row) => (
                  <tr key={row.line}>
                    <td className="num">{row.line}</td>
                    {headers.map((h, i) => (
                      <td key={`${i}-${h}`}>{row.values[i] ?? ''}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      <div className="choice">
        <Button variant="primary" busy={busy} onClick={() => void check()}>
          {t('import.check')}
        </Button>
        <Link className="btn btn-secondary" to="/import">
          {t('import.otherFile')}
        </Link>
      </div>
    </section>
  );
}

function delimiterName(t: ReturnType<typeof useT>, d: string | null): string {
  if (d === ';') return t('import.delimiterSemicolon');
  if (d === ',') return t('import.delimiterComma');
  if (d === '\t') return t('import.delimiterTab');
  return d ?? '—';
}

function ProgressStep(props: { imp: ImportJson }) {
  const t = useT();
  const fmt = useFormat();
  const { progress, status } = props.imp;
  const share = progress.total > 0 ? Math.min(1, progress.processed / progress.total) : 0;
  const label =
    status !== 'importing'
      ? t('import.checking')
      : props.imp.kind === 'visits'
        ? t('import.importingVisits')
        : t('import.importing');
  return (
    <section className="card">
      <h2>{label}</h2>
      <div
        className="progress"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={progress.total}
        aria-valuenow={progress.processed}
      >
        <div className="progress-bar" style={{ width: `${Math.round(share * 100)}%` }} />
      </div>
      <p className="muted">
        {t('import.progress', {
          processed: fmt.number(progress.processed),
          total: progress.total,
          percent: fmt.percent(share),
        })}
      </p>
      <p className="hint">{t('import.progressHint')}</p>
    </section>
  );
}

/** Counts with their labels in the right number: "1 goede regel", "2 goede regels". */
function Counts(props: {
  items: Array<{ label: MessageKey; value: number; tone?: 'good' | 'bad'; testId?: string }>;
}) {
  const t = useT();
  const fmt = useFormat();
  return (
    <div className="counts">
      {props.items.map((c) => (
        <div
          key={c.label}
          className={`count${c.tone ? ` count-${c.tone}` : ''}`}
          data-testid={c.testId}
        >
          <strong>{fmt.number(c.value)}</strong>
          {t(c.label, { count: c.value })}
        </div>
      ))}
    </div>
  );
}

function ChooseStep(props: {
  imp: ImportJson;
  onChosen: (imp: ImportJson) => void;
  onRemap: () => void;
}) {
  const t = useT();
  const { imp } = props;
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'valid_only' | 'nothing' | null>(null);

  const choose = async (mode: 'valid_only' | 'nothing') => {
    setBusy(mode);
    setError(null);
    try {
      const res = await api<ImportJson | { import: ImportJson }>(
        'POST',
        `/imports/${imp.id}/commit`,
        { body: { mode } },
      );
      props.onChosen('import' in res ? res.import : res);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const { valid, rejected, total } = imp.progress;
  if (imp.question) return <DecimalQuestion imp={imp} onChecked={props.onChosen} />;
  return (
    <section className="card">
      <h2>{t('import.resultTitle')}</h2>
      <Counts
        items={[
          { label: 'import.countTotal', value: total, testId: 'count-total' },
          { label: 'import.countValid', value: valid, tone: 'good', testId: 'count-valid' },
          {
            label: 'import.countRejected',
            value: rejected,
            tone: rejected ? 'bad' : undefined,
            testId: 'count-rejected',
          },
        ]}
      />
      {imp.progress.withoutEmail > 0 ? (
        <Notice tone="warning">
          <span data-testid="import-without-email">
            {t('import.withoutEmail', { count: imp.progress.withoutEmail })}
          </span>
        </Notice>
      ) : null}
      <NameDecisions imp={imp} column={OWNERS} />
      <NameDecisions imp={imp} column={LOCATIONS} />
      {rejected > 0 ? (
        <>
          <UnknownNames imp={imp} column={OWNERS} onChecked={props.onChosen} />
          <UnknownNames imp={imp} column={LOCATIONS} onChecked={props.onChosen} />
          <p>{t('import.rejectedText', { count: rejected })}</p>
          <RejectedDownload imp={imp} />
          <RejectedRows importId={imp.id} kind={imp.kind} />
        </>
      ) : (
        <Notice tone="success">{t('import.allValid')}</Notice>
      )}
      <ErrorMessage error={error} />
      <div className="choice">
        {valid > 0 ? (
          <Button
            variant="primary"
            busy={busy === 'valid_only'}
            disabled={busy !== null}
            onClick={() => void choose('valid_only')}
          >
            {rejected > 0
              ? t('import.importValid', { count: valid })
              : t('import.importAll', { count: valid })}
          </Button>
        ) : null}
        <Button
          busy={busy === 'nothing'}
          disabled={busy !== null}
          onClick={() => void choose('nothing')}
        >
          {t('import.importNothing')}
        </Button>
        <Button variant="link" onClick={props.onRemap} disabled={busy !== null}>
          {t('import.remap')}
        </Button>
      </div>
      {rejected > 0 ? <p className="hint">{t('import.chooseHint')}</p> : null}
    </section>
  );
}

/** The rejected rows as a file like the upload, with a reason column, to fix in Excel. */
function RejectedDownload(props: { imp: ImportJson }) {
  const t = useT();
  const { imp } = props;
  const format =
    imp.format === 'xlsx'
      ? t('import.formatXlsx')
      : t('import.formatCsv', { encoding: imp.detected.encoding ?? 'UTF-8' });
  return (
    <p>
      <a
        className="btn btn-secondary"
        href={apiUrl(`/imports/${imp.id}/rejected`)}
        download
        data-testid="rejected-download"
      >
        {t('import.downloadRejected')}
      </a>{' '}
      <span className="hint">{t('import.downloadHint', { format })}</span>
    </p>
  );
}

type Decision = { action: 'create' } | { action: 'link'; id: string } | { action: 'empty' };

/**
 * A column whose cells name a record — an account manager, a location — and whose names Loyaal
 * does not know: the owner chooses per name to create it, link it to an existing one, or leave
 * it empty. The two columns differ only in their endpoint, their records and their words.
 */
interface NamedColumn {
  path: 'owners' | 'locations';
  idField: 'employeeId' | 'locationId';
  testId: string;
  decisionsTestId: string;
  texts: {
    title: MessageKey;
    text: MessageKey;
    ambiguous: MessageKey;
    create: MessageKey;
    link: MessageKey;
    record: MessageKey;
    none: MessageKey;
    decided: MessageKey;
    decidedCreate: MessageKey;
    decidedLink: MessageKey;
    decidedEmpty: MessageKey;
  };
}

const OWNERS: NamedColumn = {
  path: 'owners',
  idField: 'employeeId',
  testId: 'unknown-owner',
  decisionsTestId: 'owner-decisions',
  texts: {
    title: 'import.owners.title',
    text: 'import.owners.text',
    ambiguous: 'import.owners.ambiguous',
    create: 'import.owners.create',
    link: 'import.owners.link',
    record: 'import.owners.employee',
    none: 'import.owners.noEmployees',
    decided: 'import.owners.decided',
    decidedCreate: 'import.owners.decidedCreate',
    decidedLink: 'import.owners.decidedLink',
    decidedEmpty: 'import.owners.decidedEmpty',
  },
};

const LOCATIONS: NamedColumn = {
  path: 'locations',
  idField: 'locationId',
  testId: 'unknown-location',
  decisionsTestId: 'location-decisions',
  texts: {
    title: 'import.locations.title',
    text: 'import.locations.text',
    ambiguous: 'import.owners.ambiguous',
    create: 'import.locations.create',
    link: 'import.locations.link',
    record: 'import.locations.location',
    none: 'import.locations.noLocations',
    decided: 'import.locations.decided',
    decidedCreate: 'import.locations.decidedCreate',
    decidedLink: 'import.locations.decidedLink',
    decidedEmpty: 'import.locations.decidedEmpty',
  },
};

/** The employees or the (not archived) locations a name can be linked to. */
function useRecords(column: NamedColumn): { id: string; name: string }[] {
  const employees = useEmployees();
  const locations = useLocations();
  return column.path === 'owners' ? employees : locations;
}

/**
 * The names a column of the file uses whom Loyaal does not know (on day one: all of them), one
 * line per name with how many rows name it: create, link to one, or leave empty. The decisions are
 * sent together and the file is checked again with them.
 */
function UnknownNames(props: {
  imp: ImportJson;
  column: NamedColumn;
  onChecked: (imp: ImportJson) => void;
}) {
  const t = useT();
  const { imp, column } = props;
  const names = useLoad(
    () => api<UnknownNamesJson>('GET', `/imports/${imp.id}/${column.path}`),
    [imp.id, imp.updatedAt],
  );
  const records = useRecords(column);
  const [choices, setChoices] = useState<Record<string, Decision>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const items = names.data?.items ?? [];
  if (!items.length) return null;

  const choiceOf = (value: string, ambiguous: boolean): Decision =>
    choices[value] ?? (ambiguous ? { action: 'empty' } : { action: 'create' });
  const apply = async () => {
    setBusy(true);
    setError(null);
    try {
      const resolutions = items.map((o) => {
        const c = choiceOf(o.value, o.problem === 'ambiguous_employee');
        return c.action === 'link'
          ? { value: o.value, action: c.action, [column.idField]: c.id }
          : { value: o.value, action: c.action };
      });
      props.onChecked(
        await api<ImportJson>('POST', `/imports/${imp.id}/${column.path}`, {
          body: { resolutions },
        }),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const incomplete = items.some((o) => {
    const c = choiceOf(o.value, o.problem === 'ambiguous_employee');
    return c.action === 'link' && !c.id;
  });
  const titleId = `${column.path}-title`;

  return (
    <section className="owners" data-testid={`${column.testId}s`} aria-labelledby={titleId}>
      <h3 id={titleId}>{t(column.texts.title)}</h3>
      <p>{t(column.texts.text, { count: items.length })}</p>
      {names.data && !names.data.complete ? (
        <p className="hint">{t('import.owners.incomplete')}</p>
      ) : null}
      <ErrorMessage error={error} />
      <ul className="owner-list">
        {items.map((o, i) => {
          const ambiguous = o.problem === 'ambiguous_employee';
          const choice = choiceOf(o.value, ambiguous);
          const name = `${column.path}-${i}`;
          return (
            <li key={o.value} data-testid={column.testId}>
              <fieldset>
                <legend>
                  <strong>{o.value}</strong>{' '}
                  <span className="muted">{t('import.owners.rows', { count: o.rows })}</span>
                  {ambiguous ? <span className="hint"> {t(column.texts.ambiguous)}</span> : null}
                </legend>
                <div
                  className="owner-choices"
                  role="radiogroup"
                  aria-label={t('import.owners.choice', { name: o.value })}
                >
                  {ambiguous ? null : (
                    <label>
                      <input
                        type="radio"
                        name={name}
                        checked={choice.action === 'create'}
                        onChange={() => setChoices({ ...choices, [o.value]: { action: 'create' } })}
                      />{' '}
                      {t(column.texts.create)}
                    </label>
                  )}
                  <label>
                    <input
                      type="radio"
                      name={name}
                      checked={choice.action === 'link'}
                      disabled={records.length === 0}
                      onChange={() =>
                        setChoices({
                          ...choices,
                          [o.value]: { action: 'link', id: records[0]?.id ?? '' },
                        })
                      }
                    />{' '}
                    {t(column.texts.link)}
                  </label>
                  <label>
                    <input
                      type="radio"
                      name={name}
                      checked={choice.action === 'empty'}
                      onChange={() => setChoices({ ...choices, [o.value]: { action: 'empty' } })}
                    />{' '}
                    {t('import.owners.empty')}
                  </label>
                </div>
                {choice.action === 'link' ? (
                  <select
                    aria-label={t(column.texts.record, { name: o.value })}
                    value={choice.id}
                    onChange={(e) =>
                      setChoices({
                        ...choices,
                        [o.value]: { action: 'link', id: e.target.value },
                      })
                    }
                  >
                    {records.map((e) => (
                      <option key={e.id} value={e.id}>
                        {e.name}
                      </option>
                    ))}
                  </select>
                ) : null}
              </fieldset>
            </li>
          );
        })}
      </ul>
      {records.length === 0 ? <p className="hint">{t(column.texts.none)}</p> : null}
      {/* In the form-actions row the long label wraps on a phone instead of leaving the screen. */}
      <div className="form-actions">
        <Button variant="primary" busy={busy} disabled={incomplete} onClick={() => void apply()}>
          {t('import.owners.apply')}
        </Button>
      </div>
    </section>
  );
}

/** What was decided for unknown names of a column, so the choice screen says what will happen. */
function NameDecisions(props: { imp: ImportJson; column: NamedColumn }) {
  const t = useT();
  const { column } = props;
  const records = useRecords(column);
  const decided: { value: string; action: string; id?: string }[] =
    column.path === 'owners'
      ? props.imp.ownerResolutions.map((r) => ({
          ...r,
          ...(r.action === 'link' ? { id: r.employeeId } : {}),
        }))
      : props.imp.locationResolutions.map((r) => ({
          ...r,
          ...(r.action === 'link' ? { id: r.locationId } : {}),
        }));
  if (!decided.length) return null;
  const nameOf = (id: string | undefined) => records.find((e) => e.id === id)?.name ?? '…';
  return (
    <div className="hint" data-testid={column.decisionsTestId}>
      <p>{t(column.texts.decided)}</p>
      <ul>
        {decided.map((r) => (
          <li key={r.value}>
            {r.action === 'create'
              ? t(column.texts.decidedCreate, { name: r.value })
              : r.action === 'link'
                ? t(column.texts.decidedLink, { name: r.value, employee: nameOf(r.id) })
                : t(column.texts.decidedEmpty, { name: r.value })}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The rejected rows, 100 at a time: line in the file, column, value and reason. */
function RejectedRows(props: { importId: string; kind: ImportKind }) {
  const t = useT();
  const [pages, setPages] = useState<ImportErrorJson[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useLoad(
    () =>
      api<Page<ImportErrorJson>>('GET', `/imports/${props.importId}/errors`, {
        query: { limit: 100 },
      }),
    [props.importId],
  );
  const items = [...(first.data?.items ?? []), ...pages];
  const next = pages.length ? cursor : (first.data?.nextCursor ?? null);
  const more = async () => {
    if (!next) return;
    setBusy(true);
    try {
      const page = await api<Page<ImportErrorJson>>('GET', `/imports/${props.importId}/errors`, {
        query: { limit: 100, cursor: next },
      });
      setPages([...pages, ...page.items]);
      setCursor(page.nextCursor);
    } finally {
      setBusy(false);
    }
  };
  if (first.loading && !first.data) return <Loading />;
  return (
    <>
      <ErrorMessage error={first.error} />
      <div className="table-wrap">
        <table className="table" data-testid="import-errors">
          <thead>
            <tr>
              <th scope="col" className="num">
                {t('import.line')}
              </th>
              <th scope="col">{t('import.column')}</th>
              <th scope="col">{t('import.value')}</th>
              <th scope="col">{t('import.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e, i) => (
              <tr key={`${e.line}-${e.field ?? ''}-${i}`}>
                <td className="num">{e.line}</td>
                <td>{e.column ?? (e.field ? t(fieldLabelKey(e.field, props.kind)) : '—')}</td>
                <td>
                  <code>{e.value ?? ''}</code>
                </td>
                <td>{e.message.charAt(0).toUpperCase() + e.message.slice(1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {next ? (
        <div className="list-footer">
          <span />
          <Button onClick={() => void more()} busy={busy}>
            {t('common.loadMore')}
          </Button>
        </div>
      ) : null}
    </>
  );
}

function fieldLabelKey(field: string, kind: ImportKind): MessageKey {
  if (kind === 'visits') {
    return field === 'customer' || (VISIT_IMPORT_FIELDS as readonly string[]).includes(field)
      ? (`importVisitField.${field as VisitImportField | 'customer'}` as MessageKey)
      : 'import.otherField';
  }
  return (IMPORT_FIELDS as readonly string[]).includes(field)
    ? (`importField.${field}` as MessageKey)
    : 'import.otherField';
}

function DoneStep(props: { imp: ImportJson }) {
  const t = useT();
  const { imp } = props;
  if (imp.status === 'failed') {
    return (
      <section className="card">
        <h2>{t('import.failedTitle')}</h2>
        {imp.error ? <Notice tone="warning">{imp.error.message}</Notice> : null}
        <p>{t('import.failedText')}</p>
        <div className="choice">
          <Link className="btn btn-primary" to="/import">
            {t('import.another')}
          </Link>
        </div>
      </section>
    );
  }
  if (imp.status === 'cancelled') {
    return (
      <section className="card">
        <h2>{t('import.cancelledTitle')}</h2>
        <p>{t('import.cancelledText')}</p>
        <div className="choice">
          <Link className="btn btn-primary" to="/import">
            {t('import.another')}
          </Link>
        </div>
      </section>
    );
  }
  const visits = imp.kind === 'visits';
  return (
    <section className="card">
      <h2>{visits ? t('import.visitsDoneTitle') : t('import.doneTitle')}</h2>
      <Counts
        items={[
          {
            label: visits ? 'import.countVisitsCreated' : 'import.countCreated',
            value: imp.progress.created,
            tone: 'good',
          },
          {
            label: visits ? 'import.countVisitsUpdated' : 'import.countUpdated',
            value: imp.progress.updated,
          },
          { label: 'import.countSkipped', value: imp.progress.rejected },
        ]}
      />
      {imp.progress.withoutEmail > 0 ? (
        <p className="hint">{t('import.withoutEmail', { count: imp.progress.withoutEmail })}</p>
      ) : null}
      {imp.progress.rejected > 0 ? <RejectedDownload imp={imp} /> : null}
      <div className="choice">
        {visits ? (
          <Link className="btn btn-primary" to="/loyalty">
            {t('import.toLoyalty')}
          </Link>
        ) : (
          <Link className="btn btn-primary" to="/contacts">
            {t('import.toContacts')}
          </Link>
        )}
        <Link className="btn btn-secondary" to="/import">
          {t('import.another')}
        </Link>
      </div>
    </section>
  );
}

/**
 * A visits file whose amounts read two ways (`12,50` next to `12.50`, or only `1.234`): Loyaal
 * does not guess. The person says which separator the file uses, and the file is checked again;
 * amounts that do not fit the answer are then rejected with their line.
 */
function DecimalQuestion(props: { imp: ImportJson; onChecked: (imp: ImportJson) => void }) {
  const t = useT();
  const { imp } = props;
  const question = imp.question;
  const [choice, setChoice] = useState<'comma' | 'point' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (!question) return null;
  const list = (cells: readonly string[]) => cells.join(', ');
  const apply = async () => {
    if (!choice) return;
    setBusy(true);
    setError(null);
    try {
      props.onChecked(
        await api<ImportJson>('POST', `/imports/${imp.id}/validate`, {
          body: { mapping: imp.mapping ?? {}, options: { ...imp.options, decimal: choice } },
        }),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" data-testid="decimal-question" aria-labelledby="decimal-title">
      <h2 id="decimal-title">{t('import.question.title')}</h2>
      <p>
        {question.status === 'conflict'
          ? t('import.question.conflict', {
              comma: list(question.examples.comma),
              point: list(question.examples.point),
            })
          : t('import.question.ambiguous', { either: list(question.examples.either) })}
      </p>
      <ErrorMessage error={error} />
      <fieldset className="owner-choices">
        <legend className="sr-only">{t('import.question.title')}</legend>
        {(['comma', 'point'] as const).map((c) => (
          <label key={c}>
            <input
              type="radio"
              name="decimal"
              value={c}
              checked={choice === c}
              onChange={() => setChoice(c)}
            />{' '}
            {t(`import.question.${c}`)}
          </label>
        ))}
      </fieldset>
      <div className="choice">
        <Button variant="primary" busy={busy} disabled={!choice} onClick={() => void apply()}>
          {t('import.question.apply')}
        </Button>
        <Link className="btn btn-secondary" to="/import">
          {t('import.otherFile')}
        </Link>
      </div>
    </section>
  );
}
