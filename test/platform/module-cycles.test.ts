import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { importedModules } from '../support/module-imports.ts';

const MODULES_DIR = resolve(import.meta.dirname, '../../src/modules');
const moduleNames = readdirSync(MODULES_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

/**
 * dependency-cruiser forbids import cycles between files; this forbids them between feature
 * modules, where two files that do not import each other can still tie two modules together. A
 * lower module that must react to a higher one's work does so through an event, a slot or a
 * registration the higher module makes (ARCHITECTURE.md), never by importing it.
 */
it('no two feature modules import each other, directly or around a circle', () => {
  const graph = new Map(moduleNames.map((m) => [m, importedModules(m)] as const));
  // Tarjan's strongly connected components: every component of more than one module is a cycle.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (m: string): void => {
    index.set(m, index.size);
    low.set(m, index.get(m) ?? 0);
    stack.push(m);
    onStack.add(m);
    for (const next of graph.get(m)?.keys() ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(m, Math.min(low.get(m) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(m, Math.min(low.get(m) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(m) === index.get(m)) {
      const component: string[] = [];
      let top: string | undefined;
      do {
        top = stack.pop();
        if (top !== undefined) {
          onStack.delete(top);
          component.push(top);
        }
      } while (top !== undefined && top !== m);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const m of moduleNames) if (!index.has(m)) visit(m);

  const described = cycles.map((component) =>
    component
      .flatMap((from) =>
        component
          .filter((to) => graph.get(from)?.has(to))
          .map((to) => `${from} -> ${to}: ${[...new Set(graph.get(from)?.get(to))].join(', ')}`),
      )
      .join('\n'),
  );
  expect(described, 'module-level import cycles').toEqual([]);
});

it('the module graph it reads sees cross-module imports', () => {
  // invitations sends through email: a graph without that edge reads nothing.
  expect(importedModules('invitations').has('email')).toBe(true);
  expect(moduleNames).toEqual(expect.arrayContaining(['email', 'invitations', 'responses']));
});
