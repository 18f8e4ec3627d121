import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/messages.en.ts';
import { nl } from '../../src/i18n/messages.nl.ts';

const SRC = join(import.meta.dirname, '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

const propertyName = (p: ts.ObjectLiteralElementLike): string | null =>
  ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) ? p.name.getText() : null;

/**
 * Every problem code a request can be refused with, where it is written: the `problem` of a field
 * issue (`{ field, problem: 'taken' }`) or of a schema refinement (`params: { problem: '…' }`).
 */
export function problemCodes(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of sourceFiles(SRC)) {
    const source = ts.createSourceFile(
      file,
      readFileSync(file, 'utf8'),
      ts.ScriptTarget.Latest,
      true,
    );
    const visit = (node: ts.Node): void => {
      if (ts.isObjectLiteralExpression(node)) {
        const names = node.properties.map(propertyName);
        const problem = node.properties.find((p) => propertyName(p) === 'problem');
        const parent = node.parent;
        const isParams = ts.isPropertyAssignment(parent) && parent.name.getText() === 'params';
        if (
          problem &&
          ts.isPropertyAssignment(problem) &&
          ts.isStringLiteral(problem.initializer) &&
          (names.includes('field') || isParams)
        ) {
          const { line } = source.getLineAndCharacterOfPosition(problem.getStart());
          const code = problem.initializer.text;
          if (!found.has(code)) found.set(code, `${relative(SRC, file)}:${line + 1}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/**
 * A refusal names the field by its label and says the problem in the reader's language
 * (src/platform/http/errors.ts): a problem code without a text in a catalogue would reach the
 * person as the bare code ("Status ambassador_removed"). Found that way for seven codes.
 */
describe('every problem a request can be refused with has its text', () => {
  const codes = problemCodes();

  it('finds the problem codes in the source (the scan itself works)', () => {
    expect(codes.get('taken')).toMatch(/^modules\/contacts\/contacts\.service\.ts:\d+$/);
    expect(codes.get('weak_password')).toBeDefined();
    expect(codes.size).toBeGreaterThan(25);
  });

  for (const [language, catalogue] of [
    ['Dutch', nl],
    ['English', en],
  ] as const) {
    it(`in ${language}`, () => {
      const missing = [...codes]
        .filter(([code]) => !Object.hasOwn(catalogue, `problem.${code}`))
        .map(([code, at]) => `problem.${code} (${at})`);
      expect(missing).toEqual([]);
    });
  }
});
