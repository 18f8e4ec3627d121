/**
 * Vitest global setup: says once, at the top of the output, which databases the SQL tests run on.
 * Every SQL suite's title also ends in `[sqlite]` or `[postgres]`, visible with the verbose reporter
 * that CI uses.
 */
export default function announceDatabases(): void {
  const pg = process.env.TEST_DATABASE_URL;
  console.log(
    pg
      ? `SQL tests run on: SQLite (in memory) and PostgreSQL (${new URL(pg).host}, one schema per test file)`
      : 'SQL tests run on: SQLite only — set TEST_DATABASE_URL to run them on PostgreSQL too (SKIPPED now)',
  );
}
