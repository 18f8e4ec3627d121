import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

/** Every TypeScript source file under a folder, tests left out. */
function filesOf(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? filesOf(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

/**
 * Every place that hands an email to a mail server, who it writes to, and the test that shows no
 * referred friend who did not ask to be contacted gets it (issue 12, must-show 4). Mail leaves
 * Loyaal only through `email/mail-transport.ts` (`sendOverSmtp`, `sendOnce`); a new caller fails
 * this test until it is listed here — and, if it writes to customers, run in that test.
 */
const SENDERS: Record<string, { writesTo: string; shownBy: string }> = {
  'modules/email/deliver-mail.ts': {
    writesTo:
      'whom its four callers name (DELIVER_MAIL below): customers in the NPS loop (invitations ' +
      'and reminders), customers outside it, for the callers listed in CUSTOMER_MAIL, and staff ' +
      '(case alerts and escalations, the weekly digest)',
    shownBy: 'test/api/ambassadors-friend-email.test.ts',
  },
  'modules/mail-server/mail-server.service.ts': {
    writesTo: 'staff only: the test mail, to the person who asked for it',
    shownBy: 'test/api/mail-server.test.ts',
  },
};

it('knows every place that sends an email, and which test covers it', () => {
  const callers = filesOf(SRC)
    .filter((f) => !f.endsWith('modules/email/mail-transport.ts'))
    .filter((f) => /\b(sendOverSmtp|sendOnce)\s*\(/.test(readFileSync(f, 'utf8')))
    .map((f) => relative(SRC, f))
    .sort();
  expect(callers).toEqual(Object.keys(SENDERS).sort());
  for (const { shownBy } of Object.values(SENDERS)) {
    expect(readdirSync(resolve(SRC, '..', shownBy, '..'))).toContain(shownBy.split('/').at(-1));
  }
});

/**
 * The callers of the delivery steps in `email/deliver-mail.ts`: `deliverMail` writes and sends one
 * message, `sendStoredMail` sends a row its caller wrote, `transmitEmail` hands a stored row to the
 * mail server and leaves recording the outcome to its caller (the invitations' batches).
 */
const DELIVER_MAIL: Record<string, { writesTo: string; shownBy: string }> = {
  'modules/invitations/invitation-delivery.service.ts': {
    writesTo:
      'a customer: every NPS invitation and reminder (a send, a wave, a visit trigger, a case follow-up)',
    shownBy: 'test/api/ambassadors-friend-email.test.ts',
  },
  'modules/email/customer-mail.ts': {
    writesTo: 'customers outside the NPS loop (CUSTOMER_MAIL below)',
    shownBy: 'test/api/ambassadors-friend-email.test.ts',
  },
  'modules/cases/case-mail.ts': {
    writesTo: 'staff only: case alerts and escalations to account managers and team managers',
    shownBy: 'test/api/cases.test.ts',
  },
  'modules/digest/digest-mail.ts': {
    writesTo:
      'staff only: the weekly digest, to members (users) who want it, each in their own role scope',
    shownBy: 'test/api/weekly-digest.test.ts',
  },
};

it('knows every caller of the one delivery step of single messages', () => {
  const callers = filesOf(SRC)
    .filter((f) => !f.endsWith('modules/email/deliver-mail.ts'))
    .filter((f) =>
      /\b(deliverMail|sendStoredMail|transmitEmail)\s*\(/.test(readFileSync(f, 'utf8')),
    )
    .map((f) => relative(SRC, f))
    .sort();
  expect(callers).toEqual(Object.keys(DELIVER_MAIL).sort());
  for (const { shownBy } of Object.values(DELIVER_MAIL)) {
    expect(readdirSync(resolve(SRC, '..', shownBy, '..'))).toContain(shownBy.split('/').at(-1));
  }
});

/**
 * The callers of the shared delivery step for customer mail outside the NPS loop
 * (`email/customer-mail.ts`, `deliverCustomerMail`), who each writes to, and the test that runs
 * each of them around referred friends who did and did not ask to be contacted.
 */
const CUSTOMER_MAIL: Record<string, { writesTo: string; shownBy: string }> = {
  'modules/ambassadors/ambassadors.mail.ts': {
    writesTo: 'an ambassador (programme invitation) or a friend who asked (welcome offer)',
    shownBy: 'test/api/ambassadors-friend-email.test.ts',
  },
  'modules/reviews/review-email.service.ts': {
    writesTo: 'a respondent who agreed to be contacted (review request); a friend is no respondent',
    shownBy: 'test/api/ambassadors-friend-email.test.ts',
  },
};

it('knows every caller of the shared customer-mail delivery, and which test covers it', () => {
  const callers = filesOf(SRC)
    .filter((f) => !f.endsWith('modules/email/customer-mail.ts'))
    .filter((f) => /\bdeliverCustomerMail\s*\(/.test(readFileSync(f, 'utf8')))
    .map((f) => relative(SRC, f))
    .sort();
  expect(callers).toEqual(Object.keys(CUSTOMER_MAIL).sort());
  for (const { shownBy } of Object.values(CUSTOMER_MAIL)) {
    expect(readdirSync(resolve(SRC, '..', shownBy, '..'))).toContain(shownBy.split('/').at(-1));
  }
  // The review request re-reads the answer's own "you may contact me" and never its score.
  const review = readFileSync(join(SRC, 'modules/reviews/review-email.service.ts'), 'utf8');
  expect(review).toContain('mayContact: answer.may_contact === 1');
  const reads = readFileSync(join(SRC, 'modules/reviews/review-requests.repository.ts'), 'utf8');
  expect(reads).toContain(".select(['contact_id', 'may_contact', 'locale'])");
});

it('sends staff mail only to staff addresses', () => {
  // Case mail is addressed to members (users) of the organisation, never to a contact: its sender
  // knows only the two staff kinds, and only the case jobs (alert, escalation) call it.
  const caseMail = readFileSync(join(SRC, 'modules/cases/case-mail.ts'), 'utf8');
  expect(caseMail).toMatch(/export async function sendStaffMail\(/);
  expect(caseMail).toContain("kind: 'case_alert' | 'case_escalation';");
  const calls = filesOf(join(SRC, 'modules'))
    .filter((f) => /\bsendStaffMail\(/.test(readFileSync(f, 'utf8')))
    .map((f) => relative(SRC, f))
    .sort();
  expect(calls).toEqual(['modules/cases/case-mail.ts', 'modules/cases/cases.job-handlers.ts']);
});
