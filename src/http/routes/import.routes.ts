import { z } from 'zod';
import type { Services } from '../../app.js';
import type { MediaRow } from '../../db/schema.js';
import { IdempotencyService } from '../../services/idempotency.service.js';
import type { Skipped } from '../../services/import.service.js';
import { presentMedia } from '../presenters.js';
import { defineRoute } from '../route.js';
import { mediaSchema } from '../schemas.js';
import { idField } from '../validation.js';

export const MAX_URLS = 50;

const importBody = z.object({
  workspace_id: idField,
  urls: z.array(z.string(), { error: (issue) => (issue.input === undefined ? undefined : 'The :field field must be an array.') }).min(1).max(MAX_URLS),
  folder_id: idField.nullable().optional(),
});

const skippedSchema = z.object({
  url: z.string(),
  code: z.string(),
  message: z.string(),
  item_url: z.string().optional(),
});

const importResponse = z.object({ media: z.array(mediaSchema), count_stored: z.number().int(), skipped: z.array(skippedSchema) });

/** What an idempotent replay needs: the rows are read again, so links are fresh and deleted media are gone. */
interface SavedImport {
  readonly media_ids: number[];
  readonly skipped: Skipped[];
}

export function importRoutes(s: Services) {
  const answer = (media: MediaRow[], skipped: readonly Skipped[]) => ({
    media: media.map((row) => presentMedia(row, s.links)),
    count_stored: media.length,
    skipped,
  });

  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/media/upload/url',
      summary: 'Import media from URLs: direct links, and pages or posts resolved to the media they show',
      tag: 'media',
      permission: 'media:create',
      body: importBody,
      responses: {
        200: { description: 'The media stored, in the order of `urls`, and one `skipped` entry per URL or item that produced nothing', schema: importResponse },
        409: { description: '`Idempotency-Key` reused for a different request, or still in progress' },
      },
      handler: async ({ actor, body, request, reply }) => {
        const folderId = body.folder_id ?? null;
        await s.media.requireWritableTarget(actor, body.workspace_id, folderId);
        const header = request.headers['idempotency-key'];
        const key = typeof header === 'string' ? IdempotencyService.checkKey(header) : null;
        if (key) {
          const hash = IdempotencyService.hash({ workspace_id: body.workspace_id, folder_id: folderId, urls: body.urls });
          const start = await s.idempotency.start<SavedImport>(actor.userId, key, hash);
          if (start.kind === 'replay') {
            reply.header('Idempotent-Replayed', 'true');
            return answer(await s.media.findInOrder(start.saved.media_ids), start.saved.skipped);
          }
        }
        try {
          const result = await s.importer.import({ workspaceId: body.workspace_id, folderId, urls: body.urls });
          s.metrics.mediaStored.inc({ via: 'url' }, result.media.length);
          s.metrics.bytesStored.inc(result.media.reduce((sum, row) => sum + Number(row.size), 0));
          for (const skip of result.skipped) s.metrics.importSkipped.inc({ code: skip.code });
          if (key) await s.idempotency.finish(actor.userId, key, { media_ids: result.media.map((m) => m.id), skipped: result.skipped } satisfies SavedImport);
          return answer(result.media, result.skipped);
        } catch (error) {
          if (key) await s.idempotency.abandon(actor.userId, key);
          throw error;
        }
      },
    }),
  ];
}
