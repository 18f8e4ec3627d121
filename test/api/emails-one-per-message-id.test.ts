import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { uuidv7Time } from '../../src/db/partitions.ts';
import type { EmailTable, InvitationTable } from '../../src/db/schema.ts';
import { deliverCustomerMail } from '../../src/modules/email/customer-mail.ts';
import { emailId } from '../../src/modules/email/email-ids.ts';
import { closeMailTransports, messageIdHost } from '../../src/modules/email/mail-transport.ts';
import { deliverInvitation } from '../../src/modules/invitations/invitation-delivery.service.ts';
import { newId } from '../../src/shared/ids.ts';
import { seedOrganisation } from '../support/bulk.ts';
import {
  describeEachDialect,
  partitionAt,
  partitionOf,
  withLaterIndexChanges,
} from '../support/databases.ts';
import { buildContact, buildInvitation, buildSurvey, FACTORY_NOW } from '../support/factories.ts';
import { startTestApp, type TestApp } from '../support/harness.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

const RACERS = 4;

/**
 * Issue 13: emails are partitioned by month on PostgreSQL (migration 0050), where no index but the
 * primary key is unique across partitions. An email's id is derived from its Message-ID and a time
 * of its cause (src/modules/email/email-ids.ts), so a retried or doubled sending attempt writes the
 * one row of its message and sends it under the same Message-ID; an email written before (random
 * id) keeps its id. The database is upgraded here with such an email in it, then sent through.
 */
