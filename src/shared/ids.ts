import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** Random UUID primary keys: unguessable and safe to expose in URLs. */
export const newId = (): string => randomUUID();

/** A public token with 256 bits of entropy, URL-safe. */
export const newToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');
