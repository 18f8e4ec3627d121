import { sql, type Kysely } from 'kysely';

/**
 * The closed loop (issue 9): a case for every unhappy customer, its log and notes, the answers it
 * covers; and outgoing webhooks signed per Standard Webhooks with their delivery log.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    // JSON text: the reasons (`detractor`, `contact-request`, …) and theme words found.
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('owner_employee_id', 'text')
    .addColumn('owner_rule', 'text', (c) => c.notNull())
    // The owner's team when the case was opened: the report groups by it, history is not rewritten.
    .addColumn('team', 'text')
    .addColumn('response_id', 'text', (c) => c.notNull())
    .addColumn('survey_id', 'text', (c) => c.notNull())
    .addColumn('opened_score', 'integer', (c) => c.notNull())
    .addColumn('opened_category', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('first_contact_at', 'bigint')
    .addColumn('escalated_at', 'bigint')
    .addColumn('alerted_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addColumn('follow_up_invitation_id', 'text')
    .addColumn('follow_up_score', 'integer')
    .addColumn('follow_up_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // One active case per contact: a second complaint joins the open case (see planCaseChange).
  await sql`create unique index cases_one_active_per_contact on cases (organisation_id, contact_id) where status in ('open', 'contacted')`.execute(
    db,
  );
  await db.schema
    .createIndex('cases_org_status_due')
    .on('cases')
    .columns(['organisation_id', 'status', 'due_at'])
    .execute();
  await db.schema
    .createIndex('cases_org_owner')
    .on('cases')
    .columns(['organisation_id', 'owner_employee_id', 'opened_at'])
    .execute();
  await db.schema
    .createIndex('cases_org_contact')
    .on('cases')
    .columns(['organisation_id', 'contact_id', 'opened_at'])
    .execute();
  await db.schema
    .createIndex('cases_follow_up_invitation')
    .on('cases')
    .column('follow_up_invitation_id')
    .execute();

  await db.schema
    .createTable('case_responses')
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('response_id', 'text', (c) => c.notNull())
    .addColumn('organisation_id', 'text', (c) => c.notNull())
    .addColumn('linked_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_responses_pk', ['case_id', 'response_id'])
    .execute();
  await db.schema
    .createIndex('case_responses_response')
    .on('case_responses')
    .columns(['organisation_id', 'response_id'])
    .execute();

  // The case's log: who did what, and the notes (personal data: erased with the contact).
  await db.schema
    .createTable('case_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('body', 'text')
    // JSON text: facts of the event (`{ "to": "resolved" }`, `{ "channel": "phone" }`).
    .addColumn('detail', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('case_events_case')
    .on('case_events')
    .columns(['organisation_id', 'case_id', 'at'])
    .execute();

  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    // JSON text: the event types this endpoint receives.
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('disabled_reason', 'text')
    // `whsec_…` sealed with SECRET_KEY (AES-256-GCM); signing needs it back, so not a hash.
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    // After a rotation the old secret signs too (two signatures) until this moment.
    .addColumn('previous_secret_sealed', 'text')
    .addColumn('previous_secret_until', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_endpoints_org')
    .on('webhook_endpoints')
    .column('organisation_id')
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull())
    .addColumn('endpoint_id', 'text', (c) => c.notNull())
    // The `webhook-id` header: the same for every attempt and replay, so receivers deduplicate.
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('last_status_code', 'integer')
    .addColumn('last_duration_ms', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('next_attempt_at', 'bigint')
    .addColumn('delivered_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_endpoint')
    .on('webhook_deliveries')
    .columns(['organisation_id', 'endpoint_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull())
    .addColumn('delivery_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    .execute();
  await db.schema
    .createIndex('webhook_attempts_delivery')
    .on('webhook_attempts')
    .columns(['organisation_id', 'delivery_id', 'at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'webhook_attempts',
    'webhook_deliveries',
    'webhook_endpoints',
    'case_events',
    'case_responses',
    'cases',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
