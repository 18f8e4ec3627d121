import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { api } from '../api/client.ts';
import { useFormat, useT } from '../i18n/i18n.tsx';
import { Link, navigate } from '../lib/router.tsx';
import { useLoad } from '../lib/use-load.hook.ts';
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
  TextField,
  fieldError,
} from '../components/ui.component.tsx';
import type {
  deliverySchema,
  endpointSchema,
  endpointWithSecretSchema,
} from '../../../src/modules/webhooks/webhooks.schemas.ts';

type Endpoint = z.infer<typeof endpointSchema>;
type EndpointWithSecret = z.infer<typeof endpointWithSecretSchema>;
type Delivery = z.infer<typeof deliverySchema>;

/**
 * The events an endpoint can subscribe to, as the server's webhook catalogue lists them (the web
 * app may import server types only; the server validates every choice against the catalogue).
 */
const EVENT_TYPES = [
  'response.created',
  'response.updated',
  'case.opened',
  'case.updated',
  'case.resolved',
  'ambassador.joined',
  'referral.created',
  'referral.converted',
  'reward.issued',
  'reward.redeemed',
] as const;

function SecretOnce(props: { secret: string; until?: string | null }) {
  const t = useT();
  const fmt = useFormat();
  return (
    <Notice tone="warning">
      <p>
        <strong>{t('webhooks.secretOnce')}</strong>
      </p>
      <p className="secret">
        <code data-testid="webhook-secret">{props.secret}</code> <CopyButton text={props.secret} />
      </p>
      {props.until ? (
        <p>{t('webhooks.previousValid', { until: fmt.dateTime(props.until) })}</p>
      ) : null}
    </Notice>
  );
}

