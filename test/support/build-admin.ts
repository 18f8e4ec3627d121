import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Files the admin bundle is built from, including the few server modules it shares. */
const SOURCES = [
  'web/src',
  'web/index.html',
  'web/vite.config.ts',
  'src/modules/auth/policies.ts',
  'src/modules/imports/header-mapping.ts',
  'src/shared',
  'src/domain',
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/**
 * Vitest global setup: the browser tests serve web/dist, so build the admin app first when it is
 * missing or older than its sources. Runs once per `vitest run`, before any worker starts, so two
 * browser test files never build at the same time; costs nothing when the build is fresh.
 */
export default async function buildAdmin(): Promise<void> {
  const index = 'web/dist/index.html';
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  if (built > 0 && built >= Math.max(...SOURCES.map(newestMtime))) return;
  const { build } = await import('vite');
  await build({ configFile: 'web/vite.config.ts', logLevel: 'warn' });
}
