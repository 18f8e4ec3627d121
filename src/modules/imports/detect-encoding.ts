import iconv from 'iconv-lite';

/**
 * The text encodings Dutch CRM and Excel exports arrive in: UTF-8 (with or without BOM), Excel's
 * "CSV (gescheiden door lijstscheidingsteken)" in Windows-1252, and Excel's "Unicode text" in
 * UTF-16.
 */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

const ICONV_NAME: Record<TextEncoding, string> = {
  'utf-8': 'utf8',
  'utf-16le': 'utf16le',
  'utf-16be': 'utf16be',
  'windows-1252': 'win1252',
};

/** The name iconv-lite knows the encoding by. */
export const iconvName = (encoding: TextEncoding): string => ICONV_NAME[encoding];

/** The encoding a byte-order mark announces, or null. */
export function encodingFromBom(bytes: Uint8Array): TextEncoding | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

/**
 * Sniffs the encoding of a whole file chunk by chunk. A file is UTF-8 only if every byte of it is
 * valid UTF-8: CRM exports are often sorted by name, so the first accented "Zoë" may sit on line
 * 40,000 and a sample of the first kilobytes would guess wrong. Anything else is Windows-1252,
 * which can decode every byte, so the import never fails on encoding alone.
 */
export class EncodingSniffer {
  #head = new Uint8Array(0);
  #decoder = new TextDecoder('utf-8', { fatal: true });
  #validUtf8 = true;
  #bytes = 0;

  push(chunk: Uint8Array): void {
    if (this.#head.length < 4) {
      const head = new Uint8Array(Math.min(4, this.#head.length + chunk.length));
      head.set(this.#head);
      head.set(chunk.subarray(0, head.length - this.#head.length), this.#head.length);
      this.#head = head;
    }
    this.#bytes += chunk.length;
    if (!this.#validUtf8) return;
    try {
      this.#decoder.decode(chunk, { stream: true });
    } catch {
      this.#validUtf8 = false;
    }
  }

  /** The encoding of everything pushed so far, treating it as the complete file. */
  result(): { encoding: TextEncoding; bom: boolean } {
    const fromBom = encodingFromBom(this.#head);
    if (fromBom) return { encoding: fromBom, bom: true };
    if (this.#validUtf8) {
      try {
        this.#decoder.decode();
      } catch {
        // The file ends inside a multi-byte sequence: not UTF-8.
        this.#validUtf8 = false;
      }
      this.#decoder = new TextDecoder('utf-8', { fatal: true });
    }
    return { encoding: this.#validUtf8 ? 'utf-8' : 'windows-1252', bom: false };
  }

  get bytes(): number {
    return this.#bytes;
  }
}

/** Convenience for a complete buffer (tests, small samples). */
export function detectEncoding(bytes: Uint8Array): { encoding: TextEncoding; bom: boolean } {
  const sniffer = new EncodingSniffer();
  sniffer.push(bytes);
  return sniffer.result();
}

/** Decodes a complete buffer, dropping a byte-order mark. */
export function decodeText(bytes: Uint8Array, encoding: TextEncoding): string {
  return iconv.decode(
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    ICONV_NAME[encoding],
    {
      stripBOM: true,
    },
  );
}

/**
 * True when decoded text is clearly not a spreadsheet export: more than one in twenty characters
 * are control characters (NUL included). Windows-1252 decodes any byte, so without this check a
 * photo or a zip file would be "imported" as one long garbage column; a stray NUL in a CRM export
 * is tolerated (the reader drops it).
 */
export function looksBinary(text: string): boolean {
  if (text.length === 0) return false;
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0x7f) {
      control++;
    } else if (c === 0xfffd) {
      control++;
    }
  }
  return control * 20 > text.length;
}
