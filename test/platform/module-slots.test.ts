import { expect, it } from 'vitest';
import { modules } from '../../src/modules/index.ts';
import { importedModules } from '../support/module-imports.ts';

/**
 * Imports that predate a slot and are being removed (the email module's invitation bounces and
 * unsubscribe page read the invitations' repository; invitations contribute their retry to the
 * outbox). Only these files may still do it; delete the entry once they no longer do.
 */
const KNOWN_IMPORTS: Record<string, readonly string[]> = {
  'email->invitations': [
    'email/bounces.routes.ts',
    'email/bounces.service.ts',
    'email/unsubscribe.routes.ts',
  ],
};

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
    const known = KNOWN_IMPORTS[`${owner}->${contributor}`] ?? [];
    expect(
      (imports.get(contributor) ?? []).filter((file) => !known.includes(file)),
      `${owner} imports ${contributor}`,
    ).toEqual([]);
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
