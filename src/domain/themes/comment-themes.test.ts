import { describe, expect, it } from 'vitest';
import {
  DEFAULT_THEMES,
  analyseComment,
  compileThemes,
  guessLanguage,
  knownStems,
  sentimentLabel,
  sentimentOf,
  suggestTerms,
  termWords,
  terms,
  themesOf,
  tokenise,
  type Language,
  type Sentiment,
  type Theme,
} from './comment-themes.ts';

type Labelled = [text: string, language: Language, themes: string[], sentiment: Sentiment];

/**
 * A labelled test set of Dutch and English comments as customers of a garage, installer or shop
 * write them, with negations ("niet vriendelijk", "geen enkel probleem", "not friendly"), labelled
 * by hand with the themes they mention and their sentiment.
 */
const SET: Labelled[] = [
  ['De monteur was erg vriendelijk en behulpzaam.', 'nl', ['staff'], 'positive'],
  ['Het personeel was niet vriendelijk.', 'nl', ['staff'], 'negative'],
  ['Medewerker aan de balie was onbeleefd.', 'nl', ['staff'], 'negative'],
  ['Vriendelijke medewerkers, goed geholpen.', 'nl', ['staff'], 'positive'],
  ['Niet vriendelijk te woord gestaan door de monteur.', 'nl', ['staff'], 'negative'],
  ['Lang moeten wachten op mijn auto.', 'nl', ['waiting'], 'negative'],
  ['De wachttijd was veel te lang.', 'nl', ['waiting'], 'negative'],
  ['Snel geholpen, geen wachttijd.', 'nl', ['waiting'], 'positive'],
  [
    'Ik heb een uur gewacht terwijl ik een afspraak had.',
    'nl',
    ['waiting', 'planning'],
    'negative',
  ],
  ['Alles ging snel en soepel.', 'nl', ['waiting'], 'positive'],
  ['De prijs is aan de hoge kant.', 'nl', ['price'], 'neutral'],
  ['Veel te duur voor wat het is.', 'nl', ['price'], 'negative'],
  ['Nette prijzen en eerlijk advies.', 'nl', ['price'], 'positive'],
  ['Niet duur en goed werk.', 'nl', ['price', 'quality'], 'positive'],
  ['De kosten vielen hoger uit dan afgesproken.', 'nl', ['price'], 'negative'],
  ['Het werk is netjes uitgevoerd.', 'nl', ['quality'], 'positive'],
  ['Slordig gewerkt, de kraan lekt nog steeds.', 'nl', ['quality'], 'negative'],
  ['Reparatie was in één keer goed.', 'nl', ['quality'], 'positive'],
  ['Het probleem is niet opgelost.', 'nl', ['quality'], 'negative'],
  ['Vakwerk, echt top!', 'nl', ['quality'], 'positive'],
  ['Ik ben niet teruggebeld terwijl dat beloofd was.', 'nl', ['communication'], 'negative'],
  ['Goede uitleg over wat er moest gebeuren.', 'nl', ['communication'], 'positive'],
  ['Communicatie kan beter, ik hoorde niets.', 'nl', ['communication'], 'negative'],
  ['Keurig gebeld toen de auto klaar was.', 'nl', ['communication'], 'positive'],
  ['Geen informatie gekregen over de vertraging.', 'nl', ['communication', 'waiting'], 'negative'],
  ['De afspraak werd twee keer verzet.', 'nl', ['planning'], 'negative'],
  ['Monteur kwam te laat.', 'nl', ['planning', 'staff'], 'negative'],
  ['Netjes op tijd, zoals afgesproken.', 'nl', ['planning', 'quality'], 'positive'],
  ['Makkelijk een afspraak kunnen maken.', 'nl', ['planning'], 'positive'],
  ['De planning klopte niet.', 'nl', ['planning'], 'negative'],
  ['De factuur klopte niet.', 'nl', ['invoice'], 'negative'],
  ['Rekening was duidelijk en op tijd.', 'nl', ['invoice', 'planning'], 'positive'],
  ['Er stonden fouten op de factuur.', 'nl', ['invoice'], 'negative'],
  ['Geen enkel probleem, alles prima.', 'nl', [], 'positive'],
  ['Tevreden, zeker voor herhaling vatbaar.', 'nl', [], 'positive'],
  ['Niet tevreden.', 'nl', [], 'negative'],
  ['Nooit meer, slechte ervaring.', 'nl', [], 'negative'],
  ['Prima service.', 'nl', [], 'positive'],
  ['Top geregeld!', 'nl', [], 'positive'],
  ['Het kan altijd beter.', 'nl', [], 'neutral'],
  ['The mechanic was very friendly and helpful.', 'en', ['staff'], 'positive'],
  ['Staff were not friendly at all.', 'en', ['staff'], 'negative'],
  ['The employee at the desk was rude.', 'en', ['staff'], 'negative'],
  ['Friendly staff, great service.', 'en', ['staff'], 'positive'],
  ['I had to wait for two hours.', 'en', ['waiting'], 'negative'],
  ['Quick and efficient, no waiting.', 'en', ['waiting'], 'positive'],
  ['Very slow service.', 'en', ['waiting'], 'negative'],
  ['Far too expensive.', 'en', ['price'], 'negative'],
  ['Good value for money.', 'en', ['price'], 'positive'],
  ['Not cheap but worth it.', 'en', ['price'], 'positive'],
  ['Excellent workmanship, everything fixed.', 'en', ['quality'], 'positive'],
  ['Sloppy job, still broken.', 'en', ['quality'], 'negative'],
  ['The repair did not last.', 'en', ['quality'], 'negative'],
  ['Nobody called me back.', 'en', ['communication'], 'negative'],
  ['They explained everything clearly.', 'en', ['communication'], 'positive'],
  ['Kept me informed with updates by email.', 'en', ['communication'], 'positive'],
  ['The appointment was cancelled twice.', 'en', ['planning'], 'negative'],
  ['Arrived on time as scheduled.', 'en', ['planning'], 'positive'],
  ['The technician was late.', 'en', ['planning', 'staff'], 'negative'],
  ['The invoice was wrong.', 'en', ['invoice'], 'negative'],
  ['Clear bill, no surprises.', 'en', ['invoice'], 'positive'],
  ['Not a single problem, great.', 'en', [], 'positive'],
  ['Never again.', 'en', [], 'negative'],
  ['Happy with everything.', 'en', [], 'positive'],
];

