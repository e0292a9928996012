import { gzipSync } from 'node:zlib';
import * as CFB from 'cfb';
import { strToU8, zipSync, type Zippable } from 'fflate';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { pngDeclaring } from '../../test/helpers/net-png.js';
import { TypeSniffer, type TypeSnifferOptions } from './sniffer.js';
import { UnsupportedContentError, type ReadRange } from './types.js';

const MAX_PIXELS = 50_000_000;

/**
 * Streams `file` through a sniffer in 1000-byte chunks, calling `early` after each as the ingest
 * transform does.
 */
async function sniff(file: Buffer, options?: TypeSnifferOptions) {
  const sniffer = new TypeSniffer(options);
  const read = storage(file);
  let earlyError: unknown;
  for (let at = 0; at < file.length && !earlyError; at += 1000) {
    sniffer.push(file.subarray(at, at + 1000));
    try {
      await sniffer.early();
    } catch (error) {
      earlyError = error;
    }
  }
  return { sniffer, read, earlyError, finish: () => sniffer.finish(read, file.length, { maxPixels: MAX_PIXELS }) };
}

/** Reads over the full buffer, as storage serves the stored file; counts the bytes it hands out. */
function storage(file: Buffer): ReadRange & { bytes: number } {
  const read = Object.assign(
    (offset: number, length: number) => {
      const out = Buffer.from(file.subarray(offset, offset + length));
      read.bytes += out.length;
      return Promise.resolve(out);
    },
    { bytes: 0 },
  );
  return read;
}

// ---- Fixtures, built from real encoders or by hand from the format specs ----

const solid = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } });

function isoBox(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}

/** An ISO-BMFF file: `ftyp` with the given brands, then an `mdat` so it outlasts the early sample. */
const isoFile = (major: string, ...compatible: string[]) =>
  Buffer.concat([
    isoBox('ftyp', Buffer.from(`${major}\0\0\x02\0${compatible.join('')}`, 'latin1')),
    isoBox('mdat', Buffer.alloc(6000, 7)),
  ]);

/** An element with a one-byte size (bodies under 127 bytes). */
const ebmlElement = (id: number[], body: Buffer) =>
  Buffer.concat([Buffer.from(id), Buffer.from([0x80 | body.length]), body]);

/** An EBML header with the given DocType, then a Segment of unknown size holding a Void element. */
function ebmlFile(docType: string): Buffer {
  const header = Buffer.concat([
    ebmlElement([0x42, 0x86], Buffer.from([1])),
    ebmlElement([0x42, 0xf7], Buffer.from([1])),
    ebmlElement([0x42, 0xf2], Buffer.from([4])),
    ebmlElement([0x42, 0xf3], Buffer.from([8])),
    ebmlElement([0x42, 0x82], Buffer.from(docType)),
    ebmlElement([0x42, 0x87], Buffer.from([4])),
    ebmlElement([0x42, 0x85], Buffer.from([2])),
  ]);
  return Buffer.concat([
    Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x80 | header.length]),
    header,
    Buffer.from([0x18, 0x53, 0x80, 0x67, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
    Buffer.from([0xec, 0x40 | 0x17, 0x70]), // Void, 6000 bytes
    Buffer.alloc(6000),
  ]);
}

