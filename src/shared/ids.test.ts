import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { newId, newToken } from './ids.ts';

describe('ids', () => {
  it('makes valid, distinct UUIDv7 ids that sort by creation time', async () => {
    const first = newId();
    await new Promise((r) => setTimeout(r, 2));
    const ids = Array.from({ length: 1000 }, newId);
    expect(z.uuid().safeParse(first).success).toBe(true);
    expect(first[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(first[19]);
    expect(new Set(ids).size).toBe(1000);
    expect(ids.every((id) => id > first)).toBe(true);
  });

  it('makes URL-safe tokens with 256 bits of entropy', () => {
    const token = newToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.toBe(token);
  });
});