const compiled = compileThemes(DEFAULT_THEMES);

describe('comment themes on a labelled Dutch and English set', () => {
  // Analysed inside each test, not while the file is collected: code run at collection time is
  // outside every test, so mutation testing could not see a test fail for it.
  const analyseSet = () =>
    SET.map(([text, language, themes, sentiment]) => ({
      text,
      expected: themes,
      sentiment,
      got: analyseComment(text, compiled, language),
    }));

  it('has at least 60 labelled comments in both languages, with negations', () => {
    expect(SET.length).toBeGreaterThanOrEqual(60);
    expect(SET.filter((s) => s[1] === 'en').length).toBeGreaterThanOrEqual(20);
    expect(
      SET.filter(([t]) => /\b(niet|geen|nooit|not|no|never)\b/i.test(t)).length,
    ).toBeGreaterThan(12);
  });

  it('groups the obvious themes: precision and recall per theme', () => {
    const results = analyseSet();
    const lines: string[] = [];
    for (const theme of DEFAULT_THEMES) {
      let tp = 0;
      let fp = 0;
      let fn = 0;
      for (const r of results) {
        const want = r.expected.includes(theme.key);
        const got = r.got.themes.includes(theme.key);
        if (want && got) tp++;
        else if (got) fp++;
        else if (want) fn++;
      }
      const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
      const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
      lines.push(
        `theme ${theme.key.padEnd(13)} precision ${precision.toFixed(2)}  recall ${recall.toFixed(2)}  (tp ${tp}, fp ${fp}, fn ${fn})`,
      );
      expect(precision, theme.key).toBeGreaterThanOrEqual(0.75);
      expect(recall, theme.key).toBeGreaterThanOrEqual(0.75);
    }
    console.log(lines.join('\n'));
  });

  it('reads sentiment with negation: "niet vriendelijk" is never praise', () => {
    const results = analyseSet();
    const wrong = results.filter((r) => r.got.sentiment !== r.sentiment);
    const accuracy = 1 - wrong.length / results.length;
    console.log(
      `sentiment accuracy ${accuracy.toFixed(2)} on ${results.length} comments; wrong: ${wrong
        .map(
          (w) =>
            `"${w.text}" (${w.got.sentiment} ${w.got.score.toFixed(2)}, expected ${w.sentiment})`,
        )
        .join('; ')}`,
    );
    expect(accuracy).toBeGreaterThanOrEqual(0.8);
    for (const text of [
      'niet vriendelijk',
      'Het personeel was niet vriendelijk.',
      'Niet vriendelijk te woord gestaan.',
      'De monteur was niet echt vriendelijk',
      'Staff were not friendly.',
      "The staff weren't friendly",
    ]) {
      const language = guessLanguage(text);
      expect(analyseComment(text, compiled, language).sentiment, text).toBe('negative');
    }
    expect(analyseComment('Geen enkel probleem', compiled, 'nl').sentiment).toBe('positive');
  });

  it('marks negation before removing stop words', () => {
    expect(tokenise('niet vriendelijk', 'nl')).toEqual([
      { stem: 'vriendelijk', word: 'vriendelijk', negated: true },
    ]);
    expect(tokenise('geen enkel probleem', 'nl').map((t) => [t.stem, t.negated])).toEqual([
      ['problem', true],
    ]);
    // The clause ends the negation: "not slow, friendly" negates only "slow".
    expect(tokenise('not slow, friendly', 'en').map((t) => t.negated)).toEqual([true, false]);
  });
});

