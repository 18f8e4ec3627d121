import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';

/** What every route and job needs, passed explicitly: no module-level singletons. */
export interface Deps {
  db: Db;
  config: Config;
  /** Current time in ms; tests pass a fixed clock. */
  now: () => number;
}
