import { CompiledQuery, type KyselyPlugin, type RootOperationNode } from 'kysely';
import type { Db, Executor } from '../../src/db/database.ts';

/**
 * SQLite's query plans of the statements a piece of code runs. SQLite keeps no statistics in
 * Loyaal (nothing runs ANALYZE), so its plans follow from the statement and the indexes alone: an
 * empty database shows the plan a large one gets.
 */
export interface StatementPlan {
  sql: string;
  /** The SCAN and SEARCH steps, as `EXPLAIN QUERY PLAN` words them. */
  steps: string[];
}

export async function plansOf(
  db: Db,
  run: (db: Executor) => Promise<unknown>,
): Promise<StatementPlan[]> {
  if (db.dialect !== 'sqlite') throw new Error('query plans are read on SQLite');
  const nodes: RootOperationNode[] = [];
  const recording: KyselyPlugin = {
    transformQuery: ({ node }) => {
      nodes.push(node);
      return node;
    },
    transformResult: ({ result }) => Promise.resolve(result),
  };
  await run(db.kysely.withPlugin(recording));
  const executor = db.kysely.getExecutor();
  const plans: StatementPlan[] = [];
  for (const node of nodes) {
    const compiled = executor.compileQuery(node, { queryId: 'plan' });
    const plan = await db.kysely.executeQuery<{ detail: string }>(
      CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]),
    );
    plans.push({
      sql: compiled.sql,
      steps: plan.rows.map((r) => r.detail).filter((d) => /^(SCAN|SEARCH) /.test(d)),
    });
  }
  return plans;
}

/** A step that reads a table by the organisation alone (every row the organisation has). */
export const byOrganisationOnly = (step: string) => /\(organisation_id=\?\)/.test(step);
