import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildInvitation, buildSurvey } from '../support/factories.ts';
import { enrolPromoter, referFriend, setUpProgramme } from '../support/ambassadors.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const HOUR = 3_600_000;

/** What identifies the person who asks to be forgotten, in every form the app may copy it. */
const PERSON = {
  name: 'Xandrijn Vergeetmij',
  firstName: 'Xandrijn',
  email: 'x.vergeetmij@klant.test',
  phone: '+31 6 4826 1937',
};
// The phone number as the app stores it (as typed, and as its key of international digits): whole
// runs of digits, since a short fragment such as '1937' also turns up by chance inside a hash or a
// millisecond timestamp. Each trace is checked to be present before the erasure, so a changed
// storage format fails here, not silently.
const TRACES = ['Vergeetmij', 'Xandrijn', 'x.vergeetmij', '6 4826 1937', '31648261937'];

/**
 * Erasure (AVG/GDPR art. 17) as a search of the whole database: a customer who answered, became an
 * ambassador, got the programme and review emails, showed their name to friends and brought a
 * friend in is erased — and then no row of any table, on either database, holds their name, email
 * address or phone number. The friend they brought in is another person and keeps their lead.
 */
describeEachDialect('erasing a contact leaves nothing of them in the database', (dialect) => {
  let t: TestApp;
  let owner: Client;
  const drain = () => startWorker(t.deps, { concurrency: 1 }, false).drain();

  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t, 'Garage Geheugen');
  });
  afterAll(async () => t.close());

  /** Every row of every table (partitions included), as text, one string per table. */
  async function everyTable(): Promise<Map<string, string>> {
    // On PostgreSQL only this app's schema is listed, straight from the catalogue: other test files
    // running beside this one have their own schemas (with tables this one lacks, such as a
    // detached partition), and one dropped while a schema-wide introspection reads it fails it.
    const schema = t.db.schema;
    const tables =
      schema === undefined
        ? await t.db.kysely.introspection.getTables()
        : (
            await sql<{ name: string }>`select table_name as name from information_schema.tables
              where table_schema = ${schema} and table_type = 'BASE TABLE'`.execute(t.db.kysely)
          ).rows;
    expect(tables.map((table) => table.name)).toContain('contacts');
    const dump = new Map<string, string>();
    for (const table of tables) {
      const rows = await t.db.kysely
        .selectFrom(table.name as 'contacts')
        .selectAll()
        .execute();
      dump.set(table.name, JSON.stringify(rows));
    }
    return dump;
  }

  const holding = (dump: Map<string, string>, trace: string): string[] =>
    [...dump]
      .filter(([, text]) => text.toLowerCase().includes(trace.toLowerCase()))
      .map(([n]) => n);

  it('finds no name, email address or phone number of the erased person in any table', async () => {
    await setUpProgramme(owner);
    const sites = [{ kind: 'google', url: 'https://g.page/r/garage-geheugen/review' }];
    const reviews = await owner.request({
      method: 'PUT',
      url: '/api/v1/review-settings',
      payload: { sites, askOnThanks: true, emailAfterHours: 1 },
    });
    expect(reviews.statusCode, reviews.body).toBe(200);
    const survey = await buildSurvey(t.db.kysely, owner.organisationId);
    const contact = await buildContact(t.db.kysely, owner.organisationId, {
      name: PERSON.name,
      first_name: PERSON.firstName,
      email: PERSON.email,
      phone: PERSON.phone,
    });
    const invitation = await buildInvitation(
      t.db.kysely,
      { organisationId: owner.organisationId, surveyId: survey.id, contactId: contact.id },
      { planned_at: t.clock.now },
    );
    const answered = await t.app.inject({
      method: 'POST',
      url: `/r/${invitation.token}`,
      headers: FORM,
      payload: `score=10&mayContact=1&ambassadorOptIn=1&comment=${encodeURIComponent(
        `Groet van ${PERSON.name}, bel me op ${PERSON.phone}`,
      )}`,
    });
    expect(answered.statusCode, answered.body).toBe(303);
    const ambassador = await t.db.kysely
      .selectFrom('ambassadors')
      .select(['id', 'link_token', 'share_token'])
      .where('contact_id', '=', contact.id)
      .executeTakeFirstOrThrow();
    // They let friends see their name, and a friend leaves her details on their link.
    const shown = await t.app.inject({
      method: 'POST',
      url: `/a/${ambassador.share_token}/name`,
      headers: FORM,
      payload: 'showName=1',
    });
    expect(shown.statusCode, shown.body).toBe(200);
    const friend = { name: 'Fenna Blijft', email: 'fenna.blijft@vriend.test' };
    await referFriend(
      t,
      { ambassadorId: ambassador.id, link: `/f/${ambassador.link_token}` },
      friend,
    );
    // Another customer of the garage, an ambassador too, is not erased.
    const kept = { name: 'Bert Blijft', email: 'bert.blijft@klant.test' };
    await enrolPromoter(t, { organisationId: owner.organisationId, surveyId: survey.id }, kept);
    // The programme invitations and the review request are sent.
    t.clock.now += 2 * HOUR;
    await drain();
    const before = await everyTable();
    // The scenario really copied them around: else the search below would prove nothing.
    expect(holding(before, PERSON.email).length).toBeGreaterThan(1);
    expect(holding(before, 'Vergeetmij')).toEqual(expect.arrayContaining(['contacts', 'emails']));
    expect(TRACES.filter((trace) => holding(before, trace).length === 0)).toEqual([]);

    const erased = await owner.request({
      method: 'POST',
      url: `/api/v1/contacts/${contact.id}/erase`,
    });
    expect(erased.statusCode, erased.body).toBe(204);
    await drain();

    const after = await everyTable();
    const left = TRACES.flatMap((trace) =>
      holding(after, trace).map((table) => `${trace} in ${table}`),
    );
    expect(left).toEqual([]);
    // The friend and the other customer are other people: her lead and his emails stay.
    expect(holding(after, friend.email)).toContain('referrals');
    expect(holding(after, kept.email)).toEqual(expect.arrayContaining(['contacts', 'emails']));
  }, 120_000);
});
