import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

/** A password distinctive enough that finding it anywhere means it leaked. */
const PASSWORD = `Geheim-${randomBytes(9).toString('hex')}-wachtwoord`;
const SECRET_KEY = randomBytes(32).toString('base64');

interface MailSettings {
  source: string;
  delivers: boolean;
  problem: string | null;
  server: { host: string; port: number; username: string | null; hasPassword: boolean } | null;
  lastTest: { ok: boolean; reason: string | null } | null;
}
interface TestResult {
  ok: boolean;
  source: string;
  to: string;
  reason: string | null;
  serverReply: string | null;
  message: string;
}

/** A port on which nothing listens: a connection to it is refused. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describeEachDialect("the organisation's own mail server", (dialect) => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  let owner: Client;
  const logLines: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'loyaal-mail-'));
  const file = join(dir, 'loyaal.db');

  beforeAll(async () => {
    smtp = await startSmtpServer({ auth: { user: 'loyaal@garage.nl', pass: PASSWORD } });
    t = await startTestApp(
      dialect,
      { SECRET_KEY, PUBLIC_URL: 'https://nps.example.nl' },
      { logLines, ...(dialect === 'sqlite' ? { sqliteFile: file } : {}) },
    );
  });
  // Each test sets up the mail server of an organisation of its own, so the order does not matter.
  beforeEach(async () => {
    owner = await buildOrganisation(t);
  });
  afterAll(async () => {
    closeMailTransports();
    await t.close();
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const save = (payload: Record<string, unknown>) =>
    owner.request({ method: 'PUT', url: '/api/v1/mail-server', payload });
  const testMail = async () => {
    const res = await owner.request({ method: 'POST', url: '/api/v1/mail-server/test' });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<TestResult>();
  };
  const server = (over: Record<string, unknown> = {}) => ({
    host: '127.0.0.1',
    port: smtp.port,
    security: 'none',
    username: 'loyaal@garage.nl',
    password: PASSWORD,
    fromAddress: 'info@garagedevries.nl',
    ...over,
  });

  it('says mail does not leave while nothing is set up, and a test mail stays in the outbox', async () => {
    const status = await owner.request({ url: '/api/v1/mail-server/status' });
    expect(status.json()).toEqual({
      source: 'none',
      delivers: false,
      problem: null,
      lastTest: null,
    });
    const result = await testMail();
    expect(result).toMatchObject({ ok: false, source: 'none', reason: 'no_server' });
    expect(result.message).toContain('lokale postvak');
    const outbox = await owner.request({ url: '/api/v1/outbox' });
    expect(outbox.json<{ items: { subject: string; status: string }[] }>().items[0]).toMatchObject({
      status: 'held',
    });
  });

  it('stores the server, returns everything but the password, and a test mail arrives', async () => {
    const before = smtp.received.length;
    const res = await save(server());
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<MailSettings>();
    expect(body).toMatchObject({
      source: 'organisation',
      delivers: true,
      server: {
        host: '127.0.0.1',
        port: smtp.port,
        username: 'loyaal@garage.nl',
        hasPassword: true,
      },
    });
    expect(res.body).not.toContain(PASSWORD);

    const result = await testMail();
    expect(result, result.message).toMatchObject({ ok: true, source: 'organisation' });
    expect(result.serverReply).toMatch(/^250 /);
    expect(result.message).toContain(result.to);
    await smtp.waitFor(before + 1);
    const mail = smtp.received.find((m) => m.envelopeTo.includes(result.to));
    expect(mail?.envelopeTo).toEqual([result.to]);
    expect(mail?.from).toBe('Garage De Vries <info@garagedevries.nl>');
    expect(mail?.subject).toBe('Testmail van Loyaal voor Garage De Vries');
    // The password arrived at the server: it was decrypted for this connection only.
    expect(smtp.logins).toContain('loyaal@garage.nl');
    const status = await owner.request({ url: '/api/v1/mail-server/status' });
    expect(status.json()).toMatchObject({ delivers: true, lastTest: { ok: true } });
  });

  it('keeps the password when a save leaves it out, and says so without returning it', async () => {
    expect((await save(server())).statusCode).toBe(200);
    const { password: _omitted, ...rest } = server({ port: smtp.port });
    const res = await save(rest);
    expect(res.json<MailSettings>().server?.hasPassword).toBe(true);
    expect((await testMail()).ok).toBe(true);
  });

  describe('explains in plain words why a test mail did not leave', () => {
    it('a wrong password, with the server’s own reply', async () => {
      await save(server({ password: 'niet-het-goede-wachtwoord' }));
      const result = await testMail();
      expect(result).toMatchObject({ ok: false, reason: 'auth_failed' });
      expect(result.serverReply).toContain('535');
      expect(result.message).toContain('gebruikersnaam of het wachtwoord');
    });

    it('a port where nothing listens', async () => {
      await save(server({ port: await closedPort() }));
      const result = await testMail();
      expect(result).toMatchObject({ ok: false, reason: 'connection_refused' });
      expect(result.serverReply).toContain('ECONNREFUSED');
    });

    it('TLS spoken to a server that speaks plain SMTP', async () => {
      await save(server({ security: 'tls' }));
      expect(await testMail()).toMatchObject({ ok: false, reason: 'tls' });
    });

    it('STARTTLS required of a server that does not offer it', async () => {
      await save(server({ security: 'starttls' }));
      expect(await testMail()).toMatchObject({ ok: false, reason: 'tls' });
    });

    it('a sender address the server will not send for', async () => {
      smtp.rejectSenders.add('marketing@elders.nl');
      await save(server({ fromAddress: 'marketing@elders.nl' }));
      const result = await testMail();
      expect(result).toMatchObject({ ok: false, reason: 'sender_rejected' });
      expect(result.serverReply).toContain('553');
    });

    it('a relay that wants a login before it passes mail on (a 5xx at RCPT TO)', async () => {
      smtp.answerAtRcpt.set(owner.email.toLowerCase(), {
        code: 554,
        text: '5.7.1 Relay access denied',
      });
      try {
        await save(server());
        const result = await testMail();
        expect(result).toMatchObject({ ok: false, reason: 'relay_denied' });
        expect(result.serverReply).toContain('554 5.7.1 Relay access denied');
        expect(result.message).toContain('inlogt');
      } finally {
        smtp.answerAtRcpt.clear();
      }
    });

    it('in English for an English reader', async () => {
      smtp.rejectSenders.add('marketing@elders.nl');
      await save(server({ fromAddress: 'marketing@elders.nl' }));
      const res = await owner.request({
        method: 'POST',
        url: '/api/v1/mail-server/test',
        headers: { 'accept-language': 'en' },
      });
      // The session's user reads Dutch; the user's own language wins over the header.
      expect(res.json<TestResult>().message).toContain('afzenderadres');
    });
  });

  it('allows ten test mails a minute per organisation, not per address', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) {
      codes.push(
        (await owner.request({ method: 'POST', url: '/api/v1/mail-server/test' })).statusCode,
      );
    }
    expect(codes).toEqual([...Array<number>(10).fill(200), 429]);
    // A colleague of another organisation, from the same address, still gets an answer.
    const other = await buildOrganisation(t);
    expect(
      (await other.request({ method: 'POST', url: '/api/v1/mail-server/test' })).statusCode,
    ).toBe(200);
  });

  it('refuses a bad host or port with the field named, and stores nothing', async () => {
    const res = await save(server({ host: 'smtp://example.nl', port: 70000 }));
    expect(res.statusCode).toBe(400);
    const fields = res.json<{ error: { fields: { field: string; problem: string }[] } }>().error
      .fields;
    expect(fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'host', problem: 'invalid_host' }),
        expect.objectContaining({ field: 'port', problem: 'too_big' }),
      ]),
    );
  });

  it('sends invitations through the organisation’s server, with its sender and reply-to', async () => {
    await save(server());
    await owner.request({
      method: 'PATCH',
      url: '/api/v1/organisation',
      payload: { settings: { replyTo: 'werkplaats@garagedevries.nl' } },
    });
    await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { name: 'Ingrid van der Vos', firstName: 'Ingrid', email: 'ingrid@example.nl' },
    });
    const survey = await owner.request({
      method: 'POST',
      url: '/api/v1/surveys',
      payload: { name: 'NPS', status: 'active' },
    });
    const surveyId = survey.json<{ id: string }>().id;
    const sent = await owner.request({
      method: 'POST',
      url: `/api/v1/surveys/${surveyId}/sends`,
      payload: { selection: { kind: 'all' }, schedule: { kind: 'now' } },
    });
    expect(sent.json()).toMatchObject({ delivery: { mode: 'smtp', source: 'organisation' } });
    const before = smtp.received.length;
    await startWorker(
      t.deps,
      { concurrency: 2, log: (m, d) => logLines.push(`${m} ${JSON.stringify(d ?? {})}`) },
      false,
    ).drain();
    await smtp.waitFor(before + 1);
    const mail = smtp.received.find((m) => m.envelopeTo.includes('ingrid@example.nl'));
    expect(mail?.from).toBe('Garage De Vries <info@garagedevries.nl>');
    expect(mail?.headers.get('reply-to')).toBe('werkplaats@garagedevries.nl');
    const invitation = await t.db.kysely
      .selectFrom('invitations')
      .select(['status', 'sent_at'])
      .where('organisation_id', '=', owner.organisationId)
      .executeTakeFirstOrThrow();
    expect(invitation.status).toBe('sent');
  });

  it('keeps the password out of the database in clear, out of every API answer and out of the logs', async () => {
    expect((await save(server())).statusCode).toBe(200);
    expect((await testMail()).ok).toBe(true);
    await save(server({ password: 'niet-het-goede-wachtwoord' }));
    expect((await testMail()).ok).toBe(false);
    await save(server());
    // The database: every byte of the SQLite file (and its WAL), or every row of every table.
    if (dialect === 'sqlite') {
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(t.db.kysely);
      const files = readdirSync(dir).map((f) => readFileSync(join(dir, f)));
      expect(files.length).toBeGreaterThan(0);
      expect(files.some((bytes) => bytes.includes('loyaal@garage.nl'))).toBe(true);
      for (const bytes of files) expect(bytes.includes(PASSWORD)).toBe(false);
    } else {
      const tables = await sql<{ table_name: string }>`
        select table_name from information_schema.tables
        where table_schema = ${t.db.schema ?? ''} and table_type = 'BASE TABLE'`.execute(
        t.db.kysely,
      );
      expect(tables.rows.map((r) => r.table_name)).toContain('mail_servers');
      let seenUser = false;
      for (const { table_name } of tables.rows) {
        const rows = await sql<{ row: string }>`
          select row_to_json(x)::text as row from ${sql.table(table_name)} x`.execute(t.db.kysely);
        for (const { row } of rows.rows) {
          expect(row, table_name).not.toContain(PASSWORD);
          if (row.includes('loyaal@garage.nl')) seenUser = true;
        }
      }
      expect(seenUser).toBe(true);
    }
    const stored = await t.db.kysely
      .selectFrom('mail_servers')
      .select('password_secret')
      .where('organisation_id', '=', owner.organisationId)
      .executeTakeFirstOrThrow();
    expect(stored.password_secret).toMatch(/^v1:[\w-]+:[\w-]+:[\w-]+:[\w-]+$/);

    // Every API answer the owner can read.
    for (const url of [
      '/api/v1/mail-server',
      '/api/v1/mail-server/status',
      '/api/v1/organisation',
      '/api/v1/audit',
      '/api/v1/outbox',
      '/api/v1/auth/me',
    ]) {
      const res = await owner.request({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).not.toContain(PASSWORD);
    }

    // The logs of every request, every test mail (failed ones too) and the send job above.
    expect(logLines.length).toBeGreaterThan(20);
    expect(logLines.some((l) => l.includes('/api/v1/mail-server'))).toBe(true);
    for (const line of logLines) expect(line).not.toContain(PASSWORD);
  });

  it('refuses to store a password without SECRET_KEY, and says what to do', async () => {
    const bare = await startTestApp(dialect);
    try {
      const client = await buildOrganisation(bare);
      const res = await client.request({
        method: 'PUT',
        url: '/api/v1/mail-server',
        payload: server(),
      });
      expect(res.statusCode).toBe(409);
      expect(res.json<{ error: { code: string; message: string } }>().error).toMatchObject({
        code: 'secret_key_missing',
        message: expect.stringContaining('SECRET_KEY') as string,
      });
      const { password: _none, username: _nobody, ...noLogin } = server();
      const ok = await client.request({
        method: 'PUT',
        url: '/api/v1/mail-server',
        payload: noLogin,
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.json<MailSettings>().server?.hasPassword).toBe(false);
    } finally {
      await bare.close();
    }
  });

  it('fails visibly, never into the outbox, when the stored password cannot be read', async () => {
    expect((await save(server())).statusCode).toBe(200);
    const otherKey = await startTestApp(dialect, { SECRET_KEY: randomBytes(32).toString('hex') });
    try {
      const client = await buildOrganisation(otherKey);
      // A row sealed under this test's key, as if SECRET_KEY had been changed afterwards.
      const row = await t.db.kysely
        .selectFrom('mail_servers')
        .select(['host', 'port', 'security', 'username', 'password_secret', 'from_address'])
        .where('organisation_id', '=', owner.organisationId)
        .executeTakeFirstOrThrow();
      await otherKey.db.kysely
        .insertInto('mail_servers')
        .values({
          ...row,
          organisation_id: client.organisationId,
          created_at: 1,
          updated_at: 1,
        })
        .execute();
      const status = await client.request({ url: '/api/v1/mail-server/status' });
      expect(status.json()).toMatchObject({
        source: 'organisation',
        delivers: false,
        problem: 'password_unreadable',
      });
      const res = await client.request({ method: 'POST', url: '/api/v1/mail-server/test' });
      expect(res.json<TestResult>()).toMatchObject({ ok: false, reason: 'password_unreadable' });
    } finally {
      await otherKey.close();
    }
  });

  it('goes back to no mail server when the organisation removes its own', async () => {
    expect((await save(server())).json<MailSettings>().source).toBe('organisation');
    const res = await owner.request({ method: 'DELETE', url: '/api/v1/mail-server' });
    expect(res.json<MailSettings>()).toMatchObject({
      source: 'none',
      server: null,
      delivers: false,
    });
  });
});
