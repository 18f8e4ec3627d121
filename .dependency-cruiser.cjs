/**
 * The architecture, enforced: `npm run lint` fails on an import that breaks these rules. The folder
 * tree is the layering (see ARCHITECTURE.md): server/ and cli/ assemble; modules/ are features;
 * platform/ is the module contract and its runtime; domain/ is pure; db/, shared/, i18n/ are below.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Import cycles make load order matter and hide a missing layer. Type imports count too.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'nothing-imports-the-assembly',
      severity: 'error',
      comment: 'server/ and cli/ assemble the application; nothing below them may import them.',
      from: { path: '^src/', pathNot: '^src/(server|cli)/' },
      to: { path: '^src/(server|cli)/' },
    },
    {
      name: 'one-list-of-modules',
      severity: 'error',
      comment:
        'src/modules/index.ts imports every module; only the assembly reads it (modules get the platform through Deps).',
      from: { path: '^src/', pathNot: '^src/(server|cli)/' },
      to: { path: '^src/modules/index\\.ts$' },
    },
    {
      name: 'platform-knows-no-feature',
      severity: 'error',
      comment: 'The module contract and its runtime must not depend on any feature module.',
      from: { path: '^src/platform/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'Domain rules are pure functions: no database, HTTP, modules or Node I/O.',
      from: { path: '^src/domain/' },
      to: {
        pathNot: [
          '^src/domain/',
          '^node_modules/(jstat|zod|@nlpjs/(core|lang-nl|lang-en|lang-en-min))/',
        ],
      },
    },
    {
      name: 'lower-layers-stay-low',
      severity: 'error',
      comment: 'db/, shared/ and i18n/ are used by everything and use no feature or platform code.',
      from: { path: '^src/(db|shared|i18n)/' },
      to: { path: '^src/(modules|platform|server|cli)/' },
    },
    {
      name: 'web-imports-types-only',
      severity: 'error',
      comment:
        'The admin app imports server shapes as types, or pure shared code, never server runtime.',
      from: { path: '^web/src/' },
      to: {
        path: '^src/',
        pathNot: [
          '^src/(domain|shared)/',
          '^src/modules/auth/policies\\.ts$',
          '^src/modules/imports/header-mapping\\.ts$',
        ],
        dependencyTypesNot: ['type-only'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: ['\\.test\\.ts$', '^web/dist/'] },
  },
};
