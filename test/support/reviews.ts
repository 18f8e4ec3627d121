import { expect } from 'vitest';
import type { ContactTable } from '../../src/db/schema.ts';
import { buildContact, buildInvitation } from './factories.ts';
import type { Client, TestApp } from './harness.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/**
 * The review request's test fixture: the organisation asks for a Google review by email an hour
 * after an answer, and customers answer on their personal link saying they may be contacted — the
 * answer a review request follows. Tests of what becomes of that mail build on this.
 */

/** Asks for reviews on one Google page, by email an hour after an answer (as the owner, by the API). */
export async function askForReviewsByEmail(
  owner: Client,
  url = 'https://g.page/r/x/review',
): Promise<void> {
  const put = await owner.request({
    method: 'PUT',
    url: '/api/v1/review-settings',
    payload: { sites: [{ kind: 'google', url }], askOnThanks: true, emailAfterHours: 1 },
  });
  expect(put.statusCode, put.body).toBe(200);
}

/**
 * A customer (with `contact`'s details, e.g. an email address) answers `score` on their personal
 * link and may be contacted, as a respondent does on the response page.
 */
export async function answerMayContact(
  t: TestApp,
  ref: { organisationId: string; surveyId: string },
  contact: Partial<ContactTable>,
  score: number,
): Promise<ContactTable> {
  const c = await buildContact(t.db.kysely, ref.organisationId, contact);
  const invitation = await buildInvitation(
    t.db.kysely,
    { ...ref, contactId: c.id },
    { planned_at: t.clock.now },
  );
  const answered = await t.app.inject({
    method: 'POST',
    url: `/r/${invitation.token}`,
    headers: FORM,
    payload: `score=${score}&mayContact=1`,
  });
  expect(answered.statusCode).toBe(303);
  return c;
}
