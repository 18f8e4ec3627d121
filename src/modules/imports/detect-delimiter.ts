/** Field separators found in exports: Dutch Excel writes `;`, most CRMs `,`, "Unicode text" tab. */
export type Delimiter = ';' | ',' | '\t';

const CANDIDATES: readonly Delimiter[] = [';', ',', '\t'];

/** Counts each candidate outside double quotes, per line, for the first `maxLines` lines. */
function countPerLine(text: string, maxLines: number): Record<Delimiter, number>[] {
  const lines: Record<Delimiter, number>[] = [];
  let current: Record<Delimiter, number> = { ';': 0, ',': 0, '\t': 0 };
  let inQuotes = false;
  let lineHasContent = false;
  for (let i = 0; i < text.length && lines.length < maxLines; i++) {
    const ch = text[i];
    if (ch === '"') {
      inQuotes = !inQuotes;
      lineHasContent = true;
    } else if (!inQuotes && (ch === '\n' || ch === '\r')) {
      if (lineHasContent) lines.push(current);
      current = { ';': 0, ',': 0, '\t': 0 };
      lineHasContent = false;
    } else {
      if (!inQuotes && (ch === ';' || ch === ',' || ch === '\t')) current[ch]++;
      if (ch !== ' ') lineHasContent = true;
    }
  }
  if (lineHasContent && lines.length < maxLines) lines.push(current);
  return lines;
}

/**
 * Picks the delimiter from the header line, quotes respected: the candidate that occurs most often.
 * A tie (e.g. `Naam;Adres, woonplaats` has one of each) goes to the candidate that splits the next
 * lines into the same number of fields as the header, then to `;`, the Dutch Excel default. A file
 * with a single column has no delimiter at all; `;` is returned and does no harm.
 */
export function detectDelimiter(sample: string): Delimiter {
  const lines = countPerLine(sample, 6);
  const header = lines[0];
  if (!header) return ';';
  const best = Math.max(...CANDIDATES.map((c) => header[c]));
  if (best === 0) {
    // One header column: let the data lines decide (a stray delimiter in the header is unlikely).
    const totals = CANDIDATES.map((c) => lines.slice(1).reduce((n, l) => n + l[c], 0));
    const max = Math.max(...totals);
    return max === 0 ? ';' : (CANDIDATES[totals.indexOf(max)] ?? ';');
  }
  const tied = CANDIDATES.filter((c) => header[c] === best);
  if (tied.length === 1) return tied[0] ?? ';';
  const data = lines.slice(1);
  const consistent = tied.filter((c) => data.length > 0 && data.every((l) => l[c] === header[c]));
  return consistent[0] ?? tied[0] ?? ';';
}
