import type { ImportKind } from '../../db/schema.ts';
import { visitRows } from './visit-rows.ts';
import { contactRows } from './contact-rows.ts';
import type { RowKind } from './row-kind.ts';

/** Every kind of row the import wizard reads; a new kind is one entry here. */
export const ROW_KINDS: Readonly<Record<ImportKind, RowKind>> = {
  contacts: contactRows,
  visits: visitRows,
};

export function rowKind(name: ImportKind): RowKind {
  return ROW_KINDS[name] ?? contactRows;
}
