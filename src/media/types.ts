import type { MediaType } from '../db/schema.js';

/** What the bytes are, decided from the bytes alone. */
export interface DetectedType {
  readonly mimeType: string;
  /** File extension without the dot, matching `mimeType` (`jpg`, `png`, `docx`, …). */
  readonly ext: string;
  readonly type: MediaType;
}

export interface PictureInfo {
  /** Orientation-corrected (EXIF orientations 5–8 swap width and height). */
  readonly width: number;
  readonly height: number;
}

/** Reads `length` bytes at `offset` of the stored object (fewer at its end). */
export type ReadRange = (offset: number, length: number) => Promise<Buffer>;

/** The reason bytes are refused; the message is shown to the user. */
export class UnsupportedContentError extends Error {
  override readonly name = 'UnsupportedContentError';
}

/** Who made a piece of media, where the source names them (stock photos require credit). */
export interface Attribution {
  readonly author: string | null;
  readonly author_url: string | null;
  readonly source: string | null;
  readonly page_url: string | null;
}
