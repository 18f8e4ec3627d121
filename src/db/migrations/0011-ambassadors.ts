import type { Kysely } from 'kysely';

/**
 * From promoter to ambassador (issue 12): the referral programme of an organisation, the
 * ambassador register with its consent record, the friends' leads, the rewards ledger, the misses
 * on the counter screen (for its lockout) and the staff's thank-you tasks.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('referral_programmes')
    .addColumn('organisation_id', 'text', (c) => c.primaryKey().references('organisations.id'))
    .addColumn('enabled', 'integer', (c) => c.notNull())
    // JSON text: the offer in the organisation's words, rewards, hold and fraud settings.
    .addColumn('settings', 'text', (c) => c.notNull())
    // The secret address of the counter's redeem screen (`/k/:token`), regenerable.
    .addColumn('counter_token', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('ambassadors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    // The ambassador's own page (from the programme email) and the link they share with friends.
    .addColumn('share_token', 'text', (c) => c.notNull().unique())
    .addColumn('link_token', 'text', (c) => c.notNull().unique())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('show_name', 'integer', (c) => c.notNull())
    // The consent record: what they agreed to, how, when, and (by hand) which staff member.
    .addColumn('consent_text', 'text', (c) => c.notNull())
    .addColumn('consent_source', 'text', (c) => c.notNull())
    .addColumn('consent_at', 'bigint', (c) => c.notNull())
    .addColumn('consent_user_id', 'text')
    .addColumn('consent_note', 'text')
    .addColumn('response_id', 'text')
    .addColumn('referred_by_ambassador_id', 'text')
    .addColumn('invited_at', 'bigint')
    .addColumn('unsubscribed_at', 'bigint')
    .addColumn('friend_page_views', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('removed_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ambassadors_org_contact')
    .on('ambassadors')
    .columns(['organisation_id', 'contact_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('ambassadors_org_code')
    .on('ambassadors')
    .columns(['organisation_id', 'code'])
    .unique()
    .execute();

  await db.schema
    .createTable('referrals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('ambassador_id', 'text', (c) => c.notNull().references('ambassadors.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('friend_name', 'text')
    .addColumn('friend_email', 'text')
    .addColumn('friend_phone', 'text')
    .addColumn('friend_email_key', 'text')
    .addColumn('friend_phone_key', 'text')
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('consent_text', 'text', (c) => c.notNull())
    .addColumn('consent_at', 'bigint', (c) => c.notNull())
    .addColumn('verdict', 'text', (c) => c.notNull())
    .addColumn('findings', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text')
    .addColumn('converted_at', 'bigint')
    .addColumn('conversion_ref', 'text')
    .addColumn('conversion_amount_cents', 'integer')
    .addColumn('conversion_cancelled_at', 'bigint')
    .addColumn('erased_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('referrals_org_created')
    .on('referrals')
    .columns(['organisation_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('referrals_org_ambassador')
    .on('referrals')
    .columns(['organisation_id', 'ambassador_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('referrals_org_email')
    .on('referrals')
    .columns(['organisation_id', 'friend_email_key'])
    .execute();
  await db.schema
    .createIndex('referrals_org_phone')
    .on('referrals')
    .columns(['organisation_id', 'friend_phone_key'])
    .execute();
  await db.schema
    .createIndex('referrals_org_contact')
    .on('referrals')
    .columns(['organisation_id', 'contact_id'])
    .execute();

  await db.schema
    .createTable('rewards')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('referral_id', 'text', (c) => c.notNull().references('referrals.id'))
    .addColumn('ambassador_id', 'text', (c) => c.notNull().references('ambassadors.id'))
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('milestone', 'integer')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('cost_cents', 'integer', (c) => c.notNull())
    .addColumn('valid_months', 'integer')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('hold_until', 'bigint')
    .addColumn('issued_at', 'bigint')
    .addColumn('valid_until', 'bigint')
    .addColumn('redeemed_at', 'bigint')
    .addColumn('redeemed_via', 'text')
    .addColumn('voided_at', 'bigint')
    .addColumn('void_reason', 'text')
    .addColumn('review_note', 'text')
    .addColumn('reviewed_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('rewards_org_code')
    .on('rewards')
    .columns(['organisation_id', 'code'])
    .unique()
    .execute();
  await db.schema
    .createIndex('rewards_org_status')
    .on('rewards')
    .columns(['organisation_id', 'status', 'created_at'])
    .execute();
  await db.schema
    .createIndex('rewards_org_referral')
    .on('rewards')
    .columns(['organisation_id', 'referral_id'])
    .execute();

  // Wrong codes typed on the counter screen: the lockout counts them per organisation and address.
  await db.schema
    .createTable('code_misses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('address_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('code_misses_org_created')
    .on('code_misses')
    .columns(['organisation_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('ambassador_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('ambassador_id', 'text', (c) => c.notNull().references('ambassadors.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('referral_id', 'text', (c) => c.notNull())
    .addColumn('done_at', 'bigint')
    .addColumn('done_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ambassador_tasks_org_open')
    .on('ambassador_tasks')
    .columns(['organisation_id', 'done_at', 'created_at'])
    .execute();
  await db.schema
    .createIndex('ambassador_tasks_unique')
    .on('ambassador_tasks')
    .columns(['organisation_id', 'ambassador_id', 'kind', 'referral_id'])
    .unique()
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'ambassador_tasks',
    'code_misses',
    'rewards',
    'referrals',
    'ambassadors',
    'referral_programmes',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
