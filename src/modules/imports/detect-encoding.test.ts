import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { EncodingSniffer, decodeText, detectEncoding, looksBinary } from './detect-encoding.ts';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('detectEncoding', () => {
  it('trusts a UTF-8 byte-order mark', () => {
    expect(detectEncoding(bytes(0xef, 0xbb, 0xbf, 0x41))).toEqual({ encoding: 'utf-8', bom: true });
  });

  it('trusts UTF-16 byte-order marks (Excel "Unicode text")', () => {
    expect(detectEncoding(bytes(0xff, 0xfe, 0x41, 0x00)).encoding).toBe('utf-16le');
    expect(detectEncoding(bytes(0xfe, 0xff, 0x00, 0x41)).encoding).toBe('utf-16be');
  });

  it('reads valid UTF-8 without a BOM as UTF-8', () => {
    expect(detectEncoding(Buffer.from('Naam;Renée Çelik-Smit;Zoë'))).toEqual({
      encoding: 'utf-8',
      bom: false,
    });
  });

  it('reads plain ASCII as UTF-8', () => {
    expect(detectEncoding(Buffer.from('Naam;E-mailadres')).encoding).toBe('utf-8');
  });

  it('falls back to Windows-1252 for bytes that are not UTF-8 (é as 0xE9)', () => {
    const text = iconv.encode('Renée Çelik-Smit;Zoë van ’t Hof', 'win1252');
    const { encoding } = detectEncoding(text);
    expect(encoding).toBe('windows-1252');
    expect(decodeText(text, encoding)).toBe('Renée Çelik-Smit;Zoë van ’t Hof');
  });

  it('is not fooled by a multi-byte character split across chunks', () => {
    const sniffer = new EncodingSniffer();
    const all = Buffer.from('Zoë;Çelik');
    sniffer.push(all.subarray(0, 3));
    sniffer.push(all.subarray(3));
    expect(sniffer.result().encoding).toBe('utf-8');
  });

  it('notices a Windows-1252 character deep in an otherwise ASCII file', () => {
    const sniffer = new EncodingSniffer();
    for (let i = 0; i < 1000; i++) sniffer.push(Buffer.from(`klant${i};klant${i}@example.nl\n`));
    sniffer.push(iconv.encode('Zoë;zoe@example.nl\n', 'win1252'));
    expect(sniffer.result().encoding).toBe('windows-1252');
  });

  it('rejects a file that ends inside a multi-byte sequence as UTF-8', () => {
    expect(detectEncoding(bytes(0x41, 0xc3)).encoding).toBe('windows-1252');
  });

  it('drops the BOM when decoding', () => {
    expect(decodeText(bytes(0xef, 0xbb, 0xbf, 0x41), 'utf-8')).toBe('A');
    expect(decodeText(bytes(0xff, 0xfe, 0x41, 0x00), 'utf-16le')).toBe('A');
  });
});

describe('looksBinary', () => {
  it('accepts ordinary CSV text with tabs and line breaks', () => {
    expect(looksBinary('Naam\tE-mail\r\nJan\tjan@example.nl\n')).toBe(false);
    expect(looksBinary('')).toBe(false);
  });

  it('tolerates a stray NUL but not text full of them (UTF-16 without a BOM, binaries)', () => {
    expect(looksBinary('Naam;E-mail\nJan\u0000;jan@example.nl\n')).toBe(false);
    expect(looksBinary('N\u0000a\u0000a\u0000m\u0000')).toBe(true);
  });

  it('refuses text full of control characters', () => {
    expect(looksBinary('\u0001\u0002\u0003abc\u0004\u0005')).toBe(true);
  });
});