describe('theme suggestions by log-odds with an informative Dirichlet prior', () => {
  it('suggests the terms detractors use far more than promoters, and nothing from noise', () => {
    const detractors = [
      ...new Array<string>(20).fill('parkeren was een drama, geen parkeerplek'),
      ...new Array<string>(10).fill('slecht'),
    ].map((t) => analyseComment(t, compiled, 'nl').terms);
    const promoters = [
      ...new Array<string>(25).fill('goed en prima geholpen'),
      ...new Array<string>(2).fill('parkeren ging wel'),
    ].map((t) => analyseComment(t, compiled, 'nl').terms);
    const suggestions = suggestTerms(detractors, promoters, { known: knownStems(compiled) });
    expect(suggestions[0]?.term).toMatch(/^¬?(parker|parkeerplek|drama)/);
    expect(suggestions.map((s) => s.term)).not.toContain('goed');
    // Equal use by both groups is no suggestion.
    const same = new Array<string[]>(30).fill(['deur']);
    expect(suggestTerms(same, same)).toEqual([]);
  });
});

describe('tokens: negation, clauses and what counts as a word', () => {
  const negated = (text: string, language: Language) =>
    tokenise(text, language).map((t) => (t.negated ? `¬${t.word}` : t.word));

  it('a negator at the end of its clause negates the word before it (Dutch word order)', () => {
    expect(negated('De factuur klopte niet', 'nl')).toEqual(['factuur', '¬klopte']);
    // A filler between them changes nothing: "niet echt" is still "niet".
    expect(negated('Het klopte niet echt', 'nl')).toEqual(['¬klopte']);
    expect(negated('De monteur belde, de factuur klopte niet', 'nl')).toEqual([
      'monteur',
      'belde',
      'factuur',
      '¬klopte',
    ]);
  });

  it('a negator alone in its clause negates nothing, least of all the clause before', () => {
    expect(negated('Prima geholpen. Nooit meer!', 'nl')).toEqual(['prima', 'geholpen']);
    expect(negated('Niet!', 'nl')).toEqual([]);
  });

  it('a negator reaches at most three content words', () => {
    expect(negated('Niet snel geholpen maar de monteur was vriendelijk', 'nl')).toEqual([
      '¬snel',
      '¬geholpen',
      '¬monteur',
      'vriendelijk',
    ]);
    expect(negated('They did not call me back about the invoice', 'en')).toEqual([
      '¬call',
      '¬back',
      '¬invoice',
    ]);
  });

  it('reads English contractions with either apostrophe: "weren\'t", "weren’t", "didn\'t"', () => {
    expect(negated("The staff weren't friendly", 'en')).toEqual(['staff', '¬friendly']);
    expect(negated('The staff weren’t friendly', 'en')).toEqual(['staff', '¬friendly']);
    expect(negated("They didn't call", 'en')).toEqual(['¬call']);
    // The whole ending stays on its word: "o'clock" is one word, not "o'c" and "lock".
    expect(negated("Arrived at 9 o'clock", 'en')).toEqual(['arrived', "o'clock"]);
  });

  it('drops single characters, keeps two-letter words', () => {
    expect(negated('5 sterren, de tv is kapot', 'nl')).toEqual(['sterren', 'tv', 'kapot']);
    // Single letters and digits are stop words anyway; "à" is not.
    expect(negated('Kosten 50 à 60 euro', 'nl')).toEqual(['kosten', '50', '60', 'euro']);
  });

  it('terms are the stems, negated ones marked, then the pairs of neighbours; words likewise', () => {
    const tokens = tokenise('Monteur was niet vriendelijk, lange wachttijd', 'nl');
    expect(terms(tokens)).toEqual([
      'monteur',
      '¬vriendelijk',
      'lang',
      'wachttijd',
      'monteur vriendelijk',
      'vriendelijk lang',
      'lang wachttijd',
    ]);
    expect(termWords(tokens)).toEqual([
      'monteur',
      '¬vriendelijk',
      'lange',
      'wachttijd',
      'monteur vriendelijk',
      'vriendelijk lange',
      'lange wachttijd',
    ]);
    expect(terms([])).toEqual([]);
    expect(termWords(tokenise('Prima', 'nl'))).toEqual(['prima']);
  });
});

