import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import {
  listContactReferrals,
  referralsOfFriend,
} from '../../src/modules/ambassadors/ambassadors.repository.ts';
import { openReferralsFor } from '../../src/modules/ambassadors/visit-conversions.ts';
import {
  eraseContactEmails,
  findEmailsByMessageIds,
  listContactEmails,
  markEmailsSent,
} from '../../src/modules/email/emails.repository.ts';
import { countErasedIdentifiers } from '../../src/modules/contacts/contacts.repository.ts';
import {
  answeredInvitationIds,
  findInvitations,
  findSendCheck,
  followUpInvitationIds,
  invitationHistoryOf,
  invitationHistoryOfContacts,
  lastResponses,
  markInvitationsSent,
  markRemindersSent,
} from '../../src/modules/invitations/invitations.repository.ts';
import { findContacts } from '../../src/modules/contacts/contacts.repository.ts';
import {
  anonymiseResponsesBefore,
  listContactResponses,
} from '../../src/modules/responses/responses.repository.ts';
import { newId } from '../../src/shared/ids.ts';
import { seedOrganisation } from '../support/bulk.ts';
import { freshDatabase } from '../support/databases.ts';
import { buildContact, buildResponse, buildSurvey } from '../support/factories.ts';
import { byOrganisationOnly, plansOf } from '../support/query-plans.ts';

/**
 * Statements about one customer (or a few answers) must read that customer's rows, not the
 * organisation's. Without statistics SQLite takes an equality on the organisation for a handful
 * of rows, and chose it over the contact's index or the answers' keys: fine for a test's few rows,
 * a read of every answer or invitation of a large organisation per statement. These plans are what
 * a database of any size gets (see test/support/query-plans.ts).
 */
