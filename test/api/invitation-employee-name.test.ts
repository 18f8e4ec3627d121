import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildEmployee, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

/**
 * `{employee}` in an invitation's texts names the customer's account manager, as the response
 * page and the editor's preview do when the survey asks about them; a customer without one gets
 * the organisation's name, as on the page.
 */
describeEachDialect('the account manager in an invitation email', (dialect) => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  const drain = () => startWorker(t.deps, { concurrency: 1 }, false).drain();

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp(dialect, { SMTP_URL: smtp.url, MAIL_FROM: 'Loyaal <nps@loyaal.test>' });
  });
  afterAll(async () => {
    closeMailTransports();
    await t.close();
    await smtp.close();
  });

  it('is the customer’s own, or the organisation without one', async () => {
    const owner = await buildOrganisation(t, 'Installatiebedrijf Jansen');
    const org = owner.organisationId;
    const survey = await buildSurvey(t.db.kysely, org, {
      settings: {
        askEmployee: true,
        texts: { nl: { emailIntro: 'Uw contactpersoon {employee} hoort graag hoe het ging.' } },
      },
    });
    const sanne = await buildEmployee(t.db.kysely, org, { name: 'Sanne de Boer' });
    const withOwner = await buildContact(t.db.kysely, org, {
      email: `met-${dialect}@klant.test`,
      owner_employee_id: sanne.id,
    });
    const without = await buildContact(t.db.kysely, org, { email: `zonder-${dialect}@klant.test` });
    const send = await owner.request({
      method: 'POST',
      url: `/api/v1/surveys/${survey.id}/sends`,
      payload: {
        selection: { kind: 'contacts', contactIds: [withOwner.id, without.id] },
        schedule: { kind: 'now' },
      },
    });
    expect(send.statusCode, send.body).toBeLessThan(300);
    await drain();
    const textTo = (address: string | null) =>
      smtp.received.find((m) => m.envelopeTo.includes(address ?? ''))?.text() ?? '';
    expect(textTo(withOwner.email)).toContain('Uw contactpersoon Sanne de Boer hoort graag');
    expect(textTo(without.email)).toContain(
      'Uw contactpersoon Installatiebedrijf Jansen hoort graag',
    );
  });
});
