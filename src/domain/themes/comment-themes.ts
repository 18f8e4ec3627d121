import langEn from '@nlpjs/lang-en';
import langNl from '@nlpjs/lang-nl';
import senticonEn from '@nlpjs/lang-en/src/sentiment/senticon_en.json' with { type: 'json' };
import patternNl from '@nlpjs/lang-nl/src/sentiment/pattern_nl.json' with { type: 'json' };

/**
 * Comment themes, local and explainable (issue 10): what customers write about, in Dutch and
 * English, without an external AI service.
 *
 * 1. Tokenising: letters and digits (Unicode), lower case; "n't" kept on its word.
 * 2. Negation BEFORE stop words: a negator ("niet", "geen", "nooit", "not", "no", "never",
 *    "without", "…n't") marks the next content words up to the end of the clause (at most three),
 *    so "niet vriendelijk" becomes ¬vriendelijk and "geen enkel probleem" ¬probleem. Dutch stop-word
 *    lists contain "niet" and "geen"; removing stop words first would turn "niet vriendelijk" into
 *    praise.
 * 3. Stop words removed and words stemmed with the Snowball stemmers of NLP.js (Dutch and English).
 * 4. Unigrams and bigrams of stems, for suggestions. A theme term of several words ("lang
 *    wachten", "on time", "value for money") matches those words side by side as written.
 * 5. Themes: a dictionary of terms per theme (defaults below, editable per organisation).
 * 6. Sentiment per comment: the sum of the lexicon scores that ship with NLP.js (pattern.nl for
 *    Dutch, SentiCon for English), overridden by a small curated domain list, each flipped when
 *    negated.
 * 7. Suggestions: terms detractors use more than promoters, by the log-odds ratio with an
 *    informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words", Political
 *    Analysis 16(4):372–403), as a z-score.
 */

export type Language = 'nl' | 'en';

export interface Theme {
  key: string;
  label: { nl: string; en: string };
  /** Words or phrases in either language, written as a person would. */
  terms: readonly string[];
}

/** Default themes for common service businesses; an organisation edits its own copy. */
export const DEFAULT_THEMES: readonly Theme[] = [
  {
    key: 'staff',
    label: { nl: 'Personeel', en: 'Staff' },
    terms: [
      'personeel',
      'medewerker',
      'medewerkers',
      'monteur',
      'vriendelijk',
      'onvriendelijk',
      'behulpzaam',
      'beleefd',
      'onbeleefd',
      'klantvriendelijk',
      'aardig',
      'staff',
      'employee',
      'mechanic',
      'technician',
      'friendly',
      'unfriendly',
      'helpful',
      'polite',
      'rude',
      'kind',
    ],
  },
  {
    key: 'waiting',
    label: { nl: 'Wachttijd', en: 'Waiting time' },
    terms: [
      'wachttijd',
      'wachten',
      'gewacht',
      'wacht',
      'traag',
      'vertraging',
      'snel',
      'lang wachten',
      'wait',
      'waiting',
      'waited',
      'queue',
      'slow',
      'quick',
      'fast',
      'delay',
    ],
  },
  {
    key: 'price',
    label: { nl: 'Prijs', en: 'Price' },
    terms: [
      'prijs',
      'prijzen',
      'duur',
      'goedkoop',
      'kosten',
      'tarief',
      'betaalbaar',
      'price',
      'prices',
      'expensive',
      'cheap',
      'cost',
      'costs',
      'affordable',
      'value for money',
    ],
  },
  {
    key: 'quality',
    label: { nl: 'Kwaliteit van het werk', en: 'Quality of the work' },
    terms: [
      'kwaliteit',
      'vakwerk',
      'netjes',
      'slordig',
      'reparatie',
      'gerepareerd',
      'opgelost',
      'kapot',
      'werk',
      'quality',
      'workmanship',
      'repair',
      'repaired',
      'fixed',
      'broken',
      'sloppy',
      'neat',
      'job',
    ],
  },
  {
    key: 'communication',
    label: { nl: 'Communicatie', en: 'Communication' },
    terms: [
      'communicatie',
      'gebeld',
      'bellen',
      'terugbellen',
      'teruggebeld',
      'informatie',
      'uitleg',
      'uitgelegd',
      'geïnformeerd',
      'bericht',
      'mail',
      'communication',
      'call',
      'called',
      'informed',
      'explained',
      'explanation',
      'update',
      'email',
    ],
  },
  {
    key: 'planning',
    label: { nl: 'Planning', en: 'Scheduling' },
    terms: [
      'afspraak',
      'planning',
      'ingepland',
      'gepland',
      'op tijd',
      'te laat',
      'appointment',
      'schedule',
      'scheduled',
      'booking',
      'on time',
      'late',
    ],
  },
  {
    key: 'invoice',
    label: { nl: 'Factuur', en: 'Invoice' },
    terms: [
      'factuur',
      'facturen',
      'rekening',
      'betaling',
      'gefactureerd',
      'invoice',
      'invoices',
      'bill',
      'billing',
      'billed',
      'payment',
    ],
  },
];