const contentTypes = (main: string) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/main.xml" ContentType="${main}"/>
</Types>`;

/** An Office Open XML package: [Content_Types].xml first unless `before` is given. */
function ooxml(main: string, folder: string, before: Zippable = {}): Buffer {
  return Buffer.from(
    zipSync({
      ...before,
      '[Content_Types].xml': strToU8(contentTypes(main)),
      '_rels/.rels': strToU8('<Relationships/>'),
      [`${folder}/main.xml`]: strToU8('<x/>'.repeat(2000)),
    }),
  );
}

const DOCX_MAIN = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';
const PPTX_MAIN = 'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml';
const XLSX_MAIN = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml';

function compoundFile(streams: Record<string, Buffer>): Buffer {
  const container = CFB.utils.cfb_new();
  for (const [path, content] of Object.entries(streams)) CFB.utils.cfb_add(container, path, content);
  return CFB.write(container, { type: 'buffer' }) as Buffer;
}

/** Bytes that compress badly, so a zip entry stays as large as asked. */
function noise(length: number): Buffer {
  const out = Buffer.alloc(length);
  let x = 0x9e3779b9;
  for (let i = 0; i < length; i += 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** A JPEG whose frame header comes after `count` maximal APP15 segments. */
async function jpegWithLargeAppSegments(count: number): Promise<Buffer> {
  const jpeg = await solid(64, 48).jpeg().toBuffer();
  const segment = Buffer.alloc(2 + 65535);
  segment.writeUInt16BE(0xffef, 0);
  segment.writeUInt16BE(65535, 2);
  return Buffer.concat([jpeg.subarray(0, 2), ...Array.from({ length: count }, () => segment), jpeg.subarray(2)]);
}

const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const PPTX_MIME = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const pdf = () => Buffer.from('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n');
const doc = () => compoundFile({ WordDocument: Buffer.alloc(9000, 1), '1Table': Buffer.alloc(700, 2) });
const ppt = () => compoundFile({ 'PowerPoint Document': Buffer.alloc(9000, 1), 'Current User': Buffer.alloc(60) });
const xls = () => compoundFile({ Workbook: Buffer.alloc(9000, 1) });
const xlsEmbeddingDoc = () =>
  compoundFile({ Workbook: Buffer.alloc(9000, 1), 'MBD0001/WordDocument': Buffer.alloc(9000) });
/** MSI and other OLE files have root streams with mangled names. */
const msiLike = () => compoundFile({ '\u4840\u3f3f\u4577': Buffer.alloc(9000, 1) });
const plainZip = () => Buffer.from(zipSync({ 'notes.txt': strToU8('hello '.repeat(2000)) }));
const largePng = (side: number) =>
  sharp(noise(side * side * 3), { raw: { width: side, height: side, channels: 3 } }).png().toBuffer();

const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(6000)]);
const mz = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(6000)]);
const rar = Buffer.concat([Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1'), Buffer.alloc(6000)]);
const sevenZip = Buffer.concat([Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]), Buffer.alloc(6000)]);
const html = Buffer.from(`<!doctype html><html><body>${'<p>hi</p>'.repeat(600)}</body></html>`);
const svg = Buffer.from(
  `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">${'<rect width="1" height="1"/>'.repeat(200)}</svg>`,
);
const bareSvg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>');
const text = Buffer.from('just some notes\n'.repeat(400));

// ---- Behaviour ----

describe('TypeSniffer.finish accepts the allowed types', () => {
  it.each([
    ['JPEG', () => solid(64, 48).jpeg().toBuffer(), 'image/jpeg', 'jpg', 64],
    ['PNG', () => solid(64, 48).png().toBuffer(), 'image/png', 'png', 64],
    ['GIF', () => solid(64, 48).gif().toBuffer(), 'image/gif', 'gif', 64],
    ['WebP', () => solid(64, 48).webp().toBuffer(), 'image/webp', 'webp', 64],
    ['a PNG far larger than the early sample', () => largePng(300), 'image/png', 'png', 300],
  ])('%s', async (_name, make, mimeType, ext, width) => {
    const { finish, earlyError } = await sniff(await make());
    expect(earlyError).toBeUndefined();
    await expect(finish()).resolves.toEqual({
      detected: { mimeType, ext, type: 'image' },
      picture: { width, height: width === 64 ? 48 : width },
    });
  });

  it('swaps width and height for EXIF orientation 6', async () => {
    const jpeg = await solid(64, 48).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const { finish } = await sniff(jpeg);
    await expect(finish()).resolves.toMatchObject({ picture: { width: 48, height: 64 } });
  });

  it.each([
    ['MP4 (ftyp isom)', () => isoFile('isom', 'isom', 'iso2', 'mp41'), 'video/mp4', 'mp4'],
    ['MP4 (ftyp mp42)', () => isoFile('mp42', 'mp42', 'isom'), 'video/mp4', 'mp4'],
    ['MOV (ftyp qt)', () => isoFile('qt  ', 'qt  '), 'video/quicktime', 'mov'],
    ['WebM', () => ebmlFile('webm'), 'video/webm', 'webm'],
  ])('%s', async (_name, make, mimeType, ext) => {
    const { finish, earlyError } = await sniff(make());
    expect(earlyError).toBeUndefined();
    await expect(finish()).resolves.toEqual({ detected: { mimeType, ext, type: 'video' }, picture: null });
  });

  it.each([
    ['PDF', pdf, 'application/pdf', 'pdf'],
    ['DOCX', () => ooxml(DOCX_MAIN, 'word'), DOCX_MIME, 'docx'],
    ['PPTX', () => ooxml(PPTX_MAIN, 'ppt'), PPTX_MIME, 'pptx'],
    ['DOC', doc, 'application/msword', 'doc'],
    ['PPT', ppt, 'application/vnd.ms-powerpoint', 'ppt'],
  ])('%s', async (_name, make, mimeType, ext) => {
    const { finish, earlyError } = await sniff(make());
    expect(earlyError).toBeUndefined();
    await expect(finish()).resolves.toEqual({ detected: { mimeType, ext, type: 'document' }, picture: null });
  });
});

