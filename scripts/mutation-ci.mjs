// Mutation testing in CI: `npm run mutation` (Stryker, break threshold 90 %) over ONE SHARD of
// src/domain per commit, plus every domain file the commit itself changed.
//
// Why a shard: the whole domain is about 4,800 mutants. Measured here (2 cores shared with other
// work, load ~20): one shard of 555 mutants took 44.5 min, nps.ts alone (123 mutants) 4 min; the
// whole domain would take hours. The source files are split into MUTATION_SHARDS (default 12)
// shards of about equal size (by lines, the cheap proxy for the number of mutants: ~400 mutants
// each), deterministically, and commit number N (`git rev-list --count HEAD`) takes shard
// N mod 12: twelve consecutive commits on main mutate the whole domain (in a shallow clone, the
// commit hash mod 12). A file the commit changed (its source or its `.test.ts`) is always mutated
// too.
//
//   node scripts/mutation-ci.mjs            # this commit's shard + changed files (`npm run mutation:ci`)
//   MUTATION_SHARD=3 node scripts/mutation-ci.mjs
//   MUTATION_SHARD=all node scripts/mutation-ci.mjs   # everything (hours): same as `npm run mutation`
//   MUTATION_DRY=1 node scripts/mutation-ci.mjs       # print the plan, run nothing
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const git = (...args) =>
  execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

const isSource = (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts');
const sources = git('ls-files', 'src/domain')
  .split('\n')
  .filter((f) => f && isSource(f) && existsSync(f))
  .sort();
const weight = (f) => readFileSync(f, 'utf8').split('\n').length;

const shardCount = Number(process.env.MUTATION_SHARDS ?? 12);
if (!Number.isInteger(shardCount) || shardCount < 1)
  throw new Error('MUTATION_SHARDS: a positive integer');

// Greedy balancing, largest file first, ties by name: the same files give the same shards anywhere.
const shards = Array.from({ length: shardCount }, () => ({ files: [], lines: 0 }));
for (const file of [...sources].sort((a, b) => weight(b) - weight(a) || (a < b ? -1 : 1))) {
  const lightest = shards.reduce((best, s) => (s.lines < best.lines ? s : best), shards[0]);
  lightest.files.push(file);
  lightest.lines += weight(file);
}

let selected;
let label;
const wanted = process.env.MUTATION_SHARD;
if (wanted === 'all') {
  selected = new Set(sources);
  label = 'all of src/domain';
} else {
  let index;
  if (wanted !== undefined && wanted !== '') index = Number(wanted);
  else {
    // In a shallow clone (CI often fetches one commit) the count is the depth, the same at every
    // commit: take the commit hash instead, so shards still change from commit to commit.
    let count = 0;
    try {
      count =
        git('rev-parse', '--is-shallow-repository') === 'true'
          ? Number.parseInt(git('rev-parse', '--short=8', 'HEAD'), 16)
          : Number(git('rev-list', '--count', 'HEAD'));
    } catch {
      count = 0; // no git (a source archive): shard 0
    }
    index = count % shardCount;
  }
  if (!Number.isInteger(index) || index < 0 || index >= shardCount) {
    throw new Error(`MUTATION_SHARD: 0..${shardCount - 1} or "all", got ${wanted}`);
  }
  selected = new Set(shards[index].files);
  label = `shard ${index} of ${shardCount} (${shards[index].lines} lines)`;

  // The commit's own changes to the domain, source or test, are always mutated.
  let changed = [];
  try {
    changed = git('diff', '--name-only', 'HEAD~1', 'HEAD', '--', 'src/domain').split('\n');
  } catch {
    changed = []; // a first commit or a shallow clone: the shard alone
  }
  const added = [];
  for (const f of changed.filter(Boolean)) {
    const source = f.endsWith('.test.ts') ? f.replace(/\.test\.ts$/, '.ts') : f;
    if (isSource(source) && existsSync(source) && !selected.has(source)) {
      selected.add(source);
      added.push(source);
    }
  }
  if (added.length > 0) label += ` + changed by this commit: ${added.join(', ')}`;
}

const files = [...selected].sort();
console.log(`mutation testing ${label}`);
for (const f of files) console.log(`  ${f}`);
if (process.env.MUTATION_DRY) process.exit(0);

const npm = process.env.npm_execpath ? [process.execPath, [process.env.npm_execpath]] : ['npm', []];
const run = spawnSync(npm[0], [...npm[1], 'run', 'mutation', '--', '--mutate', files.join(',')], {
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
