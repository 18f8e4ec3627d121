import { useEffect, useRef, useState, type DragEvent } from 'react';
import {
  IMPORT_FIELDS,
  attributeTarget,
  type ColumnMapping,
  type MappingTarget,
} from '../../../src/modules/imports/header-mapping.ts';
import { ApiError, api, upload } from '../api/client.ts';
import type { ImportErrorJson, ImportJson, ImportStatus, Page } from '../api/types.ts';
import { useFormat, useT, type MessageKey } from '../i18n/i18n.tsx';
import { Link, navigate } from '../lib/router.tsx';
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

function UploadStep() {
  const t = useT();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const send = async (file: File) => {
    setBusy(true);
    setError(null);
    try {
      const created = await upload<ImportJson>('/imports', file);
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
        <p>{t('import.uploadText')}</p>
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
function targetOptions(t: ReturnType<typeof useT>, header: string) {
  const attribute = attributeTarget(header);
  return [
    { value: 'ignore', label: t('import.ignore') },
    ...IMPORT_FIELDS.map((f) => ({ value: f, label: t(`importField.${f}`) })),
    { value: attribute, label: t('import.asAttribute', { name: attribute.slice(11) }) },
  ];
}

function initialMapping(imp: ImportJson): ColumnMapping {
  const source = imp.mapping ?? imp.detected.suggestedMapping;
  const mapping: ColumnMapping = {};
  for (const h of imp.detected.headers) mapping[h] = source[h] ?? 'ignore';
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
        await api<ImportJson>('POST', `/imports/${imp.id}/validate`, { body: { mapping } }),
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
                      {targetOptions(t, h).map((o) => (
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
  const label = status === 'importing' ? t('import.importing') : t('import.checking');
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
          total: fmt.number(progress.total),
          percent: fmt.percent(share),
        })}
      </p>
      <p className="hint">{t('import.progressHint')}</p>
    </section>
  );
}

function Counts(props: { items: Array<{ label: string; value: number; tone?: 'good' | 'bad' }> }) {
  const fmt = useFormat();
  return (
    <div className="counts">
      {props.items.map((c) => (
        <div key={c.label} className={`count${c.tone ? ` count-${c.tone}` : ''}`}>
          <strong>{fmt.number(c.value)}</strong>
          {c.label}
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
  const fmt = useFormat();
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
  return (
    <section className="card">
      <h2>{t('import.resultTitle')}</h2>
      <Counts
        items={[
          { label: t('import.countTotal'), value: total },
          { label: t('import.countValid'), value: valid, tone: 'good' },
          { label: t('import.countRejected'), value: rejected, tone: rejected ? 'bad' : undefined },
        ]}
      />
      {rejected > 0 ? (
        <>
          <p>
            {rejected === 1
              ? t('import.rejectedTextOne')
              : t('import.rejectedText', { count: fmt.number(rejected) })}
          </p>
          <RejectedRows importId={imp.id} />
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
              ? t('import.importValid', { count: fmt.number(valid) })
              : t('import.importAll', { count: fmt.number(valid) })}
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

/** The rejected rows, 100 at a time: line in the file, column, value and reason. */
function RejectedRows(props: { importId: string }) {
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
                <td>{e.column ?? (e.field ? t(fieldLabelKey(e.field)) : '—')}</td>
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

function fieldLabelKey(field: string): MessageKey {
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
  return (
    <section className="card">
      <h2>{t('import.doneTitle')}</h2>
      <Counts
        items={[
          { label: t('import.countCreated'), value: imp.progress.created, tone: 'good' },
          { label: t('import.countUpdated'), value: imp.progress.updated },
          { label: t('import.countSkipped'), value: imp.progress.rejected },
        ]}
      />
      <div className="choice">
        <Link className="btn btn-primary" to="/contacts">
          {t('import.toContacts')}
        </Link>
        <Link className="btn btn-secondary" to="/import">
          {t('import.another')}
        </Link>
      </div>
    </section>
  );
}
