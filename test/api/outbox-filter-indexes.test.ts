import { CompiledQuery, sql, type KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import type { EmailTable } from '../../src/db/schema.ts';
import { listEmails } from '../../src/modules/email/emails.repository.ts';
import { newId } from '../../src/shared/ids.ts';
import { seedOrganisation } from '../support/bulk.ts';
import { describeEachDialect, freshDatabase } from '../support/databases.ts';
import { FACTORY_NOW } from '../support/factories.ts';

/**
 * The outbox filtered by a rare kind or by `failed` in a large organisation: the list reads an
 * index that holds the filter before the list's order (migration 0061), instead of the
 * organisation's emails newest first until a page is full. The plan of the query the repository
 * really runs is asked of each database, after the rows are analysed.
 */
describeEachDialect('the outbox filtered by kind or status', (dialect) => {
  let db: Db;
  let organisationId: string;
  const SENT_INVITATIONS = 3_000;

  beforeAll(async () => {
    db = await freshDatabase(dialect);
    organisationId = await seedOrganisation(db.kysely, 'Garage Groot', FACTORY_NOW);
    const email = (
      i: number,
      kind: EmailTable['kind'],
      status: EmailTable['status'],
    ): EmailTable => ({
      id: newId(),
      organisation_id: organisationId,
      kind,
      invitation_id: null,
      to_address: `klant${i}@example.nl`,
      subject: 'Hoe was uw bezoek?',
      text_body: '',
      html_body: '',
      headers: '{}',
      message_id: `<outbox-index.${i}.${newId()}@nps.garage.test>`,
      status,
      transport: 'smtp',
      error: status === 'failed' ? 'skipped: unsubscribed' : null,
      failure: null,
      next_attempt_at: null,
      sent_at: status === 'sent' ? FACTORY_NOW + i : null,
      created_at: FACTORY_NOW + i,
    });
    const rows = Array.from({ length: SENT_INVITATIONS }, (_, i) => email(i, 'invitation', 'sent'));
    for (let i = 0; i < 5; i++) rows.push(email(SENT_INVITATIONS + i, 'review_request', 'failed'));
    for (let i = 0; i < rows.length; i += 200) {
      await db.kysely
        .insertInto('emails')
        .values(rows.slice(i, i + 200))
        .execute();
    }
    await sql`analyze`.execute(db.kysely);
  }, 120_000);
  afterAll(async () => db.close());

  /** The plan of the list query the repository runs for this filter. */
  async function planOf(filter: Parameters<typeof listEmails>[2]): Promise<string> {
    const queries: CompiledQuery[] = [];
    const capture: KyselyPlugin = {
      transformQuery: ({ node, queryId }) => {
        queries.push(db.kysely.getExecutor().compileQuery(node, queryId));
        return node;
      },
      transformResult: ({ result }) => Promise.resolve(result),
    };
    const listed = await listEmails(db.kysely.withPlugin(capture), organisationId, filter, {
      limit: 50,
    });
    expect(listed.rows.length).toBeGreaterThan(0);
    expect(queries).toHaveLength(1);
    const [query] = queries;
    if (!query) throw new Error('no query');
    const explain = dialect === 'sqlite' ? 'explain query plan ' : 'explain ';
    const { rows } = await db.kysely.executeQuery<Record<string, unknown>>(
      CompiledQuery.raw(explain + query.sql, [...query.parameters]),
    );
    return rows
      .map((row) => String(dialect === 'sqlite' ? row.detail : row['QUERY PLAN']))
      .join('\n');
  }

  it('reads a rare kind from the index by kind, in the list order', async () => {
    const plan = await planOf({ kind: 'review_request' });
    if (dialect === 'sqlite') {
      expect(plan).toContain('USING INDEX emails_org_kind_created');
      expect(plan).not.toContain('TEMP B-TREE');
    } else {
      // Each monthly partition's copy of the index; the few rows found are then merged in order.
      expect(plan).toMatch(/Index Cond: .*kind = /);
    }
  });

  it('reads failed emails from the index of emails not sent, in the list order', async () => {
    const plan = await planOf({ status: 'failed' });
    if (dialect === 'sqlite') {
      expect(plan).toContain('USING INDEX emails_org_unsent_status_created');
      expect(plan).not.toContain('TEMP B-TREE');
    } else {
      expect(plan).toMatch(/Index Cond: .*status = /);
    }
  });

  it('still lists every status, sent included, by the same filter', async () => {
    const sent = await listEmails(db.kysely, organisationId, { status: 'sent' }, { limit: 10 });
    expect(sent.rows).toHaveLength(11);
    const failed = await listEmails(db.kysely, organisationId, { status: 'failed' }, { limit: 10 });
    expect(failed.rows.map((r) => r.status)).toEqual(Array(5).fill('failed'));
  });
});
