import { createHash, randomBytes } from 'node:crypto';
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

function isoBox(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}

/** An MP4 as far as type detection goes: an `ftyp` box (isom) and an `mdat` of random bytes. */
export function mp4(): Buffer {
  return Buffer.concat([isoBox('ftyp', Buffer.from('isom\0\0\x02\0isomiso2mp41', 'latin1')), isoBox('mdat', randomBytes(6000))]);
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A PNG declaring any size, built by hand: shared with the upstream fixtures. */
export { pngDeclaring } from './net-png.js';

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
