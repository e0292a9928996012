import { fileTypeFromBlob, fileTypeFromBuffer, type FileTypeResult } from 'file-type';
import { createRequire } from 'node:module';
import type Sharp from 'sharp';
import { listCfbRootEntries } from './cfb.js';
import { UnsupportedContentError, type DetectedType, type PictureInfo, type ReadRange } from './types.js';

// sharp (libvips) is loaded on the first picture: a process that only ever sees videos and
// documents does not pay its memory.
const require = createRequire(import.meta.url);
let sharpModule: typeof Sharp | undefined;
function loadSharp(): typeof Sharp {
  return (sharpModule ??= require('sharp') as typeof Sharp);
}

/** file-type's own sample size: most signatures are decided within it. */
export const EARLY_SAMPLE_BYTES = 4100;
const DEFAULT_PREFIX_BYTES = 1024 * 1024;
/** How much of a stored picture sharp may see when the prefix did not hold its header. */
const PICTURE_RETRY_BYTES = 16 * 1024 * 1024;
/** Read-ahead for the ZIP scan over stored bytes: one request per local header would be slow on object storage. */
const RANGE_WINDOW_BYTES = 64 * 1024;

const ALLOWED_NAMES = 'JPEG, PNG, GIF, WebP, MP4, MOV, WebM, PDF, DOC, DOCX, PPT, PPTX';

const JPEG: DetectedType = { mimeType: 'image/jpeg', ext: 'jpg', type: 'image' };
const PNG: DetectedType = { mimeType: 'image/png', ext: 'png', type: 'image' };
const GIF: DetectedType = { mimeType: 'image/gif', ext: 'gif', type: 'image' };
const WEBP: DetectedType = { mimeType: 'image/webp', ext: 'webp', type: 'image' };
const MP4: DetectedType = { mimeType: 'video/mp4', ext: 'mp4', type: 'video' };
const MOV: DetectedType = { mimeType: 'video/quicktime', ext: 'mov', type: 'video' };
const WEBM: DetectedType = { mimeType: 'video/webm', ext: 'webm', type: 'video' };
const PDF: DetectedType = { mimeType: 'application/pdf', ext: 'pdf', type: 'document' };
const DOC: DetectedType = { mimeType: 'application/msword', ext: 'doc', type: 'document' };
const PPT: DetectedType = { mimeType: 'application/vnd.ms-powerpoint', ext: 'ppt', type: 'document' };
const DOCX: DetectedType = {
  mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  ext: 'docx',
  type: 'document',
};
const PPTX: DetectedType = {
  mimeType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  ext: 'pptx',
  type: 'document',
};

/**
 * Keyed by file-type's `ext`, not its `mime`: file-type calls M4P (protected audio) and F4V/F4P
 * `video/mp4`, and those must stay out. Every ISO-BMFF brand it does not know is `mp4`.
 */
const ALLOWED = new Map<string, DetectedType>([
  ['jpg', JPEG],
  ['png', PNG],
  // An animated PNG is a PNG (viewers without APNG support show its first frame).
  ['apng', PNG],
  ['gif', GIF],
  ['webp', WEBP],
  ['mp4', MP4],
  // Apple's MP4 video brand; the same container and codecs as MP4.
  ['m4v', MP4],
  ['mov', MOV],
  ['webm', WEBM],
  ['pdf', PDF],
  ['docx', DOCX],
  ['pptx', PPTX],
]);

type Detection = { ok: true; type: FileTypeResult | undefined } | { ok: false; error: unknown };

export interface TypeSnifferOptions {
  /** How many leading bytes are kept for detection; default 1 MiB. */
  readonly prefixBytes?: number;
}

export interface SniffResult {
  readonly detected: DetectedType;
  /** Set for pictures only. */
  readonly picture: PictureInfo | null;
}

/**
 * Decides what an upload is from its bytes while it streams: `push` every chunk, call `early`
 * after each to stop a hopeless upload soon, then `finish` once the bytes are stored.
 * Holds at most the first `prefixBytes` bytes; anything further is read back through `ReadRange`.
 */
export class TypeSniffer {
  private readonly limit: number;
  private chunks: Buffer[] = [];
  private held = 0;
  private earlyRun: Promise<Detection> | undefined;
  private earlyResult: Detection | undefined;
  private earlyLength = 0;

