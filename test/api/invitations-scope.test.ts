import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import {
  buildContact,
  buildEmployee,
  buildInvitation,
  buildSurvey,
  FACTORY_NOW,
} from '../support/factories.ts';
import {
  buildMember,
  buildOrganisation,
  startTestApp,
  type Client,
  type TestApp,
} from '../support/harness.ts';

interface InvitationPage {
  items: { id: string; contactId: string }[];
  nextCursor: string | null;
}

describeEachDialect("an account manager and a survey's invitations", (dialect) => {
  let t: TestApp;
  let owner: Client;
  let orgId: string;
  let surveyId: string;
  let sanne: string;
  let own: string[];
  let colleagues: string;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t, 'Garage De Vries');
    orgId = owner.organisationId;
    const db = t.db.kysely;
    surveyId = (await buildSurvey(db, orgId)).id;
    sanne = (await buildEmployee(db, orgId, { name: 'Sanne de Boer' })).id;
    const piet = (await buildEmployee(db, orgId, { name: 'Piet Bakker' })).id;
    const refs = (contactId: string) => ({ organisationId: orgId, surveyId, contactId });
    const mine = await buildContact(db, orgId, { owner_employee_id: sanne });
    const theirs = await buildContact(db, orgId, { owner_employee_id: piet });
    const nobodys = await buildContact(db, orgId);
    own = [];
    // Two invitations of Sanne's customer, so paging (a keyset on the joined query) is covered.
    for (const minutes of [3, 1]) {
      own.push(
        (await buildInvitation(db, refs(mine.id), { planned_at: FACTORY_NOW - minutes * 60_000 }))
          .id,
      );
    }
    colleagues = (await buildInvitation(db, refs(theirs.id), { planned_at: FACTORY_NOW - 120_000 }))
      .id;
    await buildInvitation(db, refs(nobodys.id));
  });
  afterAll(async () => t.close());

  async function allInvitations(client: Client): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await client.request({
        url: `/api/v1/surveys/${surveyId}/invitations?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      });
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<InvitationPage>();
      ids.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    return ids;
  }

  it("lists an account manager's own customers' invitations, not a colleague's", async () => {
    const am = await buildMember(t, orgId, 'account_manager', sanne);
    const ids = await allInvitations(am);
    expect(ids.sort()).toEqual([...own].sort());
    expect(ids).not.toContain(colleagues);
    // The owner still sees every invitation of the survey.
    expect(await allInvitations(owner)).toHaveLength(4);
  });

  it('shows an account manager without a linked employee no invitations', async () => {
    const loose = await buildMember(t, orgId, 'account_manager');
    expect(await allInvitations(loose)).toEqual([]);
  });

  it("refuses an account manager the survey's sends (organisation-wide counts, 403)", async () => {
    const am = await buildMember(t, orgId, 'account_manager', sanne);
    const denied = await am.request({ url: `/api/v1/surveys/${surveyId}/sends` });
    expect(denied.statusCode).toBe(403);
    expect(denied.json<{ error: { code: string } }>().error.code).toBe('forbidden');
    const viewer = await buildMember(t, orgId, 'viewer');
    expect((await viewer.request({ url: `/api/v1/surveys/${surveyId}/sends` })).statusCode).toBe(
      200,
    );
  });
});
