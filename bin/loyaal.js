#!/usr/bin/env node
// `npx loyaal …`: Node (24+) runs the TypeScript CLI directly by stripping its types; no build step.
await import('../src/cli/main.ts');
