import { afterEach, describe, expect, it } from 'vitest';
import { ensureMonthlyPartitions, uuidv7Floor } from '../../src/db/partitions.ts';
import { loadConfig } from '../../src/config.ts';
import { partitionsCommand } from '../../src/modules/partitions/partitions.command.ts';
import { platform } from '../../src/server/start.ts';
import { newId } from '../../src/shared/ids.ts';
import { seedOrganisation } from '../support/bulk.ts';
import { freshDatabase } from '../support/databases.ts';
import { buildContact, buildInvitation, buildSurvey } from '../support/factories.ts';

const PG_URL = process.env.TEST_DATABASE_URL;
const DAY = 24 * 60 * 60 * 1000;
const addMonths = (ms: number, n: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1);
};
const idAt = (ms: number) => `${uuidv7Floor(ms).slice(0, 14)}7${newId().slice(15)}`;
const month = (ms: number) => new Date(ms).toISOString().slice(0, 7);

describe.skipIf(!PG_URL)('`loyaal partitions --detach-before` leaves what is still needed', () => {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((o) => o.close()));
  });

  /** A database whose one organisation keeps its data `retentionMonths`, partitions from `from`. */
  async function setUp(retentionMonths: number, from: number) {
    const db = await freshDatabase('postgres');
    open.push(db);
    const now = Date.now();
    for (let m = from; m <= now; m = addMonths(m, 3)) await ensureMonthlyPartitions(db.kysely, m);
    await ensureMonthlyPartitions(db.kysely, now);
    const organisationId = await seedOrganisation(db.kysely, 'Garage De Vries', now);
    const { settings } = await db.kysely
      .selectFrom('organisations')
      .select('settings')
      .where('id', '=', organisationId)
      .executeTakeFirstOrThrow();
    await db.kysely
      .updateTable('organisations')
      .set({ settings: JSON.stringify({ ...JSON.parse(settings), retentionMonths }) })
      .where('id', '=', organisationId)
      .execute();
    const survey = await buildSurvey(db.kysely, organisationId);
    const contact = await buildContact(db.kysely, organisationId);
    const base = PG_URL ?? '';
    const options = encodeURIComponent(`-c search_path=${db.schema ?? 'public'}`);
    const config = loadConfig({
      DATABASE_URL: `${base}${base.includes('?') ? '&' : '?'}options=${options}`,
    });
    const invitationIds = async () =>
      (await db.kysely.selectFrom('invitations').select('id').execute()).map((r) => r.id).sort();
    const invite = (at: number, values: Parameters<typeof buildInvitation>[2] = {}) =>
      buildInvitation(
        db.kysely,
        { organisationId, surveyId: survey.id, contactId: contact.id },
        { id: idAt(at), created_at: at, planned_at: at, expires_at: at + 30 * DAY, ...values },
      );
    return { now, config, invitationIds, invite };
  }

  it('refuses this month or a later one (a typo in the year takes every live invitation away)', async () => {
    const { now, config, invitationIds, invite } = await setUp(6, addMonths(Date.now(), -1));
    const live = await invite(now - DAY, { expires_at: now + 30 * DAY });
    // Meant 2025-01, typed 2205-01; or this month.
    for (const before of ['2205-01', month(now)]) {
      expect(await partitionsCommand.run(['--detach-before', before], config, platform)).toBe(2);
    }
    expect(await invitationIds()).toEqual([live.id]);
  });

  it('refuses a month inside the longest retention period: detaching is for every organisation', async () => {
    const { now, config, invitationIds, invite } = await setUp(36, addMonths(Date.now(), -21));
    const old = await invite(addMonths(now, -20) + 5 * DAY, { status: 'sent' });
    const code = await partitionsCommand.run(
      ['--detach-before', month(addMonths(now, -18))],
      config,
      platform,
    );
    expect({ code, left: await invitationIds() }).toEqual({ code: 2, left: [old.id] });
  });

  it('detaches an old month, but keeps one that still holds a wave planned for later', async () => {
    const { now, config, invitationIds, invite } = await setUp(6, addMonths(Date.now(), -16));
    // Sixteen months ago: an invitation long sent and expired.
    const done = await invite(addMonths(now, -16) + 5 * DAY, { status: 'sent' });
    // Fifteen months ago a long continuous send was planned: its last wave goes out next month.
    const pending = await invite(addMonths(now, -15) + 5 * DAY, {
      status: 'planned',
      planned_at: addMonths(now, 1) + 2 * DAY,
      sent_at: null,
      expires_at: addMonths(now, 1) + 32 * DAY,
    });
    expect(done.id < pending.id).toBe(true);
    const code = await partitionsCommand.run(
      ['--detach-before', month(addMonths(now, -14))],
      config,
      platform,
    );
    expect({ code, left: await invitationIds() }).toEqual({ code: 0, left: [pending.id] });
  });

  it('keeps an old month whose invitations went out within the year the contact rules count', async () => {
    const { now, config, invitationIds, invite } = await setUp(6, addMonths(Date.now(), -16));
    // Created sixteen months ago for a long wave, sent ten months ago, its link long expired:
    // the rule "at most N invitations a year" still counts it.
    const sentAt = addMonths(now, -10);
    const counted = await invite(addMonths(now, -16) + 5 * DAY, {
      status: 'sent',
      planned_at: sentAt,
      sent_at: sentAt,
      expires_at: sentAt + 60 * DAY,
    });
    const code = await partitionsCommand.run(
      ['--detach-before', month(addMonths(now, -14))],
      config,
      platform,
    );
    expect({ code, left: await invitationIds() }).toEqual({ code: 0, left: [counted.id] });
  });
});
