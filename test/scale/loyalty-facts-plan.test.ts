import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import {
  contactFactsSelect,
  type OriginSource,
} from '../../src/modules/loyalty/contact-facts.repository.ts';
import { newId } from '../../src/shared/ids.ts';
import { freshDatabase } from '../support/databases.ts';

/**
 * A sent invitation, a visit or an edited answer recomputes its contact's loyalty facts in its own
 * transaction. That must read the contact's own answers, invitations and visits, not the
 * organisation's: SQLite keeps no statistics here (nothing runs ANALYZE), and once chose to walk
 * every answer of the organisation in time order rather than sort one contact's few — 0.2 s per
 * sent invitation at 80,000 answers. The plan does not depend on the rows, so an empty database
 * shows it. (The statements' results are tested on both databases in
 * test/api/loyalty-contact-facts.test.ts.)
 */
describe("SQLite: a contact's facts are read by contact", () => {
  let db: Db;
  beforeAll(async () => {
    db = await freshDatabase('sqlite');
  });
  afterAll(async () => {
    await db.close();
  });

  const cases: [string, OriginSource, number][] = [
    ['answers and invitations', 'all', 1],
    ['answers and invitations', 'all', 3],
    ['answers only', 'answers', 1],
    ['answers only', 'answers', 3],
  ];
  it.each(cases)(
    'from %s (%s), %i contact(s): every table is searched by contact or by key',
    async (_, source, count) => {
      const contactIds = Array.from({ length: count }, () => newId());
      const select = contactFactsSelect(newId(), contactIds, Date.now(), source);
      const plan = await sql<{
        detail: string;
      }>`explain query plan ${select}`.execute(db.kysely);
      const steps = plan.rows.map((r) => r.detail).filter((d) => /^(SCAN|SEARCH) /.test(d));
      expect(steps.some((d) => d.includes('responses_org_contact'))).toBe(true);
      // A search by the contact (or by a row's key), never by the organisation alone.
      for (const step of steps.filter((d) => d.startsWith('SEARCH '))) {
        expect(step).toMatch(/\((?:[^)]* AND )?(contact_id|id)=\?/);
      }
      // Only the origins the statement built itself, one row per contact, are scanned.
      for (const step of steps.filter((d) => d.startsWith('SCAN '))) {
        expect(step).toMatch(/^SCAN o\b/);
      }
    },
  );
});
