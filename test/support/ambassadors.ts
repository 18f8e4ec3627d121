import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Executor } from '../../src/db/database.ts';
import type { ContactTable } from '../../src/db/schema.ts';
import { newId, newToken } from '../../src/shared/ids.ts';
import { logIn, type AdminApp } from './admin-app.ts';
import { buildContact, buildInvitation } from './factories.ts';
import { asPersonSends } from './friend-form.ts';
import type { Client, TestApp } from './harness.ts';

/**
 * The referral programme's test fixture: a programme switched on, a promoter who answers 10 and
 * opts in (an ambassador, through the response page as a customer does), and a friend who leaves
 * their details with consent on the ambassador's link. Tests that need the programme build on this
 * instead of copying it.
 */

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** The garage's programme: a free APK inspection per new customer, held 14 days. */
export const PROGRAMME = {
  enabled: true,
  settings: {
    offer: 'Voor elke nieuwe klant die u aanbrengt: een gratis APK-keuring.',
    ambassadorReward: {
      kind: 'voucher',
      description: 'Een gratis APK-keuring',
      costCents: 3500,
      validMonths: 12,
    },
    holdDays: 14,
  },
};

/**
 * The garage's programme double-sided: the friend who leaves their details gets a welcome offer,
 * a discount voucher valid `validMonths`, mailed to them.
 */
export const withWelcomeOffer = (validMonths: number) => ({
  enabled: true,
  settings: {
    ...PROGRAMME.settings,
    friendOffer: '10 % korting op uw eerste beurt',
    friendReward: {
      kind: 'discount',
      description: '10 % korting op de eerste beurt',
      costCents: 2000,
      validMonths,
    },
  },
});

/** Switches the programme on (as the owner, through the API). */
export async function setUpProgramme(owner: Client, programme: object = PROGRAMME): Promise<void> {
  const res = await owner.request({
    method: 'PUT',
    url: '/api/v1/referral-programme',
    payload: programme,
  });
  expect(res.statusCode, res.body).toBe(200);
}

export interface EnrolledAmbassador {
  contact: ContactTable;
  ambassadorId: string;
  /** The friend's page, as a path (`/f/…`). */
  link: string;
  /** The ambassador's own share page, as a path (`/a/…`). */
  share: string;
}

/**
 * A customer (with `contact`'s details, e.g. an email address or an owner) answers 10 on their
 * personal link, opting in as ambassador or not, as a respondent does on the response page.
 */
export async function answerAsPromoter(
  t: TestApp,
  ref: { organisationId: string; surveyId: string },
  contact: Partial<ContactTable> = {},
  answer: { optIn?: boolean; comment?: string } = {},
): Promise<ContactTable> {
  const c = await buildContact(t.db.kysely, ref.organisationId, {
    name: 'Jan de Vries',
    first_name: 'Jan',
    ...contact,
  });
  const inv = await buildInvitation(
    t.db.kysely,
    { ...ref, contactId: c.id },
    { planned_at: t.clock.now },
  );
  const form = new URLSearchParams({ score: '10' });
  if (answer.comment !== undefined) form.set('comment', answer.comment);
  if (answer.optIn ?? true) form.set('ambassadorOptIn', '1');
  const answered = await t.app.inject({
    method: 'POST',
    url: `/r/${inv.token}`,
    headers: FORM,
    payload: form.toString(),
  });
  expect(answered.statusCode, answered.body).toBe(303);
  return c;
}

/** A customer answers 10 and opts in (`answerAsPromoter`): they are in the register. */
export async function enrolPromoter(
  t: TestApp,
  ref: { organisationId: string; surveyId: string },
  contact: Partial<ContactTable> = {},
): Promise<EnrolledAmbassador> {
  const c = await answerAsPromoter(t, ref, contact);
  const a = await t.db.kysely
    .selectFrom('ambassadors')
    .select(['id', 'link_token', 'share_token'])
    .where('organisation_id', '=', ref.organisationId)
    .where('contact_id', '=', c.id)
    .executeTakeFirstOrThrow();
  return {
    contact: c,
    ambassadorId: a.id,
    link: `/f/${a.link_token}`,
    share: `/a/${a.share_token}`,
  };
}

/**
 * A friend leaves their details with consent on the ambassador's page; returns the lead's id.
 */
export async function referFriend(
  t: TestApp,
  ambassador: { ambassadorId: string; link: string },
  friend: { name: string; email: string; phone?: string },
): Promise<string> {
  const { organisation_id: organisationId } = await t.db.kysely
    .selectFrom('ambassadors')
    .select('organisation_id')
    .where('id', '=', ambassador.ambassadorId)
    .executeTakeFirstOrThrow();
  const body = new URLSearchParams({
    name: friend.name,
    email: friend.email,
    phone: friend.phone ?? '',
    consent: '1',
  }).toString();
  const left = await t.app.inject({
    method: 'POST',
    url: ambassador.link,
    headers: FORM,
    // With the signed timing token the friend's page carries, as a browser sends it.
    payload: asPersonSends(t, organisationId, ambassador.link, body),
  });
  expect(left.statusCode, left.body).toBe(303);
  const lead = await t.db.kysely
    .selectFrom('referrals')
    .select('id')
    .where('ambassador_id', '=', ambassador.ambassadorId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  return lead.id;
}

/**
 * A large register, quickly: `count` customers put straight into the register as ambassadors
 * (added by staff, joined at `now`), the i-th with `views(i)` friend-page visits. For tests about
 * how many there are; `enrolPromoter` is how one joins.
 */
export async function buildAmbassadors(
  db: Executor,
  organisationId: string,
  count: number,
  views: (i: number) => number,
  now: number,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `Ambassadeur ${String(i + 1).padStart(3, '0')}`;
    const contact = await buildContact(db, organisationId, { name });
    const id = newId();
    await db
      .insertInto('ambassadors')
      .values({
        id,
        organisation_id: organisationId,
        contact_id: contact.id,
        status: 'active',
        share_token: newToken(),
        link_token: newToken(),
        code: `T${id.replace(/-/g, '').slice(-9).toUpperCase()}`,
        show_name: 0,
        consent_text: 'Toegevoegd door de test',
        consent_source: 'staff',
        consent_at: now,
        consent_user_id: null,
        consent_note: 'test',
        response_id: null,
        referred_by_ambassador_id: null,
        invited_at: null,
        unsubscribed_at: null,
        friend_page_views: views(i),
        removed_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    ids.push(id);
  }
  return ids;
}

/** The programme dashboard in the admin app, logged in as the user through the login form. */
export async function openProgrammeDashboard(admin: AdminApp, user: Client): Promise<Page> {
  const page = await logIn(admin, user.email);
  await page.goto('/admin/referral-programme/dashboard');
  await page.getByTestId('programme-tiles').waitFor();
  return page;
}