const NEGATORS: Record<Language, ReadonlySet<string>> = {
  nl: new Set([
    'niet',
    'geen',
    'nooit',
    'niets',
    'niks',
    'niemand',
    'nergens',
    'zonder',
    'nauwelijks',
  ]),
  en: new Set(['not', 'no', 'never', 'without', 'nothing', 'nobody', 'hardly', 'nor', 'neither']),
};

/** Words between a negator and what it negates that carry no meaning of their own. */
const NEGATION_FILLERS: ReadonlySet<string> = new Set([
  'enkel',
  'enkele',
  'echt',
  'erg',
  'zo',
  'heel',
  'te',
  'meer',
  'any',
  'very',
  'so',
  'too',
  'really',
  'at',
  'all',
  'a',
  'the',
  'be',
  'been',
  'was',
  'is',
  'were',
  'erg',
  'de',
  'het',
  'een',
  'was',
  'is',
  'waren',
]);

/**
 * The curated domain list: words whose general-lexicon score is wrong or missing for customer
 * comments about a service (SentiCon scores "bad" and "late" as positive, pattern.nl has no
 * "fantastisch"). Scores in [−1, 1], keyed by stem per language.
 */
const DOMAIN_WORDS: Record<Language, Record<string, number>> = {
  nl: {
    fantastisch: 0.9,
    geweldig: 0.9,
    super: 0.7,
    top: 0.7,
    prima: 0.6,
    uitstekend: 0.9,
    perfect: 0.9,
    snel: 0.5,
    duur: -0.5,
    te: 0,
    laat: -0.4,
    lang: -0.3,
    traag: -0.6,
    slordig: -0.6,
    kapot: -0.6,
    probleem: -0.5,
    problemen: -0.5,
    onbeleefd: -0.8,
    onvriendelijk: -0.8,
    teleurgesteld: -0.7,
    teleurstellend: -0.7,
    slecht: -0.8,
    vriendelijk: 0.6,
    behulpzaam: 0.7,
    netjes: 0.6,
    tevreden: 0.6,
    ontevreden: -0.7,
    opgelost: 0.5,
    fout: -0.6,
    fouten: -0.6,
    klacht: -0.5,
    goedkoop: 0.3,
    betaalbaar: 0.4,
    vakwerk: 0.7,
    waardeloos: -0.9,
    rommel: -0.7,
    gewacht: -0.3,
    wachten: -0.2,
    verzet: -0.4,
    hoger: -0.2,
    hoge: -0.2,
  },
  en: {
    bad: -0.7,
    terrible: -0.9,
    awful: -0.9,
    horrible: -0.9,
    poor: -0.6,
    late: -0.4,
    slow: -0.6,
    expensive: -0.5,
    overpriced: -0.7,
    rude: -0.8,
    unfriendly: -0.8,
    sloppy: -0.6,
    broken: -0.5,
    problem: -0.5,
    problems: -0.5,
    issue: -0.4,
    disappointed: -0.7,
    disappointing: -0.7,
    great: 0.8,
    excellent: 0.9,
    fantastic: 0.9,
    perfect: 0.9,
    friendly: 0.6,
    helpful: 0.7,
    quick: 0.5,
    fast: 0.5,
    good: 0.6,
    nice: 0.5,
    happy: 0.6,
    satisfied: 0.6,
    affordable: 0.4,
    fixed: 0.4,
    neat: 0.5,
    wrong: -0.6,
    mistake: -0.6,
    complaint: -0.5,
    wait: -0.3,
    waited: -0.3,
    cancelled: -0.6,
    canceled: -0.6,
    worth: 0.5,
  },
};

const stemmers = { nl: new langNl.StemmerNl(), en: new langEn.StemmerEn() };
const stopwords = { nl: new langNl.StopwordsNl(), en: new langEn.StopwordsEn() };
const LEXICON: Record<Language, Readonly<Record<string, number>>> = {
  nl: patternNl,
  en: senticonEn,
};
const DOMAIN_STEMS: Record<Language, ReadonlyMap<string, number>> = {
  nl: new Map(Object.entries(DOMAIN_WORDS.nl).map(([w, s]) => [stem(w, 'nl'), s])),
  en: new Map(Object.entries(DOMAIN_WORDS.en).map(([w, s]) => [stem(w, 'en'), s])),
};

/** What a negated word without a lexicon score counts: a mild complaint. */
const NEGATED_NEUTRAL = 0.3;

/** How many content words after a negator it negates (the clause ends it sooner). */
const NEGATION_SCOPE = 3;