describe('language of a comment', () => {
  it('counts stop words, and says Dutch when in doubt', () => {
    expect(guessLanguage('De monteur was er op tijd')).toBe('nl');
    expect(guessLanguage('The mechanic was on time')).toBe('en');
    expect(guessLanguage('de the')).toBe('nl'); // a tie
    expect(guessLanguage('Top!')).toBe('nl'); // no stop words at all
    expect(guessLanguage('')).toBe('nl');
  });
});

describe('sentiment', () => {
  const score = (text: string, language: Language) =>
    sentimentOf(tokenise(text, language), language).score;

  it('takes the lexicon score by stem: "goede" scores as "goed"', () => {
    expect(score('Goede uitleg', 'nl')).toBeCloseTo(0.5, 10);
    expect(analyseComment('Goede uitleg', compiled, 'nl').sentiment).toBe('positive');
  });

  it('the curated domain list overrides the lexicon ("late" is no praise)', () => {
    expect(score('late', 'en')).toBeCloseTo(-0.4, 10);
    expect(score('Snel', 'nl')).toBeCloseTo(0.5, 10);
  });

  it('a negated word flips its score; without a score of its own it is a mild complaint', () => {
    expect(score('niet vriendelijk', 'nl')).toBeCloseTo(-0.6, 10);
    expect(score('niet slordig', 'nl')).toBeCloseTo(0.6, 10);
    // "teruggebeld" has no score: not being called back is a complaint all the same.
    expect(score('niet teruggebeld', 'nl')).toBeCloseTo(-0.3, 10);
    expect(score("didn't call", 'en')).toBeCloseTo(-0.3, 10);
    // 0.1, the weakest score the lexicon holds, is a polarity of its own: it is flipped.
    const weak = { stem: 'aanvaard', word: 'aanvaard', negated: true };
    expect(sentimentOf([weak], 'nl').score).toBeCloseTo(-0.1, 10);
  });

  it('labels: beyond ±0.15 positive or negative, within it neutral', () => {
    expect(sentimentLabel(0)).toBe('neutral');
    expect(sentimentLabel(0.15)).toBe('neutral');
    expect(sentimentLabel(0.1501)).toBe('positive');
    expect(sentimentLabel(-0.15)).toBe('neutral');
    expect(sentimentLabel(-0.1501)).toBe('negative');
    expect(sentimentOf([], 'nl')).toEqual({ score: 0, label: 'neutral' });
  });
});

