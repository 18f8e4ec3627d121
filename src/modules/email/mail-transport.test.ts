import { describe, expect, it } from 'vitest';
import {
  classifyMailFailure,
  enhancedStatusOf,
  isRecipientDeferral,
  permanentRefusal,
} from './mail-transport.ts';

/** An error as nodemailer 10 reports a server's answer (`response` is the reply as sent). */
const answer = (code: 'EENVELOPE' | 'EMESSAGE', command: string, response: string) =>
  Object.assign(new Error(`failed: ${response}`), {
    code,
    command,
    response,
    responseCode: Number(response.slice(0, 3)),
  });
const afterData = (response: string) => answer('EMESSAGE', 'DATA', response);

describe('what a mail server refused for good', () => {
  it('reads the enhanced status code of a reply, one line or several', () => {
    expect(enhancedStatusOf('550 5.7.1 message refused as spam')).toEqual({
      class: 5,
      subject: 7,
      detail: 1,
    });
    expect(enhancedStatusOf('550-5.1.10 recipient address has null MX\n550 5.1.10 bye')).toEqual({
      class: 5,
      subject: 1,
      detail: 10,
    });
    expect(enhancedStatusOf('554 transaction failed')).toBeNull();
    expect(enhancedStatusOf('554 5.1.1.2 not a code')).toBeNull();
  });

  it('is the address after DATA when the code says so (X.1.x, not the sender’s X.1.7/X.1.8)', () => {
    for (const reply of [
      '554 5.1.1 no such user',
      '550 5.1.2 bad destination system',
      '550 5.1.10 null MX',
    ]) {
      expect(permanentRefusal(afterData(reply))).toMatchObject({ status: 'rejected' });
      expect(classifyMailFailure(afterData(reply))).toBe('rejected');
    }
  });

  it('is the message after DATA for policy, size, content, the sender, or no code at all', () => {
    for (const reply of [
      '550 5.7.1 message refused as spam',
      '552 5.3.4 message too big',
      '554 5.6.0 message content rejected',
      '553 5.1.8 sender domain does not exist',
      '550 5.1.7 bad sender mailbox syntax',
      '554 transaction failed',
    ]) {
      const e = afterData(reply);
      expect(permanentRefusal(e)).toEqual({
        status: 'refused',
        code: Number(reply.slice(0, 3)),
        message: reply,
      });
      expect(classifyMailFailure(e)).toBe('refused');
      expect(isRecipientDeferral(e)).toBe(false);
    }
  });

  it('keeps a 5xx at RCPT TO a refused recipient when it is about the address, and a 4xx anywhere something to try again', () => {
    expect(permanentRefusal(answer('EENVELOPE', 'RCPT TO', '550 5.1.1 nope'))).toMatchObject({
      status: 'rejected',
    });
    for (const e of [
      answer('EENVELOPE', 'RCPT TO', '450 4.2.1 busy'),
      afterData('451 4.7.1 greylisted'),
      afterData('452 4.2.2 mailbox full'),
    ]) {
      expect(permanentRefusal(e)).toBeNull();
      expect(classifyMailFailure(e)).toBe('temporary');
      expect(isRecipientDeferral(e)).toBe(true);
    }
    // 421: the server is closing the connection — not one recipient's problem.
    expect(isRecipientDeferral(afterData('421 4.3.2 shutting down'))).toBe(false);
  });

  it('is neither the recipient nor the message when the server refuses our sender (MAIL FROM)', () => {
    const e = answer('EENVELOPE', 'MAIL FROM', '553 5.7.1 sender address rejected');
    expect(permanentRefusal(e)).toBeNull();
    expect(classifyMailFailure(e)).toBe('sender');
    expect(isRecipientDeferral(e)).toBe(false);
    // A 4xx to MAIL FROM is the server's answer to our sender, the same for every recipient.
    expect(isRecipientDeferral(answer('EENVELOPE', 'MAIL FROM', '451 4.3.0 try again later'))).toBe(
      false,
    );
  });

  describe('a 5xx answer at RCPT TO', () => {
    const atRcpt = (response: string) => answer('EENVELOPE', 'RCPT TO', response);

    it('is a hard bounce for an address code (X.1.x), or a plain 550/551/553/556 without a code', () => {
      for (const reply of [
        '550 5.1.1 <sanne@example.nl>: Recipient address rejected: User unknown',
        '550 5.1.2 bad destination system address',
        '553 5.1.3 bad destination mailbox address syntax',
        '550 5.1.6 mailbox has moved',
        '556 5.1.10 recipient address has null MX',
        '550 mailbox unavailable',
        '551 user not local; please try <x@elders.nl>',
        '553 mailbox name not allowed',
        '556 domain does not accept mail',
        // Microsoft 365: no such mailbox in the customer's company (directory-based edge blocking).
        '550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [AM0PR01.eop-eur.prod.protection.outlook.com]',
        // The DATA command itself refused, with the address's code.
        '554 5.1.1 no valid recipients',
      ]) {
        const e = reply.includes('no valid') ? answer('EENVELOPE', 'DATA', reply) : atRcpt(reply);
        expect(permanentRefusal(e), reply).toEqual({
          status: 'rejected',
          code: Number(reply.slice(0, 3)),
          message: reply,
        });
        expect(classifyMailFailure(e), reply).toBe('rejected');
        expect(isRecipientDeferral(e), reply).toBe(false);
      }
    });

    it('is not the address for relay, login, policy, system, routing or protocol answers', () => {
      for (const reply of [
        '554 5.7.1 <sanne@example.nl>: Relay access denied',
        '550 5.7.1 Unable to relay: not permitted to relay',
        '530 5.7.0 Authentication required',
        '550 5.7.1 Client host rejected: blocked using zen.spamhaus.org',
        '552 5.3.4 message too big for system',
        '550 5.4.4 unable to route',
        // Microsoft 365's relay refusal under the code of its unknown-address answer.
        '550 5.4.1 Relay Access Denied ATTR35',
        '550 5.4.1 unable to deliver: no answer from host',
        '554 5.5.3 too many recipients',
        // No enhanced code: not one of the mailbox's replies, or one that names relaying.
        '554 Relay access denied',
        '550 relaying denied',
        "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)",
        '550 authentication required',
        '530 must authenticate first',
        '554 transaction failed',
      ]) {
        const e = atRcpt(reply);
        expect(permanentRefusal(e), reply).toBeNull();
        expect(classifyMailFailure(e), reply).toBe('relay');
        // Answered per recipient: a job mailing several people tries the others too.
        expect(isRecipientDeferral(e), reply).toBe(true);
      }
    });

    it('is our sender for the sender’s address codes (X.1.7, X.1.8), as Postfix answers at RCPT TO', () => {
      const e = atRcpt(
        '553 5.1.8 <noreply@garage.test>: Sender address rejected: Domain not found',
      );
      expect(permanentRefusal(e)).toBeNull();
      expect(classifyMailFailure(e)).toBe('sender');
    });
  });
});
