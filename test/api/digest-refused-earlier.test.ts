import { afterAll, beforeAll, expect, it } from 'vitest';
import type { MailFailure } from '../../src/db/schema.ts';
import { sendDigestMail } from '../../src/modules/digest/digest-mail.ts';
import { digestMessageId } from '../../src/modules/digest/digest-message-id.ts';
import { describeEachDialect } from '../support/databases.ts';
import {
  buildOrganisation,
  startMailingTestApp,
  type Client,
  type MailingTestApp,
} from '../support/harness.ts';

/**
 * A digest job that runs again for a week whose email already failed (a job reclaimed after its
 * worker died between the failure and the job's end) reports the failure the server gave: its
 * recipient refused, or its message refused after DATA. Neither is sent again. A digest given up
 * during an outage goes out, as every other mail does when its job runs again.
 */
describeEachDialect('a digest whose email failed earlier', (dialect) => {
  let t: MailingTestApp;
  let owner: Client;
  let membershipId: string;

  beforeAll(async () => {
    t = await startMailingTestApp(dialect);
    t.clock.now = Date.parse('2026-11-30T08:00+01:00');
    owner = await buildOrganisation(t, 'Garage De Vries');
    const membership = await t.db.kysely
      .selectFrom('memberships')
      .select('id')
      .where('organisation_id', '=', owner.organisationId)
      .executeTakeFirstOrThrow();
    membershipId = membership.id;
  });
  afterAll(() => t.close());

  const digest = (week: string) => ({
    membershipId,
    week,
    to: owner.email,
    senderName: 'Garage De Vries',
    render: (unsubscribeUrl: string) => ({
      subject: `Week ${week}`,
      text: `Cijfers van ${week}. Afmelden: ${unsubscribeUrl}`,
      html: `<p>Cijfers van ${week}.</p>`,
    }),
  });

  /** Writes the week's digest (sent to a server that accepts), then marks it failed as given. */
  async function failedEarlier(week: string, failure: MailFailure): Promise<void> {
    expect(await sendDigestMail(t.deps, owner.organisationId, digest(week), t.clock.now)).toBe(
      'sent',
    );
    await t.db.kysely
      .updateTable('emails')
      .set({ status: 'failed', failure, error: '550 no', next_attempt_at: null })
      .where('organisation_id', '=', owner.organisationId)
      .where('message_id', '=', digestMessageId(t.deps, week, membershipId))
      .execute();
  }
  const receivedOf = (week: string) =>
    t.smtp.received.filter((m) => m.messageId === digestMessageId(t.deps, week, membershipId))
      .length;

  it.each([
    ['rejected', '2026-W45'],
    ['refused', '2026-W46'],
  ] as const)(
    'reports a digest %s for good as such, and does not send it again',
    async (failure, week) => {
      await failedEarlier(week, failure);
      const again = await sendDigestMail(t.deps, owner.organisationId, digest(week), t.clock.now);
      expect({ again, received: receivedOf(week) }).toEqual({ again: failure, received: 1 });
    },
  );

  it('sends a digest given up during an outage when its job runs again', async () => {
    const week = '2026-W47';
    await failedEarlier(week, 'unreachable');
    const again = await sendDigestMail(t.deps, owner.organisationId, digest(week), t.clock.now);
    expect({ again, received: receivedOf(week) }).toEqual({ again: 'sent', received: 2 });
  });
});
