/**
 * `npm run bench`: every benchmark of Loyaal, each figure on its own line as `name: value unit`.
 * Reference figures (e.g. bare /health) are measured in the same run, because machines are noisy.
 */
import { existsSync } from 'node:fs';

const suites = [
  'startup',
  'contacts',
  'import',
  'loyalty',
  'responses',
  'invitations',
  'scaling',
  'insight',
];
// One suite alone: `npm run bench -- insight` or `BENCH=insight npm run bench`.
const only = process.argv[2] ?? process.env.BENCH;

for (const name of suites) {
  if (only && only !== name) continue;
  const file = new URL(`./${name}.bench.ts`, import.meta.url);
  if (!existsSync(file)) continue;
  console.log(`# ${name}`);
  const mod = (await import(file.href)) as { run: () => Promise<void> };
  await mod.run();
}