  constructor(options: TypeSnifferOptions = {}) {
    this.limit = Math.max(EARLY_SAMPLE_BYTES, options.prefixBytes ?? DEFAULT_PREFIX_BYTES);
  }

  /** Bytes held for detection: never more than `prefixBytes`. */
  get heldBytes(): number {
    return this.held;
  }

  push(chunk: Buffer): void {
    const room = this.limit - this.held;
    if (room <= 0 || chunk.length === 0) return;
    // Copy, so a large chunk is not kept alive for the few bytes we need from it.
    const kept = Buffer.from(chunk.subarray(0, room));
    this.chunks.push(kept);
    this.held += kept.length;
  }

  /**
   * Resolves once the first `EARLY_SAMPLE_BYTES` (or fewer, at the end of a short stream) rule
   * nothing out, and rejects with `UnsupportedContentError` when they show a type that can never
   * be allowed. Before the sample is complete it resolves at once; detection runs once. A stream
   * transform awaits it per chunk, so a refusal stops the upload at the chunk that decided it.
   * ZIP and OLE containers pass: only `finish` can tell a DOCX from a plain zip.
   */
  async early(): Promise<'need-more' | 'ok'> {
    if (!this.earlyRun) {
      if (this.held < EARLY_SAMPLE_BYTES) return 'need-more';
      const prefix = this.prefix();
      this.earlyLength = prefix.length;
      this.earlyRun = detect(prefix);
    }
    const result = (this.earlyResult ??= await this.earlyRun);
    if (!result.ok) return 'ok'; // A detector failure is not a verdict; `finish` decides.
    if (isUndecided(result.type) || ALLOWED.has(result.type?.ext ?? '')) return 'ok';
    throw notAllowed(result.type?.mime);
  }

  /** Decides the type of the complete upload of `totalSize` bytes, stored where `readRange` reads. */
  async finish(readRange: ReadRange, totalSize: number, opts: { maxPixels: number }): Promise<SniffResult> {
    const prefix = this.prefix();
    if (totalSize === 0 || prefix.length === 0) throw new UnsupportedContentError('The file is empty.');
    const complete = prefix.length >= totalSize;
    const read = preferPrefix(prefix, readRange);

    const early = this.earlyRun && this.earlyLength === prefix.length ? await this.earlyRun : undefined;
    let type = unwrap(early ?? (await detect(prefix)));
    // A truncated ZIP reads as plain `zip` when [Content_Types].xml lies beyond the prefix
    // (typically after a large picture): look again at the whole stored file.
    if (type?.ext === 'zip' && !complete) type = await detectStored(read, totalSize);

    const detected = type?.ext === 'cfb' ? await classifyCfb(read, totalSize) : allowed(type);
    const picture =
      detected.type === 'image' ? await readPicture(prefix, complete, readRange, totalSize, opts.maxPixels) : null;
    return { detected, picture };
  }

  private prefix(): Buffer {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks, this.held)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }
}

function notAllowed(mime: string | undefined): UnsupportedContentError {
  return new UnsupportedContentError(
    `The file type is not allowed (detected: ${mime ?? 'unknown'}). Allowed: ${ALLOWED_NAMES}.`,
  );
}

function isUndecided(type: FileTypeResult | undefined): boolean {
  return type?.ext === 'zip' || type?.ext === 'cfb';
}

function allowed(type: FileTypeResult | undefined): DetectedType {
  const detected = ALLOWED.get(type?.ext ?? '');
  if (!detected) throw notAllowed(type?.mime);
  return detected;
}

/** Never rejects, so a background run cannot become an unhandled rejection. */
async function detect(bytes: Buffer): Promise<Detection> {
  try {
    return { ok: true, type: await fileTypeFromBuffer(bytes) };
  } catch (error) {
    return { ok: false, error };
  }
}

/** file-type throws only on input its parsers choke on: that is unreadable content, not a bug here. */
function unwrap(detection: Detection): FileTypeResult | undefined {
  if (detection.ok) return detection.type;
  throw new UnsupportedContentError('The file type could not be identified.', { cause: detection.error });
}

