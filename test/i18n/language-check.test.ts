import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { en as serverEn } from '../../src/i18n/messages.en.ts';
import { nlJe as serverNlJe } from '../../src/i18n/messages.nl-je.ts';
import { nl as serverNl } from '../../src/i18n/messages.nl.ts';
import { en as webEn } from '../../web/src/i18n/en.ts';
import { nl as webNl } from '../../web/src/i18n/nl.ts';

type Catalogue = Readonly<Record<string, string>>;

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * The arguments a catalogue text takes: `{name}` and the argument of an ICU plural
 * (`{count, plural, one {# klant bij {organisation}} other {…}}` takes `count` and `organisation`).
 */
export function argumentsOf(text: string): string[] {
  const found = new Set<string>();
  /** The contents of each top-level `{…}` of a text. */
  const groups = (s: string): string[] => {
    const out: string[] = [];
    let depth = 0;
    let start = -1;
    for (let i = 0; i < s.length; i++) {
      if (s[i] === '{' && depth++ === 0) start = i + 1;
      else if (s[i] === '}' && depth > 0 && --depth === 0) out.push(s.slice(start, i));
    }
    return out;
  };
  const scan = (s: string): void => {
    for (const inner of groups(s)) {
      const plural = /^\s*(\w+)\s*,\s*plural\s*,([\s\S]*)$/.exec(inner);
      if (plural) {
        found.add(plural[1] ?? '');
        // Each branch (`one {…}`, `=0 {…}`) is text that may hold placeholders of its own.
        for (const branch of groups(plural[2] ?? '')) scan(branch);
      } else if (/^\s*\w+\s*$/.test(inner)) {
        found.add(inner.trim());
      }
    }
  };
  scan(text);
  return [...found].sort();
}

/** Text a reader sees, without placeholders and without quoted words ("je", ‘Laatste dag’). */
const prose = (text: string) =>
  text
    .replace(/\{[^{}]*\}/g, ' ')
    .replace(/"[^"]*"|“[^”]*”|‘[^’]*’/g, ' ')
    .replace(/\([^()]*…\)/g, ' ');

const INFORMAL = /\b(je|jij|jou|jouw|jullie)\b/i;
const DUTCH_WORDS =
  /\b(het|een|niet|wordt|uw|geen|naar|voor|zijn|deze|dit|ook|bij|klant|klanten|alle|onze|wij|graag|bedankt)\b/i;
const ENGLISH_WORDS =
  /\b(the|and|with|your|you|will|not|this|from|please|customer|customers|which|should|been)\b/i;

/** Texts written in the other language on purpose: the link that switches a page's language. */
const OTHER_LANGUAGE_ON_PURPOSE = new Set(['page.languageSwitchLabel']);

const catalogues: [string, Catalogue, Catalogue][] = [
  ['server (src/i18n)', serverNl, serverEn],
  ['admin app (web/src/i18n)', webNl, webEn],
];

describe('language check: the catalogues', () => {
  for (const [name, nl, en] of catalogues) {
    describe(name, () => {
      it('has every key in Dutch and English', () => {
        expect(Object.keys(en).sort()).toEqual(Object.keys(nl).sort());
      });

      it('gives a key the same placeholders in both languages', () => {
        const differ = Object.keys(nl)
          .filter((k) => argumentsOf(nl[k] ?? '').join() !== argumentsOf(en[k] ?? '').join())
          .map(
            (k) =>
              `${k}: nl {${argumentsOf(nl[k] ?? '').join('}, {')}} en {${argumentsOf(en[k] ?? '').join('}, {')}}`,
          );
        expect(differ).toEqual([]);
      });

      it('writes Dutch in Dutch and English in English', () => {
        const leaks = [
          ...Object.entries(en)
            .filter(([k, v]) => !OTHER_LANGUAGE_ON_PURPOSE.has(k) && DUTCH_WORDS.test(prose(v)))
            .map(([k, v]) => `en ${k}: ${v}`),
          ...Object.entries(nl)
            .filter(([k, v]) => !OTHER_LANGUAGE_ON_PURPOSE.has(k) && ENGLISH_WORDS.test(prose(v)))
            .map(([k, v]) => `nl ${k}: ${v}`),
        ];
        expect(leaks).toEqual([]);
      });

      it('speaks to the reader as "u" in Dutch; "je" only in the informal catalogue', () => {
        const informal = Object.entries(nl)
          .filter(([, v]) => INFORMAL.test(prose(v)))
          .map(([k, v]) => `${k}: ${v}`);
        expect(informal).toEqual([]);
      });
    });
  }

  it('has an informal Dutch text only for a key of the formal one, with the same placeholders', () => {
    const formal: Catalogue = serverNl;
    for (const [key, text] of Object.entries(serverNlJe as Catalogue)) {
      expect(Object.hasOwn(formal, key), key).toBe(true);
      expect(argumentsOf(text), key).toEqual(argumentsOf(formal[key] ?? ''));
    }
  });

  it('reads placeholders and plurals as the formatter does', () => {
    expect(argumentsOf('Laatste dag ligt voor {date}')).toEqual(['date']);
    expect(
      argumentsOf('{count, plural, one {# klant bij {organisation}} other {# klanten}} op {day}'),
    ).toEqual(['count', 'day', 'organisation']);
    expect(prose('Met "je" (Hoe waarschijnlijk is het dat je …)')).not.toMatch(INFORMAL);
  });
});

