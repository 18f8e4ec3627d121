import { describe, expect, it } from 'vitest';
import { newId, uuidv7Time } from '../../shared/ids.ts';
import { emailId } from './email-ids.ts';

const UUIDV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('email ids derived from the Message-ID', () => {
  it('gives a Message-ID always the same id, a UUIDv7 placed at the time of its cause', () => {
    const invitation = newId();
    const at = uuidv7Time(invitation) ?? 0;
    const messageId = `<${invitation}@nps.example.nl>`;
    const id = emailId(messageId, at);
    expect(id).toMatch(UUIDV7);
    expect(emailId(messageId, at)).toBe(id);
    expect(uuidv7Time(id)).toBe(at);
  });

  it('gives every Message-ID its own id, also Message-IDs placed in the same millisecond', () => {
    const at = Date.UTC(2026, 10, 30, 8, 0, 0);
    const messageIds = Array.from({ length: 2_000 }, () => `<${newId()}.review@nps.example.nl>`);
    expect(new Set(messageIds.map((m) => emailId(m, at))).size).toBe(messageIds.length);
    // The invitation and its reminder: two messages, two ids, one month.
    const invitation = newId();
    const reminder = emailId(`<${invitation}.reminder@x>`, at);
    expect(reminder).not.toBe(emailId(`<${invitation}@x>`, at));
    expect(uuidv7Time(reminder)).toBe(at);
  });

  it('places a cause without a time (an id written by hand) at time 0, still one id per message', () => {
    expect(uuidv7Time(emailId('<import-42@x>', 0))).toBe(0);
    expect(emailId('<import-42@x>', 0)).not.toBe(emailId('<import-43@x>', 0));
  });
});