/**
 * Detects over the stored file through file-type's Blob reader. Its stream reader does not know
 * the size and then refuses to skip a ZIP entry over 1 MiB, so a DOCX that starts with a large
 * picture would read as `zip`; the Blob reader knows the size and seeks, reading only entry
 * headers plus [Content_Types].xml (≤ 1 MiB). strtok3's BlobTokenizer uses nothing of the Blob
 * but `size`, `type` and `slice(start, end).arrayBuffer()`, which this object provides.
 */
async function detectStored(read: ReadRange, size: number): Promise<FileTypeResult | undefined> {
  let storageError: { error: unknown } | undefined;
  let window: { offset: number; bytes: Buffer } | undefined;
  const readAt = async (start: number, end: number): Promise<ArrayBuffer> => {
    try {
      if (!window || start < window.offset || end > window.offset + window.bytes.length) {
        const length = Math.max(end - start, Math.min(RANGE_WINDOW_BYTES, size - start));
        window = { offset: start, bytes: await read(start, length) };
      }
      // A fresh ArrayBuffer: the tokenizer must not see (or detach) a pooled Buffer's memory.
      return new Uint8Array(window.bytes.subarray(start - window.offset, end - window.offset)).buffer;
    } catch (error) {
      storageError = { error };
      throw error;
    }
  };
  const blob = {
    size,
    type: '',
    slice: (start = 0, end = size) => ({ arrayBuffer: () => readAt(start, end) }),
  };
  try {
    return await fileTypeFromBlob(blob as unknown as Blob);
  } catch (error) {
    if (storageError) throw storageError.error;
    throw new UnsupportedContentError('The file type could not be identified.', { cause: error });
  }
}

/** Serves reads inside the held prefix from memory. */
function preferPrefix(prefix: Buffer, readRange: ReadRange): ReadRange {
  return async (offset, length) =>
    offset + length <= prefix.length ? prefix.subarray(offset, offset + length) : readRange(offset, length);
}

async function classifyCfb(read: ReadRange, size: number): Promise<DetectedType> {
  const entries = await listCfbRootEntries(read, size);
  const streams = new Set(entries.filter((entry) => entry.kind === 'stream').map((entry) => entry.name));
  if (streams.has('WordDocument')) return DOC;
  if (streams.has('PowerPoint Document')) return PPT;
  // Name a spreadsheet as such: "ms-excel" tells the user more than "x-cfb".
  const isExcel = streams.has('Workbook') || streams.has('Book');
  throw notAllowed(isExcel ? 'application/vnd.ms-excel' : 'application/x-cfb');
}

/**
 * Reads the picture's size from its header only (sharp's `metadata` does not decode pixels), so
 * a small file that declares a huge canvas is refused without allocating it. sharp's own pixel
 * limit is off here: it would refuse before we could say which dimensions were too large.
 */
async function readPicture(
  prefix: Buffer,
  complete: boolean,
  readRange: ReadRange,
  totalSize: number,
  maxPixels: number,
): Promise<PictureInfo> {
  let header = await pictureHeader(prefix);
  // JPEG APP segments (EXIF thumbnails, ICC profiles) can push the frame header past the prefix;
  // libwebp and a still GIF need the whole first frame.
  const retryLength = Math.min(totalSize, PICTURE_RETRY_BYTES);
  if (!header && !complete && retryLength > prefix.length) {
    header = await pictureHeader(await readRange(0, retryLength));
  }
  if (!header) {
    throw new UnsupportedContentError('The picture could not be read; the file may be damaged or incomplete.');
  }
  // EXIF orientations 5–8 rotate by 90°: the picture is shown with width and height swapped.
  const rotated = header.orientation >= 5 && header.orientation <= 8;
  const width = rotated ? header.height : header.width;
  const height = rotated ? header.width : header.height;
  if (width * height > maxPixels) {
    throw new UnsupportedContentError(
      `The picture is too large: ${width} × ${height} pixels (${(width * height).toLocaleString('en-US')}); ` +
        `the limit is ${maxPixels.toLocaleString('en-US')} pixels.`,
    );
  }
  return { width, height };
}

async function pictureHeader(bytes: Buffer): Promise<{ width: number; height: number; orientation: number } | null> {
  try {
    const meta = await loadSharp()(bytes, { limitInputPixels: false }).metadata();
    if (!meta.width || !meta.height) return null;
    return { width: meta.width, height: meta.height, orientation: meta.orientation ?? 1 };
  } catch {
    return null; // sharp rejects bytes it cannot parse; the caller decides what that means.
  }
}