describeEachDialect('one email per Message-ID, kept by the email’s id', (dialect) => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  let organisationId: string;
  let queued: InvitationTable;
  let fresh: InvitationTable;
  let oldEmail: EmailTable;
  let rowsBefore: unknown[];
  let rowsAfter: unknown[];
  let catalogueBefore: Awaited<ReturnType<typeof catalogue>>;

  const catalogue = async (db: Db) => ({
    indexes: (
      await sql<{ def: string }>`select pg_get_indexdef(indexrelid) as def from pg_index
        where indrelid = to_regclass('emails')`.execute(db.kysely)
    ).rows
      .map((r) => r.def.replace(/ ON (ONLY )?\S+ USING /, ' USING '))
      .sort(),
    columns: (
      await sql<{ col: string }>`select column_name || ' ' || data_type || ' ' ||
          coalesce(collation_name, '-') || ' ' || is_nullable as col
        from information_schema.columns
        where table_schema = current_schema() and table_name = 'emails'`.execute(db.kysely)
    ).rows
      .map((r) => r.col)
      .sort(),
  });
  const allRows = (db: Db) => db.kysely.selectFrom('emails').selectAll().orderBy('id').execute();
  const emailsOf = (invitationId: string) =>
    t.db.kysely
      .selectFrom('emails')
      .select(['id', 'message_id', 'status'])
      .where('invitation_id', '=', invitationId)
      .execute();

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp(
      dialect,
      {
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Loyaal <noreply@loyaal.test>',
        PUBLIC_URL: 'https://nps.example.nl',
      },
      {
        upgrade: {
          before: '0050-partitioned-emails',
          async seed(db) {
            organisationId = await seedOrganisation(db.kysely, 'Garage De Vries', FACTORY_NOW);
            const survey = await buildSurvey(db.kysely, organisationId);
            const refs = { organisationId, surveyId: survey.id };
            const invitation = async () =>
              buildInvitation(
                db.kysely,
                { ...refs, contactId: (await buildContact(db.kysely, organisationId)).id },
                { status: 'queued', sent_at: null },
              );
            queued = await invitation();
            fresh = await invitation();
            // Composed before the upgrade, not sent yet (its worker died): a random id.
            oldEmail = {
              id: newId(),
              organisation_id: organisationId,
              kind: 'invitation',
              invitation_id: queued.id,
              to_address: 'klant@example.nl',
              subject: 'Hoe waarschijnlijk is het…',
              text_body: 'tekst',
              html_body: '<p>html</p>',
              headers: '{}',
              message_id: queued.message_id,
              status: 'queued',
              transport: 'smtp',
              error: null,
              failure: null,
              next_attempt_at: null,
              sent_at: null,
              created_at: FACTORY_NOW,
            };
            await db.kysely.insertInto('emails').values(oldEmail).execute();
            rowsBefore = await allRows(db);
            if (db.dialect === 'postgres') catalogueBefore = await catalogue(db);
          },
        },
      },
    );
    // Read at once: the tests below send, in whatever order they run.
    rowsAfter = await allRows(t.db);
  });
  afterAll(async () => {
    closeMailTransports();
    await t?.close();
    await smtp?.close();
  });

  it.runIf(dialect === 'postgres')(
    'upgrades emails to a table partitioned by month of the id, with every row, column and index',
    async () => {
      const { rows } = await sql<{ key: string; pk: string }>`
        select pg_get_partkeydef(to_regclass('emails')) as key,
          (select pg_get_constraintdef(oid) from pg_constraint
           where conrelid = to_regclass('emails') and contype = 'p') as pk`.execute(t.db.kysely);
      expect(rows[0]).toEqual({ key: 'RANGE (id)', pk: 'PRIMARY KEY (id)' });
      expect(rowsAfter).toEqual(rowsBefore);
      const after = await catalogue(t.db);
      // Every column as it was, its collation too (invitation_id "C", migration 0049); the id is
      // "C" as every partition key is.
      expect(after.columns).toEqual(
        catalogueBefore.columns.map((c) => (c.startsWith('id ') ? 'id text C NO' : c)),
      );
      expect(after.columns).toContain('invitation_id text C YES');
      // The same indexes (and those later migrations add); the Message-ID's is a plain one now
      // (the id keeps it unique).
      expect(after.indexes).toEqual(
        withLaterIndexChanges(catalogueBefore.indexes)
          .map((def) =>
            def.replace(
              'UNIQUE INDEX emails_message_id_key USING btree (message_id)',
              'INDEX emails_message_id USING btree (message_id)',
            ),
          )
          .sort(),
      );
      expect(after.indexes.some((d) => d.includes('emails_org_key'))).toBe(true);
      expect(await partitionOf(t.db, 'emails', oldEmail.id)).toBe(
        partitionAt('emails', uuidv7Time(oldEmail.id) ?? 0),
      );
    },
  );

  it('sends an email composed before the upgrade under its Message-ID, and keeps it the one row', async () => {
    const result = await deliverInvitation(t.deps, organisationId, queued.id, 1);
    expect(result.status, result.detail).toBe('success');
    expect(await emailsOf(queued.id)).toEqual([
      { id: oldEmail.id, message_id: queued.message_id, status: 'sent' },
    ]);
    const mine = smtp.received.filter((m) => m.messageId === queued.message_id);
    expect(mine).toHaveLength(1);
  });

  it('sends a programme email composed by an older process (a random id) as its one row', async () => {
    // What sendProgrammeInvite composes for a job: its Message-ID names the job.
    const jobId = newId();
    const messageId = `<${jobId}.programme@${messageIdHost(t.deps.config.publicUrl)}>`;
    const to = `ambassadeur-${jobId.slice(-8)}@example.nl`;
    const composed: EmailTable = {
      ...oldEmail,
      id: newId(),
      kind: 'ambassador_invite',
      invitation_id: null,
      to_address: to,
      subject: 'Word ambassadeur',
      message_id: messageId,
      created_at: t.clock.now,
    };
    await t.db.kysely.insertInto('emails').values(composed).execute();
    const result = await deliverCustomerMail(
      t.deps,
      organisationId,
      'ambassador_invite',
      messageId,
      uuidv7Time(jobId) ?? 0,
      to,
      {
        subject: 'Word ambassadeur',
        text: 'tekst',
        html: '<p>html</p>',
        headers: { From: 'Garage De Vries <noreply@loyaal.test>' },
      },
    );
    expect(result).toMatchObject({ status: 'success', sent: true });
    expect(
      await t.db.kysely
        .selectFrom('emails')
        .select(['id', 'status'])
        .where('message_id', '=', messageId)
        .execute(),
    ).toEqual([{ id: composed.id, status: 'sent' }]);
    expect(smtp.received.filter((m) => m.messageId === messageId)).toHaveLength(1);
  });

  it('turns racing attempts to send one invitation into one email, every copy under its Message-ID', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: RACERS }, () => deliverInvitation(t.deps, organisationId, fresh.id, 1)),
    );
    expect(outcomes.some((o) => o.status === 'success')).toBe(true);
    const id = emailId(fresh.message_id, uuidv7Time(fresh.id) ?? 0);
    expect(await emailsOf(fresh.id)).toEqual([
      { id, message_id: fresh.message_id, status: 'sent' },
    ]);
    // However many attempts reached the mail server, they sent the same message.
    const to = await t.db.kysely
      .selectFrom('emails')
      .select('to_address')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const copies = smtp.received.filter((m) => m.envelopeTo.includes(to.to_address));
    expect(copies.length).toBeGreaterThanOrEqual(1);
    expect(new Set(copies.map((m) => m.messageId))).toEqual(new Set([fresh.message_id]));
    if (dialect === 'postgres') {
      // In the partition of the month its invitation was made, found there by its id alone.
      expect(await partitionOf(t.db, 'emails', id)).toBe(
        partitionAt('emails', uuidv7Time(fresh.id) ?? 0),
      );
      const plan = (
        await sql<{ 'QUERY PLAN': string }>`explain select * from emails where id = ${id}`.execute(
          t.db.kysely,
        )
      ).rows
        .map((r) => r['QUERY PLAN'])
        .join('\n');
      expect(plan.match(/ on emails_p\w+/g)).toHaveLength(1);
    }
  });
});