describe('themes of a comment', () => {
  const theme = (key: string, ...themeTerms: string[]): Theme => ({
    key,
    label: { nl: key, en: key },
    terms: themeTerms,
  });
  const themesIn = (text: string, language: Language, dictionary = compiled) =>
    themesOf(text, tokenise(text, language), dictionary, language);

  it('a one-word term matches a content word in any form, negated or not, any case', () => {
    expect(themesIn('Niet vriendelijk', 'nl')).toEqual(['staff']);
    expect(themesIn('VRIENDELIJKE MEDEWERKERS', 'nl')).toEqual(['staff']);
    expect(themesIn('Friendly staff', 'en')).toEqual(['staff']);
    expect(themesIn('Alles prima', 'nl')).toEqual([]);
  });

  it('a two-word term matches the two words side by side, stop words included', () => {
    expect(themesIn('Netjes op tijd', 'nl')).toEqual(['quality', 'planning']);
    expect(themesIn('Arrived on time', 'en')).toEqual(['planning']);
    // Both words, but not side by side: no appointment mentioned.
    expect(themesIn('Op zaterdag had ik geen tijd', 'nl')).toEqual([]);
    // Its first word alone is not the term either.
    expect(
      themesIn('Het gesprek was lang', 'nl', compileThemes([theme('w', 'lang wachten')])),
    ).toEqual([]);
    expect(themesIn('Lang wachten', 'nl', compileThemes([theme('w', 'lang wachten')]))).toEqual([
      'w',
    ]);
  });

  it('a term of three words matches the three side by side: "value for money"', () => {
    expect(themesIn('Good value for money.', 'en')).toEqual(['price']);
    expect(themesIn('Goede prijs-kwaliteitverhouding, value for money', 'nl')).toEqual(['price']);
    expect(themesIn('Money well spent, good value', 'en')).toEqual([]);
    // Whole words only: "op tijdens" is not "op tijd".
    expect(themesIn('De kosten liepen op tijdens de reparatie', 'nl')).toEqual([
      'price',
      'quality',
    ]);
  });

  it('compiles each term in both languages, merges duplicates and ignores blank terms', () => {
    expect(compileThemes([theme('w', 'Traag', '', ' — ', 'traag')])).toEqual([
      { key: 'w', terms: [['trag'], ['traag']] },
    ]);
    expect(compileThemes([theme('p', 'op tijd')])).toEqual([{ key: 'p', terms: [['op', 'tijd']] }]);
    // Written apart and together, they are two terms.
    expect(compileThemes([theme('s', 'klant vriendelijk', 'klantvriendelijk')])).toEqual([
      { key: 's', terms: [['klant', 'vriendelijk'], ['klantvriend'], ['klantvriendelijk']] },
    ]);
    expect(
      knownStems(compileThemes([theme('w', 'lang wachten', 'traag'), theme('p', 'op tijd')])),
    ).toEqual(new Set(['lang wacht', 'lang wachten', 'trag', 'traag', 'op tijd']));
  });
});

