import type { Multipart } from '@fastify/multipart';
import { z } from 'zod';
import type { Services } from '../../app.js';
import { UnsupportedMediaTypeError, ValidationError } from '../../errors.js';
import type { Actor } from '../../services/access.js';
import { UnsupportedContentError } from '../../media/types.js';
import { IncompleteBodyError, type StagedFile } from '../../services/ingest.service.js';
import { presentMedia } from '../presenters.js';
import { defineRoute } from '../route.js';
import { mediaSchema } from '../schemas.js';
import { idField, parseInput, toFieldErrors } from '../validation.js';

const uploadFields = z.object({
  workspace_id: idField,
  folder_id: idField.optional(),
});

/** For `/openapi.json`: the multipart form as clients send it. */
const uploadForm = z.object({
  workspace_id: z.number().int(),
  file: z.string().meta({ format: 'binary', description: 'The file; its type is detected from the bytes' }),
  folder_id: z.number().int().optional(),
});

/** A file part the body's end cut off: busboy's own error, or the stream ending early. */
function isCutOff(error: unknown): boolean {
  return error instanceof IncompleteBodyError || (error instanceof Error && /terminated early/.test(error.message));
}

export function uploadRoutes(s: Services) {
  /** 422/403 for the target; run as soon as the fields are known, before reading the file if possible. */
  const checkTarget = async (actor: Actor, fields: Record<string, string>) => {
    const parsed = parseInput(uploadFields, fields);
    await s.media.requireWritableTarget(actor, parsed.workspace_id, parsed.folder_id ?? null);
    return parsed;
  };

  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/media/upload/file',
      summary: 'Upload one file (multipart/form-data)',
      tag: 'media',
      permission: 'media:create',
      accepts: 'multipart',
      body: uploadForm,
      status: 201,
      responses: {
        201: { description: 'The stored media', schema: z.object({ media: mediaSchema }) },
        413: { description: 'The file is larger than the limit' },
        415: { description: 'Not multipart/form-data' },
      },
      handler: async ({ actor, request }) => {
        const fields: Record<string, string> = {};
        let staged: StagedFile | null = null;
        let fileName: string | null = null;
        // busboy throws on a multipart Content-Type without a boundary (a 500): it is not multipart/form-data.
        if (!/;\s*boundary\s*=\s*\S/i.test(request.headers['content-type'] ?? '')) {
          throw new UnsupportedMediaTypeError('The request body must be multipart/form-data.');
        }
        try {
          const parts: AsyncIterableIterator<Multipart> = request.parts({
            // busboy's default 16 KB buffers make the request, the parser and our writer wait on
            // each other several times per socket read; 1 MB keeps the disk busy (measured with
            // bench/upload.bench.ts). Memory stays bounded: a few MB per upload in flight.
            highWaterMark: 1024 * 1024,
            fileHwm: 1024 * 1024,
            limits: { files: 1, fields: 20, fieldSize: 4096, fileSize: s.config.maxFileBytes + 1 },
          });
          for await (const part of parts) {
            if (part.type === 'field') {
              // Forms send optional fields empty: an empty folder_id means no folder.
              if (part.fieldname === 'folder_id' && String(part.value).trim() === '') continue;
              fields[part.fieldname] = String(part.value);
              continue;
            }
            if (part.fieldname !== 'file') {
              part.file.resume();
              continue;
            }
            // Refuse before reading the bytes when the client sent the fields first.
            if (fields.workspace_id !== undefined) await checkTarget(actor, fields);
            fileName = part.filename || null;
            try {
              staged = await s.ingest.stage(part.file);
            } catch (error) {
              if (error instanceof UnsupportedContentError) throw ValidationError.field('file', error.message);
              if (isCutOff(error)) throw ValidationError.field('file', 'The file failed to upload.');
              throw error;
            }
          }
          const parsed = uploadFields.safeParse(fields, { reportInput: true });
          const errors = parsed.success ? {} : toFieldErrors(parsed.error.issues);
          if (!staged) errors.file = ['The file field is required.'];
          if (!parsed.success || !staged) throw new ValidationError(errors);
          const target = await checkTarget(actor, fields);
          const media = await s.ingest.commit(staged, {
            workspaceId: target.workspace_id,
            folderId: target.folder_id ?? null,
            nameHint: fileName,
          });
          staged = null;
          s.metrics.mediaStored.inc({ via: 'upload' });
          s.metrics.bytesStored.inc(Number(media.size));
          return { media: presentMedia(media, s.links) };
        } finally {
          if (staged) await s.ingest.discard(staged.tempKey);
        }
      },
    }),
  ];
}
