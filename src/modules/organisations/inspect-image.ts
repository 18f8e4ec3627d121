/**
 * What an uploaded logo really is, read from its bytes (never from the file name or the browser's
 * content type). Only PNG and JPEG are taken: every mail client shows them. SVG is refused, not
 * sanitised: Gmail and Outlook do not show SVG images in email at all, and an SVG is a document
 * that can carry scripts, so accepting it would need a sanitiser for no visible result.
 */
export type ImageProblem = 'logo_svg' | 'logo_type' | 'logo_dimensions';

export type ImageInspection =
  | { ok: true; contentType: 'image/png' | 'image/jpeg'; width: number; height: number }
  | { ok: false; problem: ImageProblem };

/** Logos are shown at most 48 px high; 4,000 px is far beyond any sensible source image. */
export const MAX_LOGO_SIDE = 4000;
export const MIN_LOGO_SIDE = 16;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngSize(bytes: Buffer): { width: number; height: number } | null {
  // The IHDR chunk comes first: length (4), "IHDR" (4), width (4), height (4).
  if (bytes.length < 24 || bytes.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Walks the JPEG markers to the first start-of-frame, which holds the dimensions. */
function jpegSize(bytes: Buffer): { width: number; height: number } | null {
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1] ?? 0;
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    const length = bytes.readUInt16BE(i + 2);
    const isFrame =
      marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return { height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7) };
    if (length < 2) return null;
    i += 2 + length;
  }
  return null;
}

function looksLikeSvg(bytes: Buffer): boolean {
  const head = bytes.toString('utf8', 0, Math.min(bytes.length, 1024)).trimStart().toLowerCase();
  return head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'));
}

export function inspectImage(bytes: Buffer): ImageInspection {
  let found: { contentType: 'image/png' | 'image/jpeg'; size: ReturnType<typeof pngSize> } | null =
    null;
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
    found = { contentType: 'image/png', size: pngSize(bytes) };
  } else if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    found = { contentType: 'image/jpeg', size: jpegSize(bytes) };
  }
  if (!found) return { ok: false, problem: looksLikeSvg(bytes) ? 'logo_svg' : 'logo_type' };
  const size = found.size;
  if (!size) return { ok: false, problem: 'logo_type' };
  const sides = [size.width, size.height];
  if (sides.some((s) => s < MIN_LOGO_SIDE || s > MAX_LOGO_SIDE)) {
    return { ok: false, problem: 'logo_dimensions' };
  }
  return { ok: true, contentType: found.contentType, ...size };
}
