import type { Dialect } from '../../src/db/database.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from './harness.ts';

/** The harness clock of the insight tests: 1 November 2026, 09:00 UTC. */
export const INSIGHT_NOW = Date.UTC(2026, 10, 1, 9, 0, 0);

/** One group of `GET /results/breakdown`, as the insight tests read it. */
export interface BreakdownGroup {
  key: string;
  label: string | null;
  n: number;
  nps: number;
  shrunk: { estimate: number; low: number; high: number };
  belowMinimum: boolean;
  funnel: string | null;
  change: { contribution: number; real: boolean } | null;
}

/** An app on the dialect with one organisation and its owner: where every insight test starts. */
export async function startInsight(
  dialect: Dialect,
  organisationName?: string,
): Promise<{ t: TestApp; owner: Client; orgId: string }> {
  const t = await startTestApp(dialect);
  const owner = await buildOrganisation(t, organisationName);
  return { t, owner, orgId: owner.organisationId };
}
