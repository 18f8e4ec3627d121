import { describe, expect, it } from 'vitest';
import { explainSmtpError } from './explain-smtp-error.ts';

/** Error shapes as nodemailer 10 reports them (recorded from real attempts against smtp-server). */
const err = (fields: Record<string, unknown>) =>
  Object.assign(new Error(String(fields.message)), fields);

describe('explaining why a mail server did not take a message', () => {
  it('a refused connection: nothing listens on that port', () => {
    const e = err({
      code: 'ESOCKET',
      command: 'CONN',
      message: 'connect ECONNREFUSED 127.0.0.1:1',
    });
    expect(explainSmtpError(e)).toEqual({
      reason: 'connection_refused',
      serverReply: 'connect ECONNREFUSED 127.0.0.1:1',
      responseCode: null,
    });
  });

  it('an unknown host name', () => {
    const e = err({
      code: 'EDNS',
      command: 'CONN',
      message: 'getaddrinfo ENOTFOUND smtp.x.invalid',
    });
    expect(explainSmtpError(e).reason).toBe('host_not_found');
  });

  it('TLS spoken to a server that expects plain SMTP, with the OpenSSL noise cut away', () => {
    const e = err({
      code: 'ESOCKET',
      command: 'CONN',
      message:
        '40CD042DA17F0000:error:0A00010B:SSL routines:tls_validate_record_header:wrong version number:../deps/openssl/openssl/ssl/record/methods/tlsany_meth.c:77:\n',
    });
    expect(explainSmtpError(e)).toMatchObject({
      reason: 'tls',
      serverReply: 'wrong version number',
    });
  });

  it('STARTTLS asked of a server that does not offer it', () => {
    const e = err({
      code: 'ETLS',
      command: 'STARTTLS',
      response: '500 Error: command not recognized',
      responseCode: 500,
      message: 'Error upgrading connection with STARTTLS: 500 Error: command not recognized',
    });
    expect(explainSmtpError(e)).toEqual({
      reason: 'tls',
      serverReply: '500 Error: command not recognized',
      responseCode: 500,
    });
  });

  it('a wrong user name or password, with the server’s own reply', () => {
    const e = err({
      code: 'EAUTH',
      command: 'AUTH PLAIN',
      response: '535 5.7.8 Authentication credentials invalid',
      responseCode: 535,
      message: 'Invalid login: 535 5.7.8 Authentication credentials invalid',
    });
    expect(explainSmtpError(e)).toMatchObject({
      reason: 'auth_failed',
      serverReply: '535 5.7.8 Authentication credentials invalid',
    });
  });

  it('a server that wants a login nobody gave', () => {
    const e = err({
      code: 'EENVELOPE',
      command: 'MAIL FROM',
      response: '530 Error: authentication Required',
      responseCode: 530,
      message: 'Mail command failed: 530 Error: authentication Required',
    });
    expect(explainSmtpError(e).reason).toBe('auth_required');
  });

  it('a sender address the server will not send for', () => {
    const e = err({
      code: 'EENVELOPE',
      command: 'MAIL FROM',
      response: '553 5.7.1 Sender address rejected: not owned by user',
      responseCode: 553,
      message: 'Mail command failed: 553 5.7.1 Sender address rejected: not owned by user',
    });
    expect(explainSmtpError(e)).toMatchObject({ reason: 'sender_rejected', responseCode: 553 });
  });

  it('a recipient the server refuses', () => {
    const e = err({
      code: 'EENVELOPE',
      command: 'RCPT TO',
      response: '550 5.1.1 mailbox unavailable',
      responseCode: 550,
      message: "Can't send mail - all recipients were rejected: 550 5.1.1 mailbox unavailable",
    });
    expect(explainSmtpError(e).reason).toBe('recipient_rejected');
  });

  it('a relay that will not pass mail on for us, at RCPT TO: not the address', () => {
    const e = err({
      code: 'EENVELOPE',
      command: 'RCPT TO',
      response: '554 5.7.1 <ik@elders.nl>: Relay access denied',
      responseCode: 554,
      message: "Can't send mail - all recipients were rejected: 554 5.7.1 Relay access denied",
    });
    expect(explainSmtpError(e)).toMatchObject({ reason: 'relay_denied', responseCode: 554 });
    // Postfix answers a sender it refuses at RCPT TO, with the sender's code (5.1.8).
    const sender = err({
      code: 'EENVELOPE',
      command: 'RCPT TO',
      response: '553 5.1.8 <noreply@garage.test>: Sender address rejected: Domain not found',
      responseCode: 553,
    });
    expect(explainSmtpError(sender).reason).toBe('sender_rejected');
  });

  it('a message refused after DATA', () => {
    const e = err({
      code: 'EMESSAGE',
      command: 'DATA',
      response: '554 5.7.1 Message rejected as spam',
      responseCode: 554,
      message: 'Message failed: 554 5.7.1 Message rejected as spam',
    });
    expect(explainSmtpError(e).reason).toBe('message_rejected');
  });

  it('a server that never greets', () => {
    const e = err({ code: 'ETIMEDOUT', command: 'CONN', message: 'Greeting never received' });
    expect(explainSmtpError(e)).toMatchObject({
      reason: 'timeout',
      serverReply: 'Greeting never received',
    });
  });

  it('a dropped connection, and anything else as unknown, never throwing', () => {
    expect(
      explainSmtpError(err({ code: 'ECONNECTION', message: 'Connection closed' })).reason,
    ).toBe('connection_closed');
    expect(explainSmtpError(new Error('boom')).reason).toBe('unknown');
    expect(explainSmtpError('a string')).toEqual({
      reason: 'unknown',
      serverReply: null,
      responseCode: null,
    });
    expect(explainSmtpError(null).reason).toBe('unknown');
  });

  it('cuts a very long reply to 300 characters', () => {
    const e = err({ code: 'EMESSAGE', response: `554 ${'x'.repeat(1000)}`, responseCode: 554 });
    expect(explainSmtpError(e).serverReply).toHaveLength(300);
  });
});
