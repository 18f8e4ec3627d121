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
 * Problem codes built from a template, with every value the template can take (from the types of
 * what fills it in). A new template fails the test until it is listed here.
 */
const TEMPLATES: Record<string, readonly string[]> = {
  // src/domain/referrals/codes.ts parseCode: the typo a voucher code has.
  'code_${…}': ['code_empty', 'code_length', 'code_character', 'code_check'],
  // src/domain/webhooks/target-address.ts TargetProblem: what is wrong with an endpoint's URL.
  'webhook_${…}': [
    'webhook_invalid_url',
    'webhook_scheme',
    'webhook_credentials',
    'webhook_private_address',
    'webhook_metadata_address',
  ],
  // src/domain/referrals/reward-rules.ts: why a voucher cannot be redeemed.
  'voucher_${…}': [
    'voucher_already_redeemed',
    'voucher_expired',
    'voucher_voided',
    'voucher_not_yet_issued',
    'voucher_not_redeemable',
  ],
};

/** The codes an expression can be: a literal, either side of a condition, a listed template. */
function codesOf(expression: ts.Expression, where: string, unlisted: string[]): string[] {
  if (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression)) {
    return [expression.text];
  }
  if (ts.isAsExpression(expression) || ts.isParenthesizedExpression(expression)) {
    return codesOf(expression.expression, where, unlisted);
  }
  if (ts.isConditionalExpression(expression)) {
    return [
      ...codesOf(expression.whenTrue, where, unlisted),
      ...codesOf(expression.whenFalse, where, unlisted),
    ];
  }
  if (ts.isTemplateExpression(expression)) {
    const pattern =
      expression.head.text +
      expression.templateSpans.map((span) => `\${…}${span.literal.text}`).join('');
    const values = TEMPLATES[pattern];
    if (!values) unlisted.push(`${pattern} (${where})`);
    return [...(values ?? [])];
  }
  // A variable or a call: its values are literals found elsewhere (a schema, a helper's caller).
  return [];
}

/**
 * Every problem code a request can be refused with, where it is written: the `problem` of a field
 * issue (`{ field, problem: 'taken' }`) or of a schema refinement (`params: { problem: '…' }`).
 * `unlisted` collects templates missing from TEMPLATES.
 */
export function problemCodes(unlisted: string[] = []): Map<string, string> {
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
        if (problem && ts.isPropertyAssignment(problem) && (names.includes('field') || isParams)) {
          const { line } = source.getLineAndCharacterOfPosition(problem.getStart());
          const where = `${relative(SRC, file)}:${line + 1}`;
          for (const code of codesOf(problem.initializer, where, unlisted)) {
            if (!found.has(code)) found.set(code, where);
          }
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
 * person as the bare code ("Status ambassador_removed"). Found that way for sixteen codes.
 */
describe('every problem a request can be refused with has its text', () => {
  const unlisted: string[] = [];
  const codes = problemCodes(unlisted);

  it('finds the problem codes in the source (the scan itself works)', () => {
    // The first file that refuses with it, wherever that is (accounts, contacts, …).
    expect(codes.get('taken')).toMatch(/^modules\/[a-z-]+\/[a-z.-]+\.ts:\d+$/);
    expect(codes.get('weak_password')).toBeDefined();
    expect(codes.get('voucher_expired')).toMatch(/^modules\/ambassadors\//);
    expect(codes.size).toBeGreaterThan(25);
  });

  it('knows what every problem built from a template can be', () => {
    expect(unlisted).toEqual([]);
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
