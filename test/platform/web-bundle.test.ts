import { join, relative } from 'node:path';
import { build, type Rollup } from 'vite';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * The only server files the admin app may bundle: pure code it shares with the server (the same
 * list as the `web-imports-types-only` rule in .dependency-cruiser.cjs). Everything else of the
 * server reaches the app as types, which leave no trace in the bundle.
 */
const SHARED = [
  /^src\/(domain|shared)\//,
  /^src\/modules\/auth\/policies\.ts$/,
  /^src\/modules\/imports\/header-mapping\.ts$/,
];

/** Packages and code that only server code brings along. */
const SERVER_PACKAGES =
  /node_modules\/(fastify|@fastify|kysely|better-sqlite3|pg|pg-pool|nodemailer|argon2|@node-rs|exceljs|pino|iconv-lite|dotenv)\//;
const SERVER_MARKERS = [
  /\bfrom\s*["']node:/,
  /\brequire\(["']node:/,
  /\bcreateServer\b/,
  /\bbetter-sqlite3\b/,
  /\bkysely\b/i,
  /\bfastify\b/i,
  /\bnodemailer\b/i,
  // The server's configuration reads the environment; the app's texts may name a variable.
  /\bprocess\.env\b/,
];

/**
 * Issue 7, "shapes written once": the admin app imports the server's shapes as types, never server
 * code. The dependency rule checks the imports; this checks what really ships — the bundle Vite
 * builds — module by module and by the words server code would leave in it.
 */
describe('the admin app bundle holds no server code', () => {
  let chunks: Rollup.OutputChunk[] = [];

  beforeAll(async () => {
    const result = await build({
      configFile: join(ROOT, 'web', 'vite.config.ts'),
      logLevel: 'silent',
      build: { write: false, emptyOutDir: false },
    });
    const outputs = (Array.isArray(result) ? result : [result]) as Rollup.RollupOutput[];
    chunks = outputs
      .flatMap((o) => o.output)
      .filter((o): o is Rollup.OutputChunk => o.type === 'chunk');
  }, 120_000);

  const modules = () =>
    chunks.flatMap((c) => c.moduleIds).map((id) => relative(ROOT, id.replace(/^\0/, '')));

  it('bundles the app itself and the pure code it shares with the server', () => {
    const ids = modules();
    expect(ids.filter((id) => id.startsWith('web/src/')).length).toBeGreaterThan(30);
    // The shared formatter really is in it, so the check below sees server paths at all.
    expect(ids).toContain('src/shared/format-message.ts');
  });

  it('bundles no other server module and no server package', () => {
    const server = modules().filter(
      (id) => id.startsWith('src/') && !SHARED.some((allowed) => allowed.test(id)),
    );
    expect(server, 'the admin app may import these only as types (import type)').toEqual([]);
    expect(modules().filter((id) => SERVER_PACKAGES.test(id))).toEqual([]);
  });

  it('carries none of the words server code would leave behind', () => {
    const found = chunks.flatMap((c) =>
      SERVER_MARKERS.filter((marker) => marker.test(c.code)).map((m) => `${c.fileName}: ${m}`),
    );
    expect(found).toEqual([]);
  });
});
