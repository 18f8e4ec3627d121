import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, parseSecretKey } from './secret-box.ts';

describe('secrets encrypted at rest', () => {
  const key = randomBytes(32);
  const box = createSecretBox(key);

  it('opens what it sealed, and never shows the plaintext in the sealed form', () => {
    const sealed = box.seal('Zeer geheim wachtwoord', 'mail_server:org-a');
    expect(sealed).not.toContain('geheim');
    expect(box.open(sealed, 'mail_server:org-a')).toEqual({
      ok: true,
      plaintext: 'Zeer geheim wachtwoord',
    });
  });

  it('seals the same text differently each time (fresh IV)', () => {
    expect(box.seal('x', 'c')).not.toBe(box.seal('x', 'c'));
  });

  it('does not open for another organisation (additional data)', () => {
    const sealed = box.seal('wachtwoord', 'mail_server:org-a');
    expect(box.open(sealed, 'mail_server:org-b')).toEqual({ ok: false, reason: 'corrupt' });
  });

  it('recognises a value sealed under another key', () => {
    const other = createSecretBox(randomBytes(32));
    expect(box.open(other.seal('wachtwoord', 'c'), 'c')).toEqual({
      ok: false,
      reason: 'other_key',
    });
  });

  it('refuses a tampered or malformed value', () => {
    const parts = box.seal('wachtwoord', 'c').split(':');
    parts[4] = Buffer.from('something else').toString('base64url');
    expect(box.open(parts.join(':'), 'c')).toEqual({ ok: false, reason: 'corrupt' });
    expect(box.open('plain text', 'c')).toEqual({ ok: false, reason: 'corrupt' });
  });

  it('takes SECRET_KEY as 64 hex characters or base64 of 32 bytes, nothing weaker', () => {
    const bytes = randomBytes(32);
    expect(parseSecretKey(bytes.toString('hex'))).toEqual(bytes);
    expect(parseSecretKey(bytes.toString('base64'))).toEqual(bytes);
    expect(parseSecretKey(bytes.toString('base64url'))).toEqual(bytes);
    expect(parseSecretKey('correct horse battery staple')).toBeNull();
    expect(parseSecretKey(randomBytes(16).toString('hex'))).toBeNull();
    expect(parseSecretKey(randomBytes(31).toString('base64'))).toBeNull();
  });
});
