import { z } from 'zod';
import type { Services } from '../../app.js';
import { paginate } from '../pagination.js';
import { presentMedia } from '../presenters.js';
import { defineRoute } from '../route.js';
import { idParams, mediaPageSchema, mediaSchema, messageSchema } from '../schemas.js';
import { idField, queryBool, queryInt } from '../validation.js';

const MAX_PER_PAGE = 100;

const listQuery = z
  .object({
    workspace_id: idField.optional(),
    folder_id: idField.optional(),
    root_only: queryBool.optional(),
    page: queryInt.optional(),
    per_page: queryInt.optional(),
  })
  .superRefine((q, ctx) => {
    if (q.root_only === true && q.folder_id !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['root_only'], message: 'The :field field cannot be used together with folder_id.' });
    }
  });

/** Query parameters of the request, as text, to carry into pagination links. */
function carriedQuery(query: z.output<typeof listQuery>): Record<string, string> {
  const out: Record<string, string> = {};
  if (query.workspace_id !== undefined) out.workspace_id = String(query.workspace_id);
  if (query.folder_id !== undefined) out.folder_id = String(query.folder_id);
  if (query.root_only !== undefined) out.root_only = String(query.root_only);
  if (query.per_page !== undefined) out.per_page = String(Math.min(query.per_page, MAX_PER_PAGE));
  return out;
}

export function mediaRoutes(s: Services) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/media',
      summary: 'List media, newest first',
      tag: 'media',
      permission: 'media:read',
      query: listQuery,
      responses: { 200: { description: 'A page of media', schema: mediaPageSchema } },
      handler: async ({ actor, query }) => {
        const page = query.page ?? 1;
        const perPage = Math.min(query.per_page ?? 50, MAX_PER_PAGE);
        const result = await s.media.list(actor, {
          workspaceId: query.workspace_id,
          folderId: query.folder_id,
          rootOnly: query.root_only,
          page,
          perPage,
        });
        const path = `${s.config.publicUrl}/api/v1/media`;
        return {
          data: result.rows.map((row) => presentMedia(row, s.links)),
          ...paginate(path, carriedQuery(query), page, perPage, result.total, result.rows.length),
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/media/:id',
      summary: 'One media item',
      tag: 'media',
      permission: 'media:read',
      params: idParams,
      responses: { 200: { description: 'The media object', schema: mediaSchema }, 404: { description: 'Not found.' } },
      handler: async ({ actor, params }) => presentMedia(await s.media.get(actor, params.id), s.links),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/media/:id',
      summary: 'Delete a media item; its bytes go when no other media uses them',
      tag: 'media',
      permission: 'media:delete',
      params: idParams,
      responses: { 200: { description: 'Deleted', schema: messageSchema }, 404: { description: 'Not found.' } },
      handler: async ({ actor, params }) => {
        await s.media.delete(actor, params.id);
        return { message: 'Media deleted successfully' };
      },
    }),
  ];
}
