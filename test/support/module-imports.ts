import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const MODULES_DIR = resolve(import.meta.dirname, '../../src/modules');

/** Every TypeScript file of a module folder, recursively. */
function filesOf(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? filesOf(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

/**
 * The feature modules a module's files import (type imports included), by folder name, with the
 * files that import each. dependency-cruiser sees cycles between files; this sees them between
 * modules, where two files that do not import each other can still tie two modules together.
 */
export function importedModules(moduleName: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of filesOf(join(MODULES_DIR, moduleName))) {
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/(?:from\s+|import\s*\(\s*)['"](\.[^'"]+)['"]/g)) {
      const target = relative(MODULES_DIR, resolve(dirname(file), m[1] ?? ''));
      const folder = target.split('/')[0] ?? '';
      if (folder && folder !== moduleName && !folder.startsWith('..')) {
        found.set(folder, [...(found.get(folder) ?? []), relative(MODULES_DIR, file)]);
      }
    }
  }
  return found;
}
