import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Encryption at rest for the few secrets Loyaal must be able to read back (an organisation's SMTP
 * password): AES-256-GCM with a fresh 96-bit IV per value and the owner's id as additional data,
 * so a ciphertext copied into another organisation's row does not decrypt. The key is SECRET_KEY
 * from the environment; it never touches the database.
 *
 * Stored form: `v1:<key id>:<iv>:<tag>:<ciphertext>` (base64url parts). The key id is the first
 * 8 bytes of SHA-256 of the key, so a value written under another key is recognised as such and
 * reported ("SECRET_KEY changed") instead of failing as corrupted data.
 */
export interface SecretBox {
  /** Short fingerprint of the key, safe to show or log. */
  readonly keyId: string;
  seal(plaintext: string, context: string): string;
  /** The plaintext, or why it cannot be read. */
  open(
    sealed: string,
    context: string,
  ): { ok: true; plaintext: string } | { ok: false; reason: 'other_key' | 'corrupt' };
}

const VERSION = 'v1';

/**
 * Parses SECRET_KEY: exactly 32 bytes, written as 64 hex characters or as base64 (what
 * `openssl rand -base64 32` prints). Anything else is refused rather than stretched into a key, so
 * a short or mistyped secret fails loudly at start-up instead of silently weakening the encryption.
 */
export function parseSecretKey(value: string): Buffer | null {
  const v = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(v)) return Buffer.from(v, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(v)) {
    const bytes = Buffer.from(v.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === 32) return bytes;
  }
  return null;
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('SECRET_KEY must be 32 bytes');
  const keyId = createHash('sha256').update(key).digest('base64url').slice(0, 11);
  return {
    keyId,
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, keyId, iv, tag, data]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join(':');
    },
    open(sealed, context) {
      const parts = sealed.split(':');
      if (parts.length !== 5 || parts[0] !== VERSION) return { ok: false, reason: 'corrupt' };
      const [, id = '', iv = '', tag = '', data = ''] = parts;
      if (id !== keyId) return { ok: false, reason: 'other_key' };
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        const plaintext = Buffer.concat([
          decipher.update(Buffer.from(data, 'base64url')),
          decipher.final(),
        ]).toString('utf8');
        return { ok: true, plaintext };
      } catch {
        return { ok: false, reason: 'corrupt' };
      }
    },
  };
}
