import { describe, expect, it } from 'vitest';
import { png } from '../../../test/support/images.ts';
import { inspectImage } from './inspect-image.ts';

/** The markers of a baseline JPEG up to its frame header: enough for the dimensions. */
function jpeg(width: number, height: number): Buffer {
  const app0 = Buffer.from([
    0xff,
    0xe0,
    0x00,
    0x10,
    ...Buffer.from('JFIF\0'),
    1,
    1,
    0,
    0,
    1,
    0,
    1,
    0,
    0,
  ]);
  const sof = Buffer.alloc(19);
  sof.writeUInt16BE(0xffc0, 0);
  sof.writeUInt16BE(17, 2);
  sof[4] = 8;
  sof.writeUInt16BE(height, 5);
  sof.writeUInt16BE(width, 7);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.from([0xff, 0xd9])]);
}

describe('inspecting an uploaded logo', () => {
  it('recognises a PNG and a JPEG by their bytes, with their size', () => {
    expect(inspectImage(png(320, 80))).toEqual({
      ok: true,
      contentType: 'image/png',
      width: 320,
      height: 80,
    });
    expect(inspectImage(jpeg(640, 200))).toEqual({
      ok: true,
      contentType: 'image/jpeg',
      width: 640,
      height: 200,
    });
  });

  it('refuses SVG, with its own reason', () => {
    const svg = Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>');
    expect(inspectImage(svg)).toEqual({ ok: false, problem: 'logo_svg' });
    expect(inspectImage(Buffer.from('  <svg onload="alert(1)"></svg>'))).toEqual({
      ok: false,
      problem: 'logo_svg',
    });
  });

  it('refuses anything else, whatever its name says', () => {
    expect(inspectImage(Buffer.from('GIF89a…'))).toEqual({ ok: false, problem: 'logo_type' });
    expect(inspectImage(Buffer.from('<html><script>x</script>'))).toEqual({
      ok: false,
      problem: 'logo_type',
    });
    expect(inspectImage(png(10, 10).subarray(0, 12))).toEqual({ ok: false, problem: 'logo_type' });
    expect(inspectImage(Buffer.alloc(0))).toEqual({ ok: false, problem: 'logo_type' });
  });

  it('refuses a logo too small to read or absurdly large', () => {
    expect(inspectImage(png(8, 8))).toEqual({ ok: false, problem: 'logo_dimensions' });
    expect(inspectImage(png(5000, 100))).toEqual({ ok: false, problem: 'logo_dimensions' });
  });
});
