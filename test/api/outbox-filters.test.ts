import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EmailTable } from '../../src/db/schema.ts';
import { queuedEmail } from '../../src/modules/email/deliver-mail.ts';
import { insertEmailIfAbsent } from '../../src/modules/email/emails.repository.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

type Item = { subject: string; kind: string; status: string };
type Problems = { error: { code: string; fields: { field: string; message: string }[] } };

/**
 * The outbox lists every email the organisation sent or failed to send; staff looking for the one
 * review request that did not go out filter it by kind and by status (`?kind=&status=`), and a
 * value the API does not know is a clear 400 naming the field, never an empty list or a 500.
 */
describeEachDialect('filtering the outbox by kind and status', (dialect) => {
  let t: TestApp;
  let owner: Client;

  beforeAll(async () => {
    t = await startTestApp(dialect, { PUBLIC_URL: 'https://nps.garage.test' });
    owner = await buildOrganisation(t, 'Garage Filter');
    const rows: [EmailTable['kind'], EmailTable['status'], string][] = [
      ['invitation', 'sent', 'Uitnodiging verzonden'],
      ['invitation', 'failed', 'Uitnodiging mislukt'],
      ['review_request', 'sent', 'Review verzonden'],
      ['review_request', 'failed', 'Review mislukt 1'],
      ['review_request', 'failed', 'Review mislukt 2'],
      ['review_request', 'failed', 'Review mislukt 3'],
      ['friend_welcome', 'queued', 'Welkom in de wachtrij'],
      ['ambassador_invite', 'held', 'Programma in de outbox'],
    ];
    const start = t.clock.now - rows.length * 60_000;
    for (const [i, [kind, status, subject]] of rows.entries()) {
      const created = start + i * 60_000;
      const row = queuedEmail(
        {
          organisationId: owner.organisationId,
          kind,
          to: `klant${i}@voorbeeld.nl`,
          subject,
          text: 'Tekst',
          html: '<p>Tekst</p>',
          headers: {},
          messageId: `<outbox-filter-${i}@nps.garage.test>`,
          placedAt: created,
          transport: status === 'held' ? 'outbox' : 'smtp',
        },
        created,
      );
      await insertEmailIfAbsent(t.db.kysely, { ...row, status });
    }
  });
  afterAll(async () => t.close());

  const list = async (query: string) => {
    const res = await owner.request({ url: `/api/v1/outbox?${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: Item[]; nextCursor: string | null }>();
  };
  const subjects = async (query: string) => (await list(query)).items.map((i) => i.subject);

  it('lists one kind of email', async () => {
    expect(await subjects('kind=review_request')).toEqual([
      'Review mislukt 3',
      'Review mislukt 2',
      'Review mislukt 1',
      'Review verzonden',
    ]);
  });

  it('lists the emails in one state', async () => {
    expect(await subjects('status=failed')).toEqual([
      'Review mislukt 3',
      'Review mislukt 2',
      'Review mislukt 1',
      'Uitnodiging mislukt',
    ]);
    expect(await subjects('status=held')).toEqual(['Programma in de outbox']);
  });

  it('combines kind and status, page by page', async () => {
    const first = await list('kind=review_request&status=failed&limit=2');
    expect(first.items.map((i) => i.subject)).toEqual(['Review mislukt 3', 'Review mislukt 2']);
    expect(first.nextCursor).not.toBeNull();
    const second = await list(
      `kind=review_request&status=failed&limit=2&cursor=${encodeURIComponent(first.nextCursor ?? '')}`,
    );
    expect(second.items.map((i) => i.subject)).toEqual(['Review mislukt 1']);
    expect(second.nextCursor).toBeNull();
    expect(await subjects('kind=case_alert&status=failed')).toEqual([]);
  });

  it('refuses a kind or status it does not know, naming the field', async () => {
    for (const [query, field] of [
      ['kind=newsletter', 'kind'],
      ['status=bounced', 'status'],
    ] as const) {
      const res = await owner.request({ url: `/api/v1/outbox?${query}` });
      expect(res.statusCode, res.body).toBe(400);
      const problems = res.json<Problems>().error.fields;
      expect(problems.map((p) => p.field)).toEqual([field]);
      expect(problems[0]?.message).toMatch(field === 'kind' ? /^Soort/ : /^Status/);
    }
  });

  it('describes the filters in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json<{
      paths: Record<
        string,
        { get?: { parameters?: { name: string; schema: { enum?: string[] } }[] } }
      >;
    }>();
    const params = doc.paths['/api/v1/outbox']?.get?.parameters ?? [];
    expect(params.find((p) => p.name === 'kind')?.schema.enum).toContain('review_request');
    expect(params.find((p) => p.name === 'status')?.schema.enum).toEqual([
      'queued',
      'sent',
      'held',
      'failed',
    ]);
  });
});
