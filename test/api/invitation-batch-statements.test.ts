import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { emailId } from '../../src/modules/email/email-ids.ts';
import { insertEmailsIfAbsent } from '../../src/modules/email/emails.repository.ts';
import type { EmailTable } from '../../src/db/schema.ts';
import { deliverInvitations } from '../../src/modules/invitations/invitation-delivery.service.ts';
import { seedOrganisation } from '../support/bulk.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildInvitation, buildSurvey, FACTORY_NOW } from '../support/factories.ts';
import { startMailingTestApp, type MailingTestApp } from '../support/harness.ts';
import { type TestSmtpServer } from '../support/smtp-server.ts';

/**
 * The statements run through the Kysely instance it is plugged into, by kind and table: counted
 * when their result comes back, so a query only joined into another (built, never run) is not.
 */
function statementCounter() {
  const seen: string[] = [];
  const built = new Map<PluginTransformQueryArgs['queryId'], string>();
  const plugin: KyselyPlugin = {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      const node = args.node;
      built.set(
        args.queryId,
        node.kind === 'InsertQueryNode' ? `insert ${node.into?.table.identifier.name}` : node.kind,
      );
      return node;
    },
    transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      seen.push(built.get(args.queryId) ?? 'unknown');
      return Promise.resolve(args.result);
    },
  };
  return { plugin, seen };
}

/**
 * What a batch of invitations costs in statements (issue 13: invitations ≥ 500 msg/s). A batch
 * reads, composes and records its invitations per batch; each message costs only what keeps the
 * delivery guarantees: the re-read of its invitation and contact just before it goes, and its
 * email recorded as sent before the next goes (a killed worker re-sends at most one message per
 * slot). Its composed emails are written in one statement for the whole batch. Counting
 * statements, not time: the figure holds on a busy machine.
 */
describeEachDialect('a batch of invitations in statements', (dialect) => {
  let t: MailingTestApp;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    t = await startMailingTestApp(dialect);
    smtp = t.smtp;
  });
  afterAll(async () => t?.close());

  /** Sends a batch of `n` invitations of a fresh organisation; what it sent through the database. */
  async function sendBatch(n: number) {
    const organisationId = await seedOrganisation(t.db.kysely, `Batch ${n}`, FACTORY_NOW);
    const survey = await buildSurvey(t.db.kysely, organisationId);
    const invitations = [];
    for (let i = 0; i < n; i++) {
      const contact = await buildContact(t.db.kysely, organisationId);
      invitations.push(
        await buildInvitation(
          t.db.kysely,
          { organisationId, surveyId: survey.id, contactId: contact.id },
          { status: 'queued', sent_at: null },
        ),
      );
    }
    const counter = statementCounter();
    const deps = {
      ...t.deps,
      db: { ...t.deps.db, kysely: t.db.kysely.withPlugin(counter.plugin) },
    };
    const outcomes = await deliverInvitations(
      deps,
      organisationId,
      invitations.map((i) => ({ invitationId: i.id, attempt: 1 })),
    );
    expect(outcomes.map((o) => o.ok && o.result.status)).toEqual(invitations.map(() => 'success'));
    const received = new Set(smtp.received.map((m) => m.messageId));
    expect(invitations.filter((i) => !received.has(i.message_id))).toEqual([]);
    return counter.seen;
  }

  it('writes the emails of a batch in one statement, and spends two statements per message', async () => {
    const one = await sendBatch(1);
    const ten = await sendBatch(10);
    expect(ten.filter((s) => s === 'insert emails')).toHaveLength(1);
    expect((ten.length - one.length) / 9).toBeLessThanOrEqual(2);
  });

  // Two workers composing one message at once meet on the email's id (derived from its
  // Message-ID): the batch's statement writes the rows not there yet and says which it wrote, so
  // a message whose row another attempt wrote first is sent as that row.
  it('writes the emails of a batch not written yet, and says which it wrote', async () => {
    const organisationId = await seedOrganisation(t.db.kysely, 'Racers', FACTORY_NOW);
    const row = (n: number): EmailTable => {
      const messageId = `<race-${n}-${dialect}@nps.example.nl>`;
      return {
        id: emailId(messageId, FACTORY_NOW),
        organisation_id: organisationId,
        kind: 'invitation',
        invitation_id: null,
        to_address: `klant${n}@example.nl`,
        subject: `Mail ${n}`,
        text_body: 'tekst',
        html_body: '<p>html</p>',
        headers: '{}',
        message_id: messageId,
        status: 'queued',
        transport: 'smtp',
        error: null,
        failure: null,
        next_attempt_at: null,
        sent_at: null,
        created_at: FACTORY_NOW,
      };
    };
    const first = row(2);
    expect(await insertEmailsIfAbsent(t.db.kysely, [first])).toEqual(new Set([first.id]));
    const batch = [row(1), { ...first, subject: 'Composed twice' }, row(3)];
    expect(await insertEmailsIfAbsent(t.db.kysely, batch)).toEqual(new Set([row(1).id, row(3).id]));
    const rows = await t.db.kysely
      .selectFrom('emails')
      .select(['id', 'subject'])
      .where('organisation_id', '=', organisationId)
      .orderBy('subject')
      .execute();
    expect(rows).toEqual([
      { id: row(1).id, subject: 'Mail 1' },
      { id: first.id, subject: 'Mail 2' },
      { id: row(3).id, subject: 'Mail 3' },
    ]);
  });
});
