import { useState, type FormEvent } from 'react';
import { api } from '../api/client.ts';
import type { Location, Page, Survey } from '../api/types.ts';
import { useT } from '../i18n/i18n.tsx';
import { useCan } from '../lib/session.tsx';
import { useLoad } from '../lib/use-load.hook.ts';
import {
  Badge,
  Button,
  EmptyState,
  ErrorMessage,
  Loading,
  PageHeader,
  SelectField,
  TextField,
  fieldError,
} from '../components/ui.component.tsx';

/**
 * Locations (vestigingen): the branches answers are broken down by. Add, rename, archive and
 * restore (an archived location keeps its answers but is no longer offered), and per location the
 * QR code and poster of a survey's anonymous link, whose answers keep that location.
 */
export function LocationsScreen() {
  const t = useT();
  const can = useCan();
  const writer = can('locations:write');
  const [archived, setArchived] = useState(false);
  const list = useLoad(
    () =>
      api<{ items: Location[] }>('GET', '/locations', {
        query: { archived: archived ? 'true' : undefined },
      }),
    [archived],
  );
  const surveys = useLoad(
    () =>
      can('surveys:read')
        ? api<Page<Survey>>('GET', '/surveys', { query: { status: 'active', limit: 200 } })
        : Promise.resolve(null),
    [],
  );
  const [surveyId, setSurveyId] = useState('');
  const active = surveys.data?.items ?? [];
  const chosen = surveyId || active[0]?.id || '';
  const items = list.data?.items ?? [];

  return (
    <>
      <PageHeader title={t('locations.title')} intro={t('locations.intro')} />
      {writer ? <AddLocation onAdded={list.reload} /> : null}
      <section className="card" aria-labelledby="locations-list">
        <h2 id="locations-list">{t('locations.list')}</h2>
        <div className="grid-2">
          {active.length > 0 ? (
            <SelectField
              label={t('locations.survey')}
              hint={t('locations.surveyHint')}
              value={chosen}
              onChange={(e) => setSurveyId(e.target.value)}
              options={active.map((s) => ({ value: s.id, label: s.name }))}
            />
          ) : (
            <p className="hint" data-testid="locations-no-survey">
              {t('locations.noSurvey')}
            </p>
          )}
          <label className="checkbox">
            <input
              type="checkbox"
              checked={archived}
              onChange={(e) => setArchived(e.target.checked)}
            />{' '}
            {t('locations.showArchived')}
          </label>
        </div>
        <ErrorMessage error={list.error} />
        {list.loading && !list.data ? (
          <Loading />
        ) : items.length === 0 ? (
          <EmptyState title={t('locations.empty')} text={t('locations.emptyText')} />
        ) : (
          <ul className="location-list" data-testid="locations">
            {items.map((l) => (
              <LocationRow
                key={l.id}
                location={l}
                surveyId={chosen}
                writer={writer}
                onChanged={list.reload}
              />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function AddLocation(props: { onAdded: () => void }) {
  const t = useT();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api<Location>('POST', '/locations', { body: { name } });
      setName('');
      props.onAdded();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card" onSubmit={submit} noValidate>
      <h2>{t('locations.add')}</h2>
      <ErrorMessage error={error} shownFields={['name']} />
      <TextField
        label={t('locations.name')}
        hint={t('locations.nameHint')}
        value={name}
        maxLength={100}
        onChange={(e) => setName(e.target.value)}
        error={fieldError(error, 'name')}
      />
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy}>
          {t('locations.addButton')}
        </Button>
      </div>
    </form>
  );
}

/** One location: its name (renamed in place), archive or restore, and its QR code and poster. */
function LocationRow(props: {
  location: Location;
  surveyId: string;
  writer: boolean;
  onChanged: () => void;
}) {
  const t = useT();
  const { location: l } = props;
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(l.name);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const patch = async (body: { name?: string; archived?: boolean }) => {
    setBusy(true);
    setError(null);
    try {
      await api<Location>('PATCH', `/locations/${l.id}`, { body });
      setEditing(false);
      props.onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const query = `locationId=${encodeURIComponent(l.id)}`;
  return (
    <li className="location-row" data-testid="location">
      {editing ? (
        <form
          className="location-rename"
          onSubmit={(e) => {
            e.preventDefault();
            void patch({ name });
          }}
          noValidate
        >
          <ErrorMessage error={error} shownFields={['name']} />
          <TextField
            label={t('locations.newName', { name: l.name })}
            value={name}
            maxLength={100}
            onChange={(e) => setName(e.target.value)}
            error={fieldError(error, 'name')}
          />
          <div className="stack">
            <Button type="submit" variant="primary" busy={busy}>
              {t('common.save')}
            </Button>
            <Button
              onClick={() => {
                setEditing(false);
                setName(l.name);
                setError(null);
              }}
            >
              {t('common.cancel')}
            </Button>
          </div>
        </form>
      ) : (
        <>
          <p className="location-name">
            <strong>{l.name}</strong>{' '}
            {l.archived ? <Badge tone="grey">{t('locations.archivedBadge')}</Badge> : null}
          </p>
          <ErrorMessage error={error} />
          <div className="location-actions">
            {props.surveyId && !l.archived ? (
              <>
                <a
                  href={`/api/v1/surveys/${props.surveyId}/poster?${query}`}
                  target="_blank"
                  rel="noopener"
                  data-testid="location-poster"
                >
                  {t('locations.poster')}
                </a>
                <a
                  href={`/api/v1/surveys/${props.surveyId}/qr.svg?${query}`}
                  download={`qr-${l.name}.svg`}
                  data-testid="location-qr"
                >
                  {t('locations.qr')}
                </a>
              </>
            ) : null}
            {props.writer ? (
              <>
                <Button
                  variant="link"
                  aria-label={t('locations.renameOf', { name: l.name })}
                  onClick={() => setEditing(true)}
                >
                  {t('locations.rename')}
                </Button>
                <Button
                  variant="link"
                  busy={busy}
                  aria-label={
                    l.archived
                      ? t('locations.restoreOf', { name: l.name })
                      : t('locations.archiveOf', { name: l.name })
                  }
                  onClick={() => void patch({ archived: !l.archived })}
                >
                  {l.archived ? t('locations.restore') : t('locations.archive')}
                </Button>
              </>
            ) : null}
          </div>
        </>
      )}
    </li>
  );
}
