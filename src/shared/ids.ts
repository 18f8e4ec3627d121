import { createHash, randomBytes } from 'node:crypto';

/**
 * Primary keys are UUIDv7 (RFC 9562): 48 bits of millisecond time, then 74 random bits. Unguessable
 * enough to appear in staff URLs (public links use `newToken`), and time-ordered, so new rows land
 * at the end of every id index instead of at random pages — on SQLite that halves the pages a
 * busy write (answers, imports) dirties per commit.
 */
const POOL_SIZE = 16 * 256;
let pool = Buffer.alloc(0);
let offset = POOL_SIZE;

/** 16 random bytes from a pooled buffer: one call into the system's CSPRNG per 256 ids. */
function random16(): Buffer {
  if (offset >= POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + 16));
  offset += 16;
  return bytes;
}

export function newId(): string {
  const bytes = random16();
  const now = Date.now();
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A public token with 256 bits of entropy, URL-safe. */
export const newToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/**
 * A UUIDv7-shaped id that is a function of `key`: the first 48 bits are the millisecond `timeMs`,
 * the 74 bits RFC 9562 leaves random are the first bits of SHA-256(`key`). A row whose id is derived
 * from its natural key is unique by that key wherever the id is (the primary key), and is placed by
 * `timeMs` wherever ids are ranges of time (monthly partitions, src/db/partitions.ts).
 */
export function derivedId(timeMs: number, key: string): string {
  const bytes = createHash('sha256').update(key).digest().subarray(0, 16);
  bytes.writeUIntBE(Math.max(0, Math.min(timeMs, 2 ** 48 - 1)), 0, 6);
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The millisecond an UUIDv7 was created, or null for an id that is not one. */
export function uuidv7Time(id: string): number | null {
  const m = /^([0-9a-f]{8})-([0-9a-f]{4})-7[0-9a-f]{3}-/.exec(id);
  return m ? parseInt(`${m[1]}${m[2]}`, 16) : null;
}
