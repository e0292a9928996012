import { createHash, randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { zipSync } from 'fflate';
import sharp from 'sharp';

/** Real picture bytes, unique per call (random pixels), so uploads never dedup by accident. */
export async function png(width = 30, height = 20): Promise<Buffer> {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } }).png().toBuffer();
}

export async function jpeg(width = 40, height = 20, orientation?: number): Promise<Buffer> {
  const image = sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } }).jpeg();
  return (orientation === undefined ? image : image.withMetadata({ orientation })).toBuffer();
}

export async function gif(width = 12, height = 7): Promise<Buffer> {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } }).gif().toBuffer();
}

export async function webp(width = 16, height = 9): Promise<Buffer> {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } }).webp().toBuffer();
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

// ---- A PNG made by hand (`zlib.crc32` is not in Node 20) -------------------------------------

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG of a few dozen bytes whose IHDR declares `width` × `height` (RGB, 8 bit). */
export function pngDeclaring(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(4))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- Bytes that must be refused ---------------------------------------------------------------

function padded(head: Buffer, size: number): Buffer {
  return Buffer.concat([head, randomBytes(Math.max(0, size - head.length))]);
}

export const refusedFiles: ReadonlyArray<{ label: string; filename: string; bytes: () => Buffer }> = [
  {
    label: 'HTML named .jpg',
    filename: 'photo.jpg',
    bytes: () => Buffer.from(`<!DOCTYPE html><html><head><title>x</title></head><body>${'<p>hi</p>'.repeat(800)}</body></html>`),
  },
  {
    label: 'SVG',
    filename: 'logo.svg',
    bytes: () =>
      Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'),
  },
  {
    label: 'ELF executable',
    filename: 'tool.png',
    bytes: () => padded(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, ...Buffer.alloc(8), 0x02, 0x00, 0x3e, 0x00]), 64 * 1024),
  },
  {
    label: 'MZ executable',
    filename: 'setup.gif',
    bytes: () => {
      // DOS header with e_lfanew pointing at a PE signature.
      const head = Buffer.alloc(0x100);
      head.write('MZ', 0, 'ascii');
      head.writeUInt32LE(0x80, 0x3c);
      head.write('PE\0\0', 0x80, 'binary');
      head.writeUInt16LE(0x14c, 0x84);
      return padded(head, 8192);
    },
  },
  {
    label: 'plain zip',
    filename: 'archive.docx',
    bytes: () => Buffer.from(zipSync({ 'readme.txt': Buffer.from('hello zip'), 'data/x.bin': randomBytes(500) })),
  },
  {
    label: 'text',
    filename: 'notes.pdf',
    bytes: () => Buffer.from('Just some plain text.\nNothing to see here.\n'),
  },
];