describe('TypeSniffer refuses everything else', () => {
  const allowedList = 'Allowed: JPEG, PNG, GIF, WebP, MP4, MOV, WebM, PDF, DOC, DOCX, PPT, PPTX.';

  it.each([
    ['HTML', html, 'unknown'],
    ['SVG with an XML declaration', svg, 'application/xml'],
    ['SVG without one', bareSvg, 'unknown'],
    ['plain text', text, 'unknown'],
    ['an ELF executable', elf, 'application/x-elf'],
    ['a Windows executable (MZ)', mz, 'application/x-msdownload'],
    ['gzip', gzipSync(noise(8000)), 'application/gzip'],
    ['RAR', rar, 'application/x-rar-compressed'],
    ['7z', sevenZip, 'application/x-7z-compressed'],
    ['M4A (audio-only MP4 brand)', isoFile('M4A ', 'M4A ', 'mp42', 'isom'), 'audio/x-m4a'],
    ['Matroska', ebmlFile('matroska'), 'video/matroska'],
  ])('%s', async (_name, file, label) => {
    const message = `The file type is not allowed (detected: ${label}). ${allowedList}`;
    const { finish, earlyError } = await sniff(file);
    // With at least the early sample in hand, the upload is stopped before it ends.
    if (file.length >= 4100) expect(earlyError).toEqual(new UnsupportedContentError(message));
    const refusal = finish();
    await expect(refusal).rejects.toBeInstanceOf(UnsupportedContentError);
    await expect(refusal).rejects.toThrow(message);
  });

  it.each([
    ['a plain zip', plainZip, 'application/zip'],
    ['XLSX', () => ooxml(XLSX_MAIN, 'xl'), XLSX_MIME],
    ['XLS (OLE with a Workbook stream)', xls, 'application/vnd.ms-excel'],
    ['another OLE file (MSI-like)', msiLike, 'application/x-cfb'],
    ['XLS embedding a Word document', xlsEmbeddingDoc, 'application/vnd.ms-excel'],
  ])('%s', async (_name, make, label) => {
    const { finish, earlyError } = await sniff(make());
    expect(earlyError).toBeUndefined(); // containers are only decided at the end
    await expect(finish()).rejects.toThrow(`(detected: ${label})`);
  });

  it('refuses empty input', async () => {
    const sniffer = new TypeSniffer();
    await expect(sniffer.early()).resolves.toBe('need-more');
    await expect(sniffer.finish(storage(Buffer.alloc(0)), 0, { maxPixels: MAX_PIXELS })).rejects.toThrow(
      new UnsupportedContentError('The file is empty.'),
    );
  });

  it('refuses an OLE file whose FAT loops, without hanging', async () => {
    const file = compoundFile({ WordDocument: Buffer.alloc(9000, 1) });
    // Point the directory sector's FAT entry back at itself.
    const dir = file.readUInt32LE(48);
    const fat = file.readUInt32LE(76);
    file.writeUInt32LE(dir, 512 * (fat + 1) + dir * 4);
    const { finish } = await sniff(file);
    await expect(finish()).rejects.toThrow(/structure is damaged/);
  });

  it('refuses an OLE file whose directory starts beyond its end', async () => {
    const file = compoundFile({ WordDocument: Buffer.alloc(9000, 1) });
    file.writeUInt32LE(0x00ffffff, 48);
    const { finish } = await sniff(file);
    await expect(finish()).rejects.toThrow(/structure is damaged/);
  });
});

