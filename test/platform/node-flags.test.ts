import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * Node's flags for a server or a worker (the young generation capped at 2 × 16 MB, docs/operations.md
 * "Sizing and tuning") are written in each launcher: the Dockerfile, the systemd units, `npm start`
 * and `npm run worker`, and the benches' `startServerProcess` (which measures a server launched as
 * in production). They must not drift apart.
 */
const FLAG = '--max-semi-space-size=16';
const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');

describe("Node's flags for a server", () => {
  it('are the same in every launcher', () => {
    expect(read('Dockerfile')).toContain(`NODE_OPTIONS=${FLAG}`);
    expect(read('deploy/systemd/loyaal.service')).toContain(`Environment=NODE_OPTIONS=${FLAG}`);
    expect(read('deploy/systemd/loyaal-worker@.service')).toContain(
      `Environment=NODE_OPTIONS=${FLAG}`,
    );
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> })
      .scripts;
    expect(scripts.start).toContain(`node ${FLAG} src/cli/main.ts serve`);
    expect(scripts.worker).toContain(`node ${FLAG} src/cli/main.ts worker`);
    expect(read('bench/support.ts')).toContain(
      `SERVER_NODE_FLAGS: readonly string[] = ['${FLAG}']`,
    );
  });
});