export function stem(word: string, language: Language): string {
  return stemmers[language].stemWord(word.toLowerCase());
}

export interface Token {
  /** The Snowball stem. */
  stem: string;
  /** The word as written (lower case). */
  word: string;
  negated: boolean;
}

const CLAUSE_END = /[.,;:!?()\n]/u;
/** A word: letters and digits, with an apostrophe ending kept on it ("weren't", "o'clock"). */
const WORD = /[\p{L}\p{N}]+(?:['’]\p{L}+)?/gu;

/**
 * Tokens of a comment: content words stemmed, stop words gone, each marked when a negator before
 * it (in the same clause, within three content words) negates it.
 */
export function tokenise(text: string, language: Language): Token[] {
  const out: Token[] = [];
  const negators = NEGATORS[language];
  for (const clause of text.toLowerCase().split(CLAUSE_END)) {
    const tokens: Token[] = [];
    // Content words the last negator still negates (counting down past zero does no harm).
    let scope = 0;
    for (const [raw] of clause.matchAll(WORD)) {
      const word = raw.replace(/’/g, "'");
      if (negators.has(word) || word.endsWith("n't")) {
        scope = NEGATION_SCOPE;
        continue;
      }
      if (NEGATION_FILLERS.has(word) || stopwords[language].isStopword(word)) continue;
      if (word.length < 2) continue;
      tokens.push({ stem: stem(word, language), word, negated: scope > 0 });
      scope--;
    }
    // A negator with no content word after it in its clause (its scope untouched) negates the
    // word before it: Dutch puts "niet" after the verb ("de factuur klopte niet", "werkt niet").
    const last = tokens.at(-1);
    if (scope === NEGATION_SCOPE && last) last.negated = true;
    out.push(...tokens);
  }
  return out;
}

/** "a b" for every two adjacent items. */
function bigrams(items: readonly string[]): string[] {
  return items.slice(1).map((item, i) => `${items[i]} ${item}`);
}

/** Stems (negated ones prefixed "¬") and bigrams of adjacent stems ("a b"), for counting. */
export function terms(tokens: readonly Token[]): string[] {
  const unigrams = tokens.map((t) => (t.negated ? `¬${t.stem}` : t.stem));
  return [...unigrams, ...bigrams(tokens.map((t) => t.stem))];
}

/** The words as written for each of `terms(tokens)`, in the same order (to show a suggestion). */
export function termWords(tokens: readonly Token[]): string[] {
  const unigrams = tokens.map((t) => (t.negated ? `¬${t.word}` : t.word));
  return [...unigrams, ...bigrams(tokens.map((t) => t.word))];
}

/** The language of a comment by its stop words, when the answer does not say. */
export function guessLanguage(text: string): Language {
  let nl = 0;
  let en = 0;
  for (const [w] of text.toLowerCase().matchAll(/\p{L}+/gu)) {
    if (stopwords.nl.isStopword(w)) nl++;
    if (stopwords.en.isStopword(w)) en++;
  }
  return en > nl ? 'en' : 'nl';
}

/** Score of one stem: the domain list first, else the package lexicon, else 0. */
function wordScore(token: Token, language: Language): number {
  const domain = DOMAIN_STEMS[language].get(token.stem);
  if (domain !== undefined) return domain;
  return LEXICON[language][token.stem] ?? LEXICON[language][token.word] ?? 0;
}

export type Sentiment = 'positive' | 'neutral' | 'negative';

/** Sentiment of a comment: the sum of its words' scores, negated words flipped. */
export function sentimentOf(tokens: readonly Token[], language: Language) {
  let score = 0;
  for (const t of tokens) {
    const s = wordScore(t, language);
    // A negated word without a polarity of its own still says something did not happen, which in
    // a customer's comment is a complaint ("niet opgelost", "niet teruggebeld", "did not last").
    score += t.negated ? (Math.abs(s) < 0.1 ? -NEGATED_NEUTRAL : -s) : s;
  }
  return { score, label: sentimentLabel(score) };
}

/** A comment's sum of word scores as a label: within ±0.15 (a lone weak word) it is neutral. */
export function sentimentLabel(score: number): Sentiment {
  return score > 0.15 ? 'positive' : score < -0.15 ? 'negative' : 'neutral';
}

interface CompiledTheme {
  key: string;
  /** Each term as its sequence of stems, per language. */
  terms: string[][];
}

/** Stems every theme's terms in both languages, once per dictionary. */
export function compileThemes(themes: readonly Theme[]): CompiledTheme[] {
  return themes.map((theme) => {
    const seqs = new Map<string, string[]>();
    for (const term of theme.terms) {
      for (const language of ['nl', 'en'] as const) {
        const seq = [...term.matchAll(/[\p{L}\p{N}]+/gu)].map(([w]) => stem(w, language));
        if (seq.length) seqs.set(seq.join(' '), seq);
      }
    }
    return { key: theme.key, terms: [...seqs.values()] };
  });
}

/**
 * The themes a comment mentions. A term of several words matches those words side by side in the
 * comment as written (stop words included: "te laat", "value for money"); a one-word term matches
 * any content word.
 */
export function themesOf(
  text: string,
  tokens: readonly Token[],
  themes: readonly CompiledTheme[],
  language: Language,
): string[] {
  const stems = new Set(tokens.map((t) => t.stem));
  // Every word's stem, stop words included, between spaces: a phrase matches whole words only.
  const written = ` ${[...text.matchAll(/[\p{L}\p{N}]+/gu)].map(([w]) => stem(w, language)).join(' ')} `;
  return themes
    .filter((theme) =>
      theme.terms.some((seq) => {
        const term = seq.join(' ');
        return seq.length === 1 ? stems.has(term) : written.includes(` ${term} `);
      }),
    )
    .map((theme) => theme.key);
}

export interface AnalysedComment {
  language: Language;
  themes: string[];
  sentiment: Sentiment;
  score: number;
  terms: string[];
  /** `terms` as written in the comment. */
  words: string[];
}

/** One comment analysed: its themes, sentiment and terms. */
export function analyseComment(
  text: string,
  themes: readonly CompiledTheme[],
  language: Language = guessLanguage(text),
): AnalysedComment {
  const tokens = tokenise(text, language);
  const s = sentimentOf(tokens, language);
  return {
    language,
    themes: themesOf(text, tokens, themes, language),
    sentiment: s.label,
    score: s.score,
    terms: terms(tokens),
    words: termWords(tokens),
  };
}

export interface TermSuggestion {
  term: string;
  detractors: number;
  promoters: number;
  /** The log-odds ratio's z-score: positive means detractors use the term more. */
  z: number;
}

/**
 * Terms detractors use more than promoters: the log-odds ratio with an informative Dirichlet prior
 * (Monroe et al. 2008, eq. 16–22). Counts are per comment (a term counts once per comment). The
 * prior is the whole corpus's term frequencies scaled to `a0` pseudo-counts, so rare terms are
 * shrunk toward "no difference". Terms a theme already holds and terms seen fewer than `minCount`
 * times are left out; the rest with z above `minZ` (one-sided 95 % by default) are returned, strongest first.
 */
export function suggestTerms(
  detractorTerms: ReadonlyArray<readonly string[]>,
  promoterTerms: ReadonlyArray<readonly string[]>,
  options: { known?: ReadonlySet<string>; minCount?: number; minZ?: number; a0?: number } = {},
): TermSuggestion[] {
  const minCount = options.minCount ?? 3;
  // One-sided: only terms detractors use MORE are suggested, so 95 % is z > 1.645.
  const minZ = options.minZ ?? 1.645;
  const count = (docs: ReadonlyArray<readonly string[]>) => {
    const m = new Map<string, number>();
    for (const d of docs) for (const t of new Set(d)) m.set(t, (m.get(t) ?? 0) + 1);
    return m;
  };
  const yD = count(detractorTerms);
  const yP = count(promoterTerms);
  const nD = [...yD.values()].reduce((a, b) => a + b, 0);
  const nP = [...yP.values()].reduce((a, b) => a + b, 0);
  const all = new Set([...yD.keys(), ...yP.keys()]);
  const total = nD + nP; // 0 only when there are no terms at all, and then `all` is empty
  // The prior's weight: a tenth of the corpus (at least 10, at most 1,000 pseudo-counts), enough to
  // calm rare terms without drowning a small organisation's real differences.
  const a0 = options.a0 ?? Math.max(10, Math.min(1000, total / 10));
  const out: TermSuggestion[] = [];
  for (const w of all) {
    const d = yD.get(w) ?? 0;
    const p = yP.get(w) ?? 0;
    if (d + p < minCount || options.known?.has(w.replace('¬', ''))) continue;
    const aw = (a0 * (d + p)) / total;
    const delta = Math.log((d + aw) / (nD + a0 - d - aw)) - Math.log((p + aw) / (nP + a0 - p - aw));
    const variance = 1 / (d + aw) + 1 / (p + aw);
    const z = delta / Math.sqrt(variance);
    if (z > minZ) out.push({ term: w, detractors: d, promoters: p, z });
  }
  return out.sort((a, b) => b.z - a.z || a.term.localeCompare(b.term));
}

/** The stems a dictionary already covers (for leaving them out of suggestions). */
export function knownStems(themes: readonly CompiledTheme[]): Set<string> {
  return new Set(themes.flatMap((t) => t.terms.map((seq) => seq.join(' '))));
}
