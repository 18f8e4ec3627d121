import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EmailTable, ImportErrorTable } from '../../src/db/schema.ts';
import { newId } from '../../src/shared/ids.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildInvitation, buildSurvey, FACTORY_NOW } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

interface ExportJson {
  contact: { email: string | null } | null;
  emails: { to: string; subject: string; kind: string; status: string; sentAt: string | null }[];
  importErrors: { importId: string; line: number; field: string | null; code: string }[];
}

describeEachDialect('personal data in emails and import reports', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let surveyId: string;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t, 'Privacy BV');
    surveyId = (await buildSurvey(t.db.kysely, owner.organisationId)).id;
  });
  afterAll(async () => {
    await t.close();
  });

  /** A contact with one sent invitation email and one reminder, as delivery writes them. */
  async function contactWithEmails(organisationId: string, sid: string, name: string) {
    const contact = await buildContact(t.db.kysely, organisationId, {
      name,
      email: `${name.toLowerCase().replace(/\W+/g, '.')}-${newId().slice(-8)}@example.nl`,
    });
    const invitation = await buildInvitation(t.db.kysely, {
      organisationId,
      surveyId: sid,
      contactId: contact.id,
    });
    const emails: EmailTable[] = (['invitation', 'reminder'] as const).map((kind, i) => ({
      id: newId(),
      organisation_id: organisationId,
      kind,
      invitation_id: invitation.id,
      to_address: contact.email ?? '',
      failure: null,
      next_attempt_at: null,
      subject: `${name}, hoe waarschijnlijk is het dat u ons aanbeveelt?`,
      text_body: `Beste ${name}, https://loyaal.test/r/${invitation.token}`,
      html_body: `<p>Beste ${name}</p><a href="https://loyaal.test/r/${invitation.token}">0</a>`,
      headers: JSON.stringify({
        'List-Unsubscribe': `<https://loyaal.test/u/${invitation.token}>`,
      }),
      message_id: `<${newId()}@loyaal.test>`,
      status: 'sent',
      transport: 'outbox',
      error: null,
      sent_at: FACTORY_NOW + i,
      created_at: FACTORY_NOW + i,
    }));
    await t.db.kysely.insertInto('emails').values(emails).execute();
    return { contact, invitation, emails };
  }

  /** A failed-or-finished import whose report holds the given rejected values. */
  async function importReport(organisationId: string, values: (string | null)[]) {
    const importId = newId();
    await t.db.kysely
      .insertInto('imports')
      .values({
        id: importId,
        organisation_id: organisationId,
        created_by: null,
        filename: 'klanten.csv',
        format: 'csv',
        status: 'completed',
        detected: '{}',
        mapping: null,
        total_rows: values.length,
        processed_rows: values.length,
        valid_rows: 0,
        rejected_rows: values.length,
        created_rows: 0,
        updated_rows: 0,
        without_email_rows: 0,
        owner_resolutions: null,
        error: null,
        kind: 'contacts',
        options: null,
        question: null,
        created_at: FACTORY_NOW,
        updated_at: FACTORY_NOW,
      })
      .execute();
    const rows: ImportErrorTable[] = values.map((value, i) => ({
      id: newId(),
      import_id: importId,
      organisation_id: organisationId,
      line: i + 2,
      field: 'email',
      code: i === 0 ? 'duplicate_in_file?line=1' : 'taken',
      value,
    }));
    await t.db.kysely.insertInto('import_errors').values(rows).execute();
    return { importId, rows };
  }

  const emailsOf = (ids: string[]) =>
    t.db.kysely
      .selectFrom('emails')
      .select([
        'id',
        'kind',
        'to_address',
        'subject',
        'text_body',
        'html_body',
        'headers',
        'status',
      ])
      .where('id', 'in', ids)
      .orderBy('created_at')
      .execute();

  const valuesOf = (importId: string) =>
    t.db.kysely
      .selectFrom('import_errors')
      .select(['line', 'value'])
      .where('import_id', '=', importId)
      .orderBy('line')
      .execute();

  it('exports the contact’s emails in an `emails` section, without the bodies, and the import errors holding their email', async () => {
    const { contact } = await contactWithEmails(owner.organisationId, surveyId, 'Piet Privé');
    const { importId } = await importReport(owner.organisationId, [
      (contact.email ?? '').toUpperCase(),
      'iemand.anders@example.nl',
    ]);
    const res = await owner.request({ url: `/api/v1/contacts/${contact.id}/export` });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<ExportJson>();
    expect(body.emails).toEqual([
      {
        to: contact.email,
        subject: 'Piet Privé, hoe waarschijnlijk is het dat u ons aanbeveelt?',
        kind: 'invitation',
        status: 'sent',
        sentAt: new Date(FACTORY_NOW).toISOString(),
      },
      {
        to: contact.email,
        subject: 'Piet Privé, hoe waarschijnlijk is het dat u ons aanbeveelt?',
        kind: 'reminder',
        status: 'sent',
        sentAt: new Date(FACTORY_NOW + 1).toISOString(),
      },
    ]);
    expect(JSON.stringify(body.emails)).not.toContain('<p>');
    expect(body.importErrors).toEqual([
      { importId, line: 2, field: 'email', code: 'duplicate_in_file' },
    ]);
  });

  it('erasing a contact blanks their emails’ addresses, subjects, bodies and headers; other contacts’ emails stay', async () => {
    const erased = await contactWithEmails(owner.organisationId, surveyId, 'Anna Gewist');
    const kept = await contactWithEmails(owner.organisationId, surveyId, 'Bert Blijft');
    // Another organisation's contact with the same invitation-bound emails stays as well.
    const other = await buildOrganisation(t, 'Ander BV');
    const otherSurvey = await buildSurvey(t.db.kysely, other.organisationId);
    const foreign = await contactWithEmails(other.organisationId, otherSurvey.id, 'Anna Gewist');

    const res = await owner.request({
      method: 'POST',
      url: `/api/v1/contacts/${erased.contact.id}/erase`,
    });
    expect(res.statusCode, res.body).toBe(204);

    const after = await emailsOf(erased.emails.map((e) => e.id));
    expect(after).toEqual(
      erased.emails.map((e) => ({
        id: e.id,
        kind: e.kind,
        to_address: 'erased',
        subject: '',
        text_body: '',
        html_body: '',
        headers: '{}',
        status: 'sent',
      })),
    );
    for (const untouched of [kept, foreign]) {
      expect(await emailsOf(untouched.emails.map((e) => e.id))).toEqual(
        untouched.emails.map((e) => ({
          id: e.id,
          kind: e.kind,
          to_address: e.to_address,
          subject: e.subject,
          text_body: e.text_body,
          html_body: e.html_body,
          headers: e.headers,
          status: e.status,
        })),
      );
    }

    const exported = await owner.request({ url: `/api/v1/contacts/${erased.contact.id}/export` });
    const body = exported.json<ExportJson>();
    expect(body.contact?.email).toBeNull();
    expect(body.emails.map((e) => [e.to, e.subject])).toEqual([
      ['erased', ''],
      ['erased', ''],
    ]);
  });

  it('a contact’s emails are their invitations’ and the customer mail to their address in any case, each once, oldest first', async () => {
    const contact = await buildContact(t.db.kysely, owner.organisationId, {
      name: 'Carla Compleet',
      email: `carla-${newId().slice(-8)}@example.nl`,
    });
    const address = contact.email ?? '';
    const invitation = await buildInvitation(t.db.kysely, {
      organisationId: owner.organisationId,
      surveyId,
      contactId: contact.id,
    });
    const other = await buildOrganisation(t, 'Elders BV');
    const row = (
      organisationId: string,
      kind: EmailTable['kind'],
      invitationId: string | null,
      to: string,
      at: number,
    ): EmailTable => ({
      id: newId(),
      organisation_id: organisationId,
      kind,
      invitation_id: invitationId,
      to_address: to,
      failure: null,
      next_attempt_at: null,
      subject: `${kind} voor Carla`,
      text_body: 'Beste Carla',
      html_body: '<p>Beste Carla</p>',
      headers: '{}',
      message_id: `<${newId()}@loyaal.test>`,
      status: 'sent',
      transport: 'outbox',
      error: null,
      sent_at: at,
      created_at: at,
    });
    // Hers: by her invitation only (an address she had before), by her address only (in another
    // case), and both ways; not hers: staff mail to her address, another organisation's mail.
    const byInvitation = row(
      owner.organisationId,
      'invitation',
      invitation.id,
      'oud@example.nl',
      FACTORY_NOW + 10,
    );
    const byAddress = row(
      owner.organisationId,
      'review_request',
      null,
      address.toUpperCase(),
      FACTORY_NOW + 5,
    );
    const bothWays = row(
      owner.organisationId,
      'reminder',
      invitation.id,
      address,
      FACTORY_NOW + 20,
    );
    const staff = row(owner.organisationId, 'case_alert', null, address, FACTORY_NOW + 7);
    const elsewhere = row(
      other.organisationId,
      'ambassador_invite',
      null,
      address,
      FACTORY_NOW + 8,
    );
    await t.db.kysely
      .insertInto('emails')
      .values([bothWays, staff, byInvitation, elsewhere, byAddress])
      .execute();

    const res = await owner.request({ url: `/api/v1/contacts/${contact.id}/export` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<ExportJson>().emails.map((e) => [e.kind, e.to])).toEqual([
      ['review_request', address.toUpperCase()],
      ['invitation', 'oud@example.nl'],
      ['reminder', address],
    ]);

    const erased = await owner.request({
      method: 'POST',
      url: `/api/v1/contacts/${contact.id}/erase`,
    });
    expect(erased.statusCode, erased.body).toBe(204);
    const after = await emailsOf(
      [byInvitation, byAddress, bothWays, staff, elsewhere].map((e) => e.id),
    );
    expect(after.map((e) => [e.kind, e.to_address, e.text_body])).toEqual([
      ['review_request', 'erased', ''],
      ['case_alert', address, 'Beste Carla'],
      ['ambassador_invite', address, 'Beste Carla'],
      ['invitation', 'erased', ''],
      ['reminder', 'erased', ''],
    ]);
  });

  it('erasing a contact blanks the import error values holding their email in any case, before the email itself is cleared', async () => {
    const contact = await buildContact(t.db.kysely, owner.organisationId, {
      email: `Karin.Kwijt-${newId().slice(-8)}@Example.nl`,
    });
    const email = contact.email ?? '';
    const mine = await importReport(owner.organisationId, [
      email.toUpperCase(),
      'iemand.anders@example.nl',
      email.toLowerCase(),
      null,
    ]);
    const other = await buildOrganisation(t, 'Buur BV');
    const theirs = await importReport(other.organisationId, [email]);

    const res = await owner.request({
      method: 'POST',
      url: `/api/v1/contacts/${contact.id}/erase`,
    });
    expect(res.statusCode, res.body).toBe(204);

    expect(await valuesOf(mine.importId)).toEqual([
      { line: 2, value: null },
      { line: 3, value: 'iemand.anders@example.nl' },
      { line: 4, value: null },
      { line: 5, value: null },
    ]);
    // The report itself stays, and another organisation's report is not this contact's.
    expect(await valuesOf(theirs.importId)).toEqual([{ line: 2, value: email }]);
  });
});
