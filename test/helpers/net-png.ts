import { crc32, deflateSync } from 'node:zlib';

/**
 * Hand-built PNG bytes for the upstream fixture routes: a tiny image that decodes, the start of
 * a big one, and a decompression bomb in the IHDR. Built by hand so each byte is what we say.
 */

/** The eight bytes every PNG starts with. */
export const PNG_SIGNATURE: Buffer = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** One chunk: length, type, data, and the CRC-32 over type and data (PNG spec §5.3). */
export function pngChunk(type: string, data: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0);
  return Buffer.concat([head, data, crc]);
}

/** IHDR for an 8-bit truecolour (RGB), non-interlaced image of the given size. */
export function pngHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8 /* bit depth */, 2 /* colour type RGB */, 0, 0, 0], 8);
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr)]);
}

/**
 * A complete, decodable 1×1 red PNG (69 bytes): what `/chain/0` serves, so a client that
 * followed every redirect ends on a real image.
 */
export const TINY_PNG: Buffer = Buffer.concat([
  pngHeader(1, 1),
  // One scanline: filter byte 0, then R, G, B.
  pngChunk('IDAT', deflateSync(Buffer.from([0, 0xff, 0, 0]))),
  pngChunk('IEND'),
]);

/**
 * A PNG of under 100 bytes whose IHDR declares 100000 × 100000 pixels (30 GB decoded). Every
 * CRC is right and the IDAT holds a valid zlib stream (of one short row), so only a decoder
 * that checks the declared dimensions before allocating stops it; a parser that merely
 * validates the structure accepts it.
 */
export const PNG_BOMB: Buffer = pngDeclaring(100_000, 100_000);

/** A valid PNG of a few dozen bytes whose IHDR declares `width` × `height` (never decodable in size). */
export function pngDeclaring(width: number, height: number): Buffer {
  return Buffer.concat([pngHeader(width, height), pngChunk('IDAT', deflateSync(Buffer.alloc(16))), pngChunk('IEND')]);
}

/** `length` bytes that start like a PNG (signature and IHDR of a 1000 × 1000 image), then zeros. */
export function pngStart(length: number): Buffer {
  const out = Buffer.alloc(length);
  pngHeader(1000, 1000).copy(out, 0, 0, Math.min(length, 33));
  return out;
}