/** Outgoing webhooks: endpoints per organisation, each with its events, format and secret. */
export function WebhooksScreen() {
  const t = useT();
  const list = useLoad(() => api<{ items: Endpoint[] }>('GET', '/webhook-endpoints'), []);
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [format, setFormat] = useState<'standard' | 'slack' | 'teams'>('standard');
  const [events, setEvents] = useState<string[]>(['response.created', 'case.opened']);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<EndpointWithSecret | null>(null);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setCreated(null);
    try {
      const res = await api<EndpointWithSecret>('POST', '/webhook-endpoints', {
        body: { url, events, format, description: description.trim() || null },
      });
      setCreated(res);
      setUrl('');
      setDescription('');
      list.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title={t('webhooks.title')} intro={t('webhooks.intro')} />
      <form className="card" onSubmit={create} noValidate>
        <h2>{t('webhooks.create')}</h2>
        <ErrorMessage error={error} shownFields={['url', 'events']} />
        <TextField
          label={t('webhooks.url')}
          hint={t('webhooks.urlHint')}
          value={url}
          inputMode="url"
          onChange={(e) => setUrl(e.target.value)}
          error={fieldError(error, 'url')}
        />
        <div className="grid-2">
          <TextField
            label={t('webhooks.description')}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
          <SelectField
            label={t('webhooks.format')}
            value={format}
            onChange={(e) => setFormat(e.target.value as typeof format)}
            options={[
              { value: 'standard', label: t('webhooks.format.standard') },
              { value: 'slack', label: t('webhooks.format.slack') },
              { value: 'teams', label: t('webhooks.format.teams') },
            ]}
          />
        </div>
        <fieldset className="plain">
          <legend>{t('webhooks.events')}</legend>
          <div className="webhook-events">
            {EVENT_TYPES.map((type) => (
              <label key={type} className="checkbox">
                <input
                  type="checkbox"
                  checked={events.includes(type)}
                  onChange={(e) =>
                    setEvents(
                      e.target.checked ? [...events, type] : events.filter((x) => x !== type),
                    )
                  }
                />
                <code>{type}</code>
              </label>
            ))}
          </div>
          {fieldError(error, 'events') ? (
            <p className="field-error">{fieldError(error, 'events')}</p>
          ) : null}
        </fieldset>
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={busy}>
            {t('webhooks.createButton')}
          </Button>
        </div>
        {created ? (
          <>
            <SecretOnce secret={created.secret} />
            <Link to={`/webhooks/${created.id}`}>{t('webhooks.open')}</Link>
          </>
        ) : null}
      </form>
      <section className="card">
        <h2>{t('webhooks.list')}</h2>
        {list.loading && !list.data ? <Loading /> : null}
        <ErrorMessage error={list.error} />
        {list.data && list.data.items.length === 0 ? (
          <EmptyState title={t('webhooks.empty')} text={t('webhooks.emptyText')} />
        ) : null}
        {list.data?.items.length ? (
          <div className="table-wrap">
            <table className="table" data-testid="webhooks-table">
              <thead>
                <tr>
                  <th scope="col">{t('webhooks.url')}</th>
                  <th scope="col">{t('webhooks.events')}</th>
                  <th scope="col">{t('webhooks.state')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((w) => (
                  <tr key={w.id}>
                    <td className="break">
                      <Link to={`/webhooks/${w.id}`}>{w.description ?? w.url}</Link>
                    </td>
                    <td>{w.events.join(', ')}</td>
                    <td>
                      <EndpointState endpoint={w} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </>
  );
}

function EndpointState(props: { endpoint: Endpoint }) {
  const t = useT();
  return props.endpoint.enabled ? (
    <Badge tone="green">{t('webhooks.enabled')}</Badge>
  ) : (
    <Badge tone="grey">{t('webhooks.disabled')}</Badge>
  );
}

/**
 * Why Loyaal turned an endpoint off, in the reader's language: one message per stable code (the
 * template key is type-checked, so a new reason cannot ship without its text in both
 * catalogues); a reason this version does not know is shown as stored, after a sentence that says
 * so. The stored code stays available as the tooltip.
 */
function DisabledReasonText(props: { endpoint: Endpoint }) {
  const t = useT();
  const { disabledReasonCode: code, disabledReason: stored } = props.endpoint;
  if (!code || stored === null) return null;
  return (
    <span className="hint" data-testid="webhook-disabled-reason" title={stored}>
      {' '}
      {t(`webhooks.disabledReason.${code}`, { reason: stored })}
    </span>
  );
}

function DeliveryState(props: { delivery: Delivery }) {
  const t = useT();
  const tone =
    props.delivery.status === 'delivered'
      ? 'green'
      : props.delivery.status === 'failed'
        ? 'red'
        : 'amber';
  const reason = props.delivery.lastReason;
  return (
    <>
      <Badge tone={tone}>{t(`webhooks.delivery.${props.delivery.status}`)}</Badge>
      {reason && (
        <span className="hint" data-testid="webhook-reason" title={reason.text}>
          {' '}
          <ReasonText reason={reason} />
        </span>
      )}
    </>
  );
}

/**
 * Why an attempt did not succeed, in the reader's language: one message per stable code (the
 * template key is type-checked, so a new code cannot ship without its text in both catalogues);
 * the stored English text is kept as the tooltip for whoever debugs the endpoint.
 */
function ReasonText(props: { reason: NonNullable<Delivery['lastReason']> }) {
  const t = useT();
  return <>{t(`webhooks.reason.${props.reason.code}`)}</>;
}

/**
 * One endpoint: its settings, enable/disable, secret rotation (the new secret shown once, the old
 * one valid for a day), "send test event", and the delivery log with every attempt's status code
 * and time, each delivery replayable.
 */
export function WebhookScreen(props: { id: string }) {
  const t = useT();
  const fmt = useFormat();
  const endpoint = useLoad(
    () => api<Endpoint>('GET', `/webhook-endpoints/${props.id}`),
    [props.id],
  );
  const deliveries = useLoad(
    () => api<{ items: Delivery[] }>('GET', `/webhook-endpoints/${props.id}/deliveries`),
    [props.id],
  );
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [rotated, setRotated] = useState<{ secret: string; until: string } | null>(null);
  const [removing, setRemoving] = useState(false);

  const run = async (key: string, work: () => Promise<void>) => {
    setBusy(key);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  if (!endpoint.data) {
    return endpoint.loading ? <Loading /> : <ErrorMessage error={endpoint.error} />;
  }
  const w = endpoint.data;
  const base = `/webhook-endpoints/${w.id}`;

  return (
    <>
      <p className="breadcrumb">
        <Link to="/webhooks">← {t('webhooks.title')}</Link>
      </p>
      <PageHeader title={w.description ?? t('webhooks.endpoint')} />
      <ErrorMessage error={error} />
      <section className="card">
        <dl className="meta">
          <dt>{t('webhooks.url')}</dt>
          <dd className="break">{w.url}</dd>
          <dt>{t('webhooks.events')}</dt>
          <dd>{w.events.join(', ')}</dd>
          <dt>{t('webhooks.format')}</dt>
          <dd>{t(`webhooks.format.${w.format}`)}</dd>
          <dt>{t('webhooks.state')}</dt>
          <dd data-testid="webhook-state">
            <EndpointState endpoint={w} />
            <DisabledReasonText endpoint={w} />
          </dd>
        </dl>
        <div className="form-actions">
          <Button
            busy={busy === 'enable'}
            onClick={() =>
              void run('enable', async () => {
                endpoint.setData(
                  await api<Endpoint>('PATCH', base, { body: { enabled: !w.enabled } }),
                );
              })
            }
          >
            {w.enabled ? t('webhooks.disable') : t('webhooks.enable')}
          </Button>
          <Button
            busy={busy === 'test'}
            onClick={() =>
              void run('test', async () => {
                await api<Delivery>('POST', `${base}/test`);
                deliveries.reload();
              })
            }
          >
            {t('webhooks.sendTest')}
          </Button>
          <Button
            busy={busy === 'rotate'}
            onClick={() =>
              void run('rotate', async () => {
                const res = await api<EndpointWithSecret & { previousSecretValidUntil: string }>(
                  'POST',
                  `${base}/rotate-secret`,
                );
                setRotated({ secret: res.secret, until: res.previousSecretValidUntil });
                endpoint.reload();
              })
            }
          >
            {t('webhooks.rotate')}
          </Button>
          <Button variant="danger" onClick={() => setRemoving(true)}>
            {t('webhooks.remove')}
          </Button>
        </div>
        {rotated ? <SecretOnce secret={rotated.secret} until={rotated.until} /> : null}
      </section>
      <section className="card">
        <div className="card-head">
          <h2>{t('webhooks.deliveries')}</h2>
          <Button variant="link" onClick={() => deliveries.reload()}>
            {t('webhooks.refresh')}
          </Button>
        </div>
        <ErrorMessage error={deliveries.error} />
        {deliveries.data && deliveries.data.items.length === 0 ? (
          <p className="hint">{t('webhooks.noDeliveries')}</p>
        ) : null}
        {deliveries.data?.items.length ? (
          <div className="table-wrap">
            <table className="table" data-testid="webhook-deliveries">
              <thead>
                <tr>
                  <th scope="col">{t('webhooks.when')}</th>
                  <th scope="col">{t('webhooks.event')}</th>
                  <th scope="col">{t('webhooks.state')}</th>
                  <th scope="col">{t('webhooks.attempts')}</th>
                  <th scope="col">
                    <span className="sr-only">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {deliveries.data.items.map((d) => (
                  <tr key={d.id}>
                    <td>{fmt.dateTime(d.createdAt)}</td>
                    <td>
                      <code>{d.eventType}</code>
                    </td>
                    <td>
                      <DeliveryState delivery={d} />
                    </td>
                    <td>
                      <ul className="plain-list" data-testid="webhook-attempts">
                        {d.log.map((a, i) => (
                          <li key={i} title={a.reason?.text}>
                            {fmt.dateTime(a.at)} ·{' '}
                            {a.statusCode ?? (a.reason ? <ReasonText reason={a.reason} /> : '—')} ·{' '}
                            {t('webhooks.ms', { ms: a.durationMs })}
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td>
                      <Button
                        variant="link"
                        busy={busy === `replay-${d.id}`}
                        onClick={() =>
                          void run(`replay-${d.id}`, async () => {
                            await api<Delivery>('POST', `${base}/deliveries/${d.id}/replay`);
                            deliveries.reload();
                          })
                        }
                      >
                        {t('webhooks.replay')}
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      <ConfirmDialog
        open={removing}
        title={t('webhooks.removeTitle')}
        confirmLabel={t('webhooks.remove')}
        onCancel={() => setRemoving(false)}
        onConfirm={() =>
          void run('remove', async () => {
            await api('DELETE', base);
            setRemoving(false);
            navigate('/webhooks');
          })
        }
      >
        <p>{t('webhooks.removeText')}</p>
      </ConfirmDialog>
    </>
  );
}