describe('suggestions: the log-odds z-score, worked by hand', () => {
  // 20 detractors and 20 promoters. "parker" (parkeren): 16 detractors, 4 promoters.
  const detractors = [
    ...new Array<string[]>(16).fill(['monteur', 'parker']),
    ...new Array<string[]>(4).fill(['monteur']),
  ];
  const promoters = [
    ...new Array<string[]>(4).fill(['parker']),
    ...new Array<string[]>(16).fill(['monteur', 'prima']),
  ];
  // Counts: detractors n_D = 16 + 20 = 36, promoters n_P = 4 + 16 + 16 = 36, together 72, so the
  // prior weighs a0 = max(10, min(1000, 72 / 10)) = 10 pseudo-counts.
  // parker: α = 10 · 20 / 72 = 2.7778
  //   odds D = (16 + 2.7778) / (36 + 10 − 16 − 2.7778) = 18.7778 / 27.2222 = 0.68980
  //   odds P = (4 + 2.7778) / (36 + 10 − 4 − 2.7778) = 6.7778 / 39.2222 = 0.17280
  //   δ = ln(0.68980 / 0.17280) = 1.38423;  σ² = 1 / 18.7778 + 1 / 6.7778 = 0.20080
  //   z = 1.38423 / √0.20080 = 3.08911
  // monteur (20 against 16): z = 1.17804, below 1.645; prima (0 against 16): z = −3.60148.
  it('suggests "parker" at z = 3.0891 and nothing else', () => {
    const suggestions = suggestTerms(detractors, promoters);
    expect(suggestions.map((s) => [s.term, s.detractors, s.promoters])).toEqual([
      ['parker', 16, 4],
    ]);
    expect(suggestions[0]?.z).toBeCloseTo(3.08911, 4);
  });

  it('every term, strongest first, when any z will do', () => {
    const all = suggestTerms(detractors, promoters, { minZ: -Infinity });
    expect(all.map((s) => s.term)).toEqual(['parker', 'monteur', 'prima']);
    expect(all[1]?.z).toBeCloseTo(1.17804, 4);
    expect(all[2]?.z).toBeCloseTo(-3.60148, 4);
  });

  it('minZ is a strict bar: a term exactly at it is left out', () => {
    const z = suggestTerms(detractors, promoters)[0]?.z ?? 0;
    expect(suggestTerms(detractors, promoters, { minZ: z })).toEqual([]);
    expect(suggestTerms(detractors, promoters, { minZ: z - 1e-9 }).map((s) => s.term)).toEqual([
      'parker',
    ]);
  });

  it('the prior is a tenth of the corpus, at least 10 and at most 1,000 pseudo-counts', () => {
    const times = (docs: string[][], n: number) => Array.from({ length: n }, () => docs).flat();
    const zOf = (d: string[][], p: string[][], a0?: number) =>
      suggestTerms(d, p, { minZ: -Infinity, ...(a0 === undefined ? {} : { a0 }) }).map((s) => s.z);
    // 72 terms: 10 (the floor); 720: 72; 14,400: 1,000 (the cap).
    expect(zOf(detractors, promoters)).toEqual(zOf(detractors, promoters, 10));
    const d10 = times(detractors, 10);
    const p10 = times(promoters, 10);
    expect(zOf(d10, p10)).toEqual(zOf(d10, p10, 72));
    expect(zOf(d10, p10)).not.toEqual(zOf(d10, p10, 10));
    const d200 = times(detractors, 200);
    const p200 = times(promoters, 200);
    expect(zOf(d200, p200)).toEqual(zOf(d200, p200, 1000));
    expect(zOf(d200, p200)).not.toEqual(zOf(d200, p200, 1440));
  });

  it('a term in fewer than three comments (both groups together) is never suggested', () => {
    const d = [['brand'], ['brand'], ['deur'], ['deur'], ['deur']];
    const p = [['prima'], ['prima'], ['prima']];
    const terms = (options = {}) =>
      suggestTerms(d, p, { minZ: -Infinity, ...options })
        .map((s) => s.term)
        .sort();
    expect(terms()).toEqual(['deur', 'prima']);
    expect(terms({ minCount: 2 })).toEqual(['brand', 'deur', 'prima']);
    // Once per comment: a term written twice in one comment counts once.
    expect(suggestTerms([['brand', 'brand', 'brand']], [], { minZ: -Infinity })).toEqual([]);
  });

  it('leaves out what a theme already holds, negated or not', () => {
    const known = knownStems(compiled);
    const d = new Array<string[]>(10).fill(['¬vriendelijk', 'parker', 'lang wacht']);
    const p = new Array<string[]>(10).fill(['vriendelijk', 'prima']);
    expect(
      suggestTerms(d, p, { known, minZ: -Infinity })
        .map((s) => s.term)
        .sort(),
    ).toEqual(['parker', 'prima']);
  });

  it('equally strong terms come in alphabetical order', () => {
    const d = new Array<string[]>(5).fill(['lek', 'kapot', 'deur']);
    const p = new Array<string[]>(5).fill(['prima']);
    expect(suggestTerms(d, p, { minZ: 0 }).map((s) => s.term)).toEqual(['deur', 'kapot', 'lek']);
  });

  it('no comments, no suggestions', () => {
    expect(suggestTerms([], [])).toEqual([]);
    expect(suggestTerms([[]], [[]])).toEqual([]);
  });
});
