import { expect, it } from 'vitest';
import { modules } from '../../src/modules/index.ts';
import { importedModules } from '../support/module-imports.ts';

/** A slot is named after the module that renders it: `responses.thank-you`. */
const ownerOf = (slotName: string) => slotName.split('.')[0] ?? '';

it('a module that owns a slot imports none of the modules that contribute to it', () => {
  const pairs = modules.flatMap((m) =>
    (m.contributions ?? []).map((c) => ({ owner: ownerOf(c.slot.name), contributor: m.name })),
  );
  // The thank-you page has contributors, so this test checks something.
  expect(pairs).toContainEqual({ owner: 'responses', contributor: 'ambassadors' });
  for (const { owner, contributor } of pairs) {
    expect(modules.map((m) => m.name)).toContain(owner);
    const imports = importedModules(owner);
    expect(imports.get(contributor) ?? [], `${owner} imports ${contributor}`).toEqual([]);
  }
});

it('the import scan sees cross-module imports (it would notice one added to responses)', () => {
  // responses uses the public-page kit and the surveys module: the scan must find those.
  const imports = importedModules('responses');
  expect([...imports.keys()]).toEqual(expect.arrayContaining(['public-pages', 'surveys']));
  // ambassadors contributes to the thank-you slot by importing its declaration from responses.
  expect(importedModules('ambassadors').get('responses')).toContain('ambassadors/thanks-step.ts');
});

it('every slot contribution has a name of its own', () => {
  const names = modules.flatMap((m) => (m.contributions ?? []).map((c) => c.name));
  expect(new Set(names).size).toBe(names.length);
});
