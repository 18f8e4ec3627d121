/**
 * The parts of NLP.js (MIT, AXA Group Operations Spain) the comment themes use: the Dutch and
 * English Snowball stemmers and stop-word lists, and the sentiment lexicons that ship with them
 * (Dutch from pattern.nl, English from SentiCon). CommonJS packages without types: Node's ESM
 * loader gives their exports as the default export only.
 */
declare module '@nlpjs/lang-nl' {
  interface Stemmer {
    stemWord(word: string): string;
  }
  interface Stopwords {
    isStopword(word: string): boolean;
  }
  const langNl: {
    StemmerNl: new () => Stemmer;
    StopwordsNl: new () => Stopwords;
  };
  export default langNl;
}

declare module '@nlpjs/lang-en' {
  const langEn: {
    StemmerEn: new () => { stemWord(word: string): string };
    StopwordsEn: new () => { isStopword(word: string): boolean };
  };
  export default langEn;
}
