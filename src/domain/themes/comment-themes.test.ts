import { describe, expect, it } from 'vitest';
import {
  DEFAULT_THEMES,
  analyseComment,
  compileThemes,
  guessLanguage,
  knownStems,
  suggestTerms,
  tokenise,
  type Language,
  type Sentiment,
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
  const results = SET.map(([text, language, themes, sentiment]) => ({
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
