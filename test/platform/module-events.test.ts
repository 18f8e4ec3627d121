import { expect, it } from 'vitest';
import { importedModules } from '../support/module-imports.ts';

/**
 * The email module delivers every other module's mail, so they import it; it must not import them
 * back. What follows a report about a mail (a complaint or hard bounce about a weekly digest) is
 * the sending module's business, reached through the `email.reported` event it subscribes to.
 */
it('the email module imports none of the modules that send mail through it', () => {
  const imports = importedModules('email');
  for (const sender of ['digest', 'cases', 'reviews', 'ambassadors']) {
    expect(importedModules(sender).has('email'), `${sender} sends through email`).toBe(true);
    expect(imports.get(sender) ?? [], `email imports ${sender}`).toEqual([]);
  }
});
