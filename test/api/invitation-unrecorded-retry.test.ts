import type { KyselyPlugin, RootOperationNode } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Deps } from '../../src/platform/deps.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildOrganisation, startMailingTestApp, type MailingTestApp } from '../support/harness.ts';
import { type TestSmtpServer } from '../support/smtp-server.ts';

/**
 * The batch's last step fails: the mail server accepted every message of a batch, and the
 * transaction that marks the invitations sent could not get a database connection in time (a
 * worker under load, the many-processes scenario of issue 13). The emails were recorded sent as
 * the server took them; the jobs must come back within seconds to record the invitations, without
 * sending anything again, instead of waiting out the mail server's back-off (a minute, then five).
 */
describeEachDialect('a batch whose final transaction the database failed', (dialect) => {
  let smtp: TestSmtpServer;
  let t: MailingTestApp;

  beforeAll(async () => {
    t = await startMailingTestApp(dialect);
    smtp = t.smtp;
  });
  afterAll(async () => t?.close());

  it('records the invitations within seconds and sends nothing twice', async () => {
    const owner = await buildOrganisation(t, 'Garage Druk');
    const survey = await owner.request({
      method: 'POST',
      url: '/api/v1/surveys',
      payload: { name: 'NPS', status: 'active' },
    });
    for (const name of ['Anna', 'Bram', 'Cor']) {
      const contact = await owner.request({
        method: 'POST',
        url: '/api/v1/contacts',
        payload: { name: `${name} Jansen`, email: `${name.toLowerCase()}@example.nl` },
      });
      expect(contact.statusCode, contact.body).toBe(201);
    }
    const send = await owner.request({
      method: 'POST',
      url: `/api/v1/surveys/${survey.json<{ id: string }>().id}/sends`,
      payload: { selection: { kind: 'all' }, schedule: { kind: 'now' } },
    });
    expect(send.statusCode, send.body).toBe(201);
    smtp.received.length = 0;

    // Marking the invitations sent fails as node-postgres fails when no pooled connection frees
    // up in time.
    let refused = 0;
    const noConnection: KyselyPlugin = {
      transformQuery({ node }): RootOperationNode {
        if (
          node.kind === 'UpdateQueryNode' &&
          JSON.stringify(node.table).includes('"invitations"') &&
          JSON.stringify(node.updates).includes('"sent_at"')
        ) {
          refused++;
          throw new Error('timeout exceeded when trying to connect');
        }
        return node;
      },
      transformResult: ({ result }) => Promise.resolve(result),
    };
    const strained: Deps = {
      ...t.deps,
      db: { ...t.db, kysely: t.db.kysely.withPlugin(noConnection) },
    };
    await startWorker(strained, { concurrency: 1 }, false).drain();
    expect(refused).toBeGreaterThan(0);
    expect(smtp.received).toHaveLength(3);

    const invitations = () =>
      t.db.kysely
        .selectFrom('invitations')
        .select('status')
        .where('organisation_id', '=', owner.organisationId)
        .execute();
    const jobs = () =>
      t.db.kysely
        .selectFrom('jobs')
        .select(['status', 'attempts', 'run_at'])
        .where('organisation_id', '=', owner.organisationId)
        .where('type', '=', 'invitation.send')
        .execute();
    expect(await invitations()).toEqual(Array(3).fill({ status: 'queued' }));
    // Due again in seconds, not on the mail back-off's first minute.
    expect(await jobs()).toEqual(
      Array(3).fill({ status: 'queued', attempts: 1, run_at: t.clock.now + 5_000 }),
    );
    const emails = await t.db.kysely
      .selectFrom('emails')
      .select('status')
      .where('organisation_id', '=', owner.organisationId)
      .execute();
    expect(emails).toEqual([{ status: 'sent' }, { status: 'sent' }, { status: 'sent' }]);

    t.clock.now += 5_000;
    await startWorker(t.deps, { concurrency: 1 }, false).drain();
    expect(await invitations()).toEqual(Array(3).fill({ status: 'sent' }));
    expect((await jobs()).map((j) => [j.status, j.attempts])).toEqual(Array(3).fill(['done', 2]));
    expect(smtp.received).toHaveLength(3);
  });
});