describe('SQLite: statements about one customer read that customer', () => {
  let db: Db;
  beforeAll(async () => {
    db = await freshDatabase('sqlite');
  });
  afterAll(async () => {
    await db.close();
  });
  const organisationId = newId();

  it("the contact rules' history of a contact in an account: by contact, then by account", async () => {
    const plans = await plansOf(db, (x) =>
      invitationHistoryOf(x, organisationId, newId(), newId(), Date.now()),
    );
    const steps = plans.flatMap((p) => p.steps);
    expect(steps.filter(byOrganisationOnly)).toEqual([]);
    expect(steps.some((s) => s.includes('invitations_org_contact'))).toBe(true);
    expect(steps.some((s) => s.includes('invitations_org_account'))).toBe(true);
  });

  // A batch of invitations reads its rows for fifty keys at once. With that many keys SQLite took
  // the organisation's equality for the narrower condition: the invitations and the emails of a
  // batch were read from the organisation's every invitation and email.
  it('a batch of invitations reads its invitations, contacts, emails and histories by their keys', async () => {
    for (const keys of [1, 50]) {
      const ids = Array.from({ length: keys }, () => newId());
      const contacts = ids.map((id, i) => ({ id, account_id: i % 2 === 0 ? null : newId() }));
      const plans = await plansOf(db, async (x) => {
        await findInvitations(x, organisationId, ids);
        await findContacts(x, organisationId, ids);
        await followUpInvitationIds(x, organisationId, ids);
        await findEmailsByMessageIds(x, organisationId, ids);
        await invitationHistoryOfContacts(x, organisationId, contacts, Date.now());
        await lastResponses(x, organisationId, Date.now(), ids);
      });
      const steps = plans.flatMap((p) => p.steps);
      expect(steps.filter(byOrganisationOnly), `${keys} keys`).toEqual([]);
      expect(
        steps.filter((s) => s.startsWith('SCAN')),
        `${keys} keys`,
      ).toEqual([]);
      expect(steps).toHaveLength(8 - (keys === 1 ? 1 : 0));
    }
  });

  // Just before each message goes its invitation and contact are read again, in one statement
  // (the contact's part is the contacts module's query, joined: it is recorded on its own too,
  // though never run alone).
  it('the re-check before each message reads its invitation and its contact by their keys', async () => {
    const plans = await plansOf(db, (x) => findSendCheck(x, organisationId, newId(), newId()));
    const run = plans.filter((p) => p.sql.includes('"invitations"'));
    expect(run).toHaveLength(1);
    expect(run.flatMap((p) => p.steps)).toEqual([
      expect.stringMatching(/^SEARCH i USING INDEX \S+ \(id=\?\)$/),
      expect.stringMatching(/^SEARCH (c|contacts) USING INDEX \S+ \(id=\?\)( LEFT-JOIN)?$/),
    ]);
  });

  it('a batch of invitations or reminders is marked sent by its keys', async () => {
    for (const keys of [1, 50]) {
      const ids = Array.from({ length: keys }, () => newId());
      const plans = await plansOf(db, async (x) => {
        await markInvitationsSent(x, organisationId, ids, { sent_at: 1, reminder_planned_at: 2 });
        await markRemindersSent(x, organisationId, ids, 1);
        await markEmailsSent(x, organisationId, ids, 1);
        await answeredInvitationIds(x, organisationId, ids);
      });
      const steps = plans.flatMap((p) => p.steps);
      expect(steps, `${keys} keys`).toEqual([
        expect.stringMatching(/^SEARCH invitations USING INDEX \S+ \(id=\?\)$/),
        expect.stringMatching(/^SEARCH invitations USING INDEX \S+ \(id=\?\)$/),
        expect.stringMatching(/^SEARCH emails USING INDEX \S+ \(id=\?\)$/),
        expect.stringMatching(/^SEARCH responses USING INDEX \S+ \(invitation_id=\?\)$/),
      ]);
    }
  });

  it("a contact's answers in order (the export): by contact, in the index's order", async () => {
    const plans = await plansOf(db, (x) => listContactResponses(x, organisationId, newId()));
    const steps = plans.flatMap((p) => p.steps);
    expect(steps).toEqual([
      expect.stringMatching(
        /^SEARCH responses USING INDEX \S+ \(organisation_id=\? AND contact_id=\?\)$/,
      ),
    ]);
  });

  it('retention anonymises each answer by its key', async () => {
    const org = await seedOrganisation(db.kysely, 'Plan', Date.now());
    const survey = await buildSurvey(db.kysely, org);
    const answeredAt = Date.UTC(2020, 0, 1);
    for (let i = 0; i < 12; i++) {
      await buildResponse(
        db.kysely,
        { organisationId: org, surveyId: survey.id },
        {
          answered_at: answeredAt,
        },
      );
    }
    const plans = await plansOf(db, (x) =>
      anonymiseResponsesBefore(x, org, answeredAt + 1, 100, Date.now()),
    );
    const updates = plans.filter((p) => p.sql.startsWith('update'));
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.flatMap((p) => p.steps).filter(byOrganisationOnly)).toEqual([]);
  });

  it("a contact's emails (export and erasure): by their invitations and by their address", async () => {
    for (const run of [listContactEmails, eraseContactEmails]) {
      const plans = await plansOf(db, (x) => run(x, organisationId, newId()));
      const steps = plans.flatMap((p) => p.steps);
      expect(steps.filter(byOrganisationOnly)).toEqual([]);
      const emailSteps = steps.filter((s) => /^(SCAN|SEARCH) emails\b/.test(s));
      expect(emailSteps).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/\(organisation_id=\? AND invitation_id=\?\)/),
          expect.stringMatching(/\(organisation_id=\? AND <expr>=\?\)/),
        ]),
      );
      expect(emailSteps.every((s) => s.startsWith('SEARCH '))).toBe(true);
    }
  });

  it("a person's referrals as the friend: by their contact, and their mailbox's leads by the key", async () => {
    const plans = await plansOf(db, (x) =>
      listContactReferrals(x, organisationId, newId(), 'anna@example.nl'),
    );
    const steps = plans.flatMap((p) => p.steps).filter((s) => /^(SCAN|SEARCH) referrals\b/.test(s));
    expect(steps.filter(byOrganisationOnly)).toEqual([]);
    expect(steps).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\(organisation_id=\? AND contact_id=\?\)/),
        expect.stringMatching(/\(organisation_id=\? AND friend_email_key=\?\)/),
      ]),
    );
    expect(steps.every((s) => s.startsWith('SEARCH '))).toBe(true);
  });

  it("the open leads of a batch's paying contacts: by contact, by email key and by phone key", async () => {
    const org = await seedOrganisation(db.kysely, 'Leads', Date.now());
    const contactIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const c = await buildContact(db.kysely, org, { phone: `+3161234567${i}` });
      contactIds.push(c.id);
    }
    const plans = await plansOf(db, (x) => openReferralsFor(x, org, contactIds));
    const steps = plans.flatMap((p) => p.steps).filter((s) => /^(SCAN|SEARCH) referrals\b/.test(s));
    expect(steps.filter(byOrganisationOnly)).toEqual([]);
    expect(steps.every((s) => s.startsWith('SEARCH '))).toBe(true);
  });

  it("a friend's earlier referrals (the fraud rules): by email key and by phone key", async () => {
    const plans = await plansOf(db, (x) =>
      referralsOfFriend(x, organisationId, 'anna@example.nl', '+31612345678'),
    );
    const steps = plans.flatMap((p) => p.steps);
    expect(steps).toEqual([
      expect.stringMatching(
        /^SEARCH referrals USING .*\(organisation_id=\? AND friend_email_key=\?\)$/,
      ),
      expect.stringMatching(
        /^SEARCH referrals USING .*\(organisation_id=\? AND friend_phone_key=\?\)$/,
      ),
    ]);
  });

  it("an erased contact's identifiers are counted by the contact", async () => {
    const plans = await plansOf(db, (x) => countErasedIdentifiers(x, organisationId, newId()));
    expect(plans.flatMap((p) => p.steps)).toEqual([
      expect.stringMatching(
        /^SEARCH erased_identifiers USING .*\(organisation_id=\? AND contact_id=\?\)$/,
      ),
    ]);
  });
});
