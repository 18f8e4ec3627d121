import { sql, type Kysely } from 'kysely';
import { foldForSearch } from '../../shared/text.ts';

/**
 * An employee's search key is folded as every other search key is (`foldForSearch`). It was folded
 * by its own, weaker rule, which left ß, æ, ø, œ, ł, đ, ð, þ and ı as they are and kept curly
 * apostrophes: "Łukasz Wójcik" was stored as "łukasz wojcik" while the search folded the query to
 * "lukasz", so the employees list did not find him even by his name as written, and an import
 * naming "Lukasz Wojcik" as account manager did not match him. The backfill reads `foldForSearch`
 * as it is with this migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  let after = '';
  for (;;) {
    const page = await sql<{ id: string; name: string; search_text: string }>`
      select id, name, search_text from employees where id > ${after} order by id limit 2000`.execute(
      db,
    );
    const last = page.rows.at(-1);
    if (!last) break;
    const changed = page.rows.flatMap((r) => {
      const key = foldForSearch(r.name);
      return key === r.search_text ? [] : [sql`(${r.id}, ${key})`];
    });
    if (changed.length) {
      // VALUES names its columns column1, column2 on both SQLite and PostgreSQL.
      await sql`
        update employees set search_text = v.column2
        from (values ${sql.join(changed)}) as v
        where employees.id = v.column1`.execute(db);
    }
    after = last.id;
  }
}

export async function down(): Promise<void> {
  // The weaker keys are not restored: a search key is derived, and the folded one finds more.
}