describe('TypeSniffer pictures', () => {
  it('refuses a tiny PNG declaring 100000 × 100000 pixels from its header, quickly', async () => {
    const bomb = pngDeclaring(100_000, 100_000);
    expect(bomb.length).toBeLessThan(100);
    const started = performance.now();
    const { finish } = await sniff(bomb);
    const refusal = finish();
    await expect(refusal).rejects.toBeInstanceOf(UnsupportedContentError);
    await expect(refusal).rejects.toThrow(
      'The picture is too large: 100000 × 100000 pixels (10,000,000,000); the limit is 50,000,000 pixels.',
    );
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('counts the limit on the displayed size and accepts a picture exactly at it', async () => {
    const png = pngDeclaring(5000, 10_000);
    const { sniffer, read } = await sniff(png);
    await expect(sniffer.finish(read, png.length, { maxPixels: 50_000_000 })).resolves.toMatchObject({
      picture: { width: 5000, height: 10_000 },
    });
    await expect(sniffer.finish(read, png.length, { maxPixels: 49_999_999 })).rejects.toThrow(/too large/);
  });

  it.each([
    ['an IHDR with a broken checksum', async () => {
      const png = await solid(20, 20).png().toBuffer();
      png[29] = (png[29] ?? 0) ^ 0xff;
      return png;
    }],
    ['a PNG cut inside its header', async () => (await solid(20, 20).png().toBuffer()).subarray(0, 24)],
    ['a JPEG cut after its first bytes', async () => (await solid(20, 20).jpeg().toBuffer()).subarray(0, 40)],
  ])('refuses a damaged picture: %s', async (_name, make) => {
    const { finish } = await sniff(await make());
    await expect(finish()).rejects.toThrow(
      new UnsupportedContentError('The picture could not be read; the file may be damaged or incomplete.'),
    );
  });

  it('reads the stored file when the header lies beyond the prefix (JPEG with large APP segments)', async () => {
    const jpeg = await jpegWithLargeAppSegments(3); // frame header after ~192 KiB
    const { finish, read } = await sniff(jpeg, { prefixBytes: 64 * 1024 });
    await expect(finish()).resolves.toMatchObject({ detected: { ext: 'jpg' }, picture: { width: 64, height: 48 } });
    expect(read.bytes).toBe(jpeg.length);
  });
});

describe('TypeSniffer while streaming', () => {
  it('stops an executable at the chunk that completes the first 4100 bytes', async () => {
    const exe = Buffer.concat([Buffer.from('MZ'), noise(200_000)]);
    const sniffer = new TypeSniffer();
    let pushed = 0;
    const stopped = (async () => {
      for (; pushed < exe.length; pushed += 1000) {
        sniffer.push(exe.subarray(pushed, pushed + 1000));
        await sniffer.early();
      }
    })();
    await expect(stopped).rejects.toThrow(/detected: application\/x-msdownload/);
    // The fifth chunk (bytes 4000–4999) completes the sample; it is the one refused.
    expect(pushed).toBe(4000);
  });

  it('answers need-more below 4100 bytes and ok once an allowed type is seen', async () => {
    const png = await largePng(200);
    const sniffer = new TypeSniffer();
    sniffer.push(png.subarray(0, 4000));
    await expect(sniffer.early()).resolves.toBe('need-more');
    sniffer.push(png.subarray(4000, 5000));
    await expect(sniffer.early()).resolves.toBe('ok');
  });

  it('keeps only the prefix it was given room for', async () => {
    const png = await largePng(400);
    const prefixBytes = 8192;
    const { sniffer, read } = await sniff(png, { prefixBytes });
    expect(png.length).toBeGreaterThan(100_000);
    expect(sniffer.heldBytes).toBe(prefixBytes);
    // The PNG header fits in the prefix: the stored file is not read back.
    await expect(sniffer.finish(read, png.length, { maxPixels: MAX_PIXELS })).resolves.toMatchObject({
      picture: { width: 400, height: 400 },
    });
    expect(read.bytes).toBe(0);
  });

  it('finds a DOCX whose [Content_Types].xml lies beyond the prefix, seeking past the large entry', async () => {
    const docx = ooxml(DOCX_MAIN, 'word', { 'word/media/image1.png': [noise(3 * 1024 * 1024), { level: 0 }] });
    const { finish, read, earlyError } = await sniff(docx, { prefixBytes: 64 * 1024 });
    expect(earlyError).toBeUndefined();
    await expect(finish()).resolves.toMatchObject({ detected: { ext: 'docx', type: 'document' } });
    // Entry headers and [Content_Types].xml, in read-ahead windows; not the 3 MiB picture.
    expect(read.bytes).toBeLessThan(512 * 1024);
  });

  it('still refuses a plain zip whose entries outrun the prefix', async () => {
    const zip = Buffer.from(zipSync({ 'a.bin': [noise(300_000), { level: 0 }], 'b.txt': strToU8('hello') }));
    const { finish } = await sniff(zip, { prefixBytes: 64 * 1024 });
    await expect(finish()).rejects.toThrow('(detected: application/zip)');
  });
});
