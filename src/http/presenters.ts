import type { Folder, MediaRow } from '../db/schema.js';
import type { FileLinks } from '../services/links.js';

/** `2026-11-26T10:00:00Z`: second precision, as the contract shows. */
export function timestamp(value: string): string {
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function attribution(json: string | null): unknown {
  if (json === null) return null;
  return JSON.parse(json) as unknown;
}

/** The media object of the contract: PostSyncer's fields first, then Intake's additions. */
export function presentMedia(row: MediaRow, links: FileLinks) {
  return {
    id: row.id,
    name: row.name,
    url: links.url(row.id, row.name),
    mime_type: row.mime_type,
    size: Number(row.size),
    is_processing: row.is_processing !== 0,
    type: row.type,
    ai_generated_id: null,
    is_reference: false,
    progress: row.progress,
    alt: row.alt,
    workspace_id: row.workspace_id,
    folder_id: row.folder_id,
    width: row.width,
    height: row.height,
    duration: row.duration,
    // Thumbnails come with the processing pipeline; until then there is none.
    thumbnail_url: null,
    source_url: row.source_url,
    attribution: attribution(row.attribution),
    created_at: timestamp(row.created_at),
  };
}

export function presentFolder(folder: Folder) {
  return {
    id: folder.id,
    workspace_id: folder.workspace_id,
    name: folder.name,
    color: folder.color,
    parent_id: folder.parent_id,
    created_at: timestamp(folder.created_at),
    updated_at: timestamp(folder.updated_at),
  };
}