/** Strings a person sees in the admin app: JSX text, and visible attributes and properties. */
const VISIBLE = new Set([
  'placeholder',
  'title',
  'alt',
  'aria-label',
  'aria-description',
  'label',
  'hint',
  'intro',
  'text',
  'header',
  'summary',
  'message',
]);
/** Not words to translate: the product's name, an abbreviation, a language code, a URL scheme. */
const NOT_TRANSLATED = new Set(['Loyaal', 'NPS', 'NL', 'EN', 'https://']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === 'i18n' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry) ? [path] : [];
  });
}

function hardCodedTexts(file: string, keys: ReadonlySet<string>): string[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const found: string[] = [];
  const words = (s: string) =>
    !keys.has(s) &&
    /\p{L}{2,}/u.test(
      s
        .split(/\s+/)
        .filter((word) => !NOT_TRANSLATED.has(word))
        .join(' '),
    );
  const report = (node: ts.Node, text: string) =>
    found.push(
      `${relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${JSON.stringify(text)}`,
    );
  const literal = (node: ts.Node | undefined): string | null =>
    node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
      ? node.text
      : null;
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && words(node.text.trim())) report(node, node.text.trim());
    if (ts.isJsxExpression(node) && !ts.isJsxAttribute(node.parent)) {
      const text = literal(node.expression);
      if (text !== null && words(text)) report(node, text);
    }
    if (ts.isJsxAttribute(node) && VISIBLE.has(node.name.getText()) && node.initializer) {
      const init = node.initializer;
      const text = ts.isJsxExpression(init) ? literal(init.expression) : literal(init);
      if (text !== null && words(text)) report(node, text);
    }
    if (ts.isPropertyAssignment(node) && VISIBLE.has(node.name.getText())) {
      const text = literal(node.initializer);
      if (text !== null && words(text)) report(node, text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('language check: the admin app', () => {
  it('hard-codes no text a person reads: every one comes from the catalogue', () => {
    const keys = new Set(Object.keys(webNl));
    const files = sourceFiles(join(ROOT, 'web', 'src'));
    expect(files.length).toBeGreaterThan(30);
    const found = files.flatMap((f) => hardCodedTexts(f, keys));
    expect(found, 'put these texts in web/src/i18n/nl.ts and en.ts').toEqual([]);
  });

  it('catches a hard-coded label, heading text and placeholder', () => {
    const dir = join(ROOT, 'test', 'i18n');
    const file = join(dir, 'hard-coded.fixture.tsx');
    expect(hardCodedTexts(file, new Set(['nav.home']))).toEqual([
      'test/i18n/hard-coded.fixture.tsx:4 "Opslaan"',
      'test/i18n/hard-coded.fixture.tsx:5 "Naam"',
      'test/i18n/hard-coded.fixture.tsx:6 "Zoek een klant"',
      'test/i18n/hard-coded.fixture.tsx:7 "Klanten"',
    ]);
  });
});
