import { z } from 'zod';
import type { Services } from '../../app.js';
import { presentFolder } from '../presenters.js';
import { defineRoute } from '../route.js';
import { folderSchema, idParams, messageSchema } from '../schemas.js';
import { colorField, idField, queryBool } from '../validation.js';

const nameField = z.string().trim().min(1).max(255);

const listQuery = z.object({
  workspace_id: idField.optional(),
  root: queryBool.optional(),
  parent_id: idField.optional(),
});

const createBody = z.object({
  workspace_id: idField,
  name: nameField,
  color: colorField.optional(),
  parent_id: idField.nullable().optional(),
});

const updateBody = z
  .object({
    name: nameField.optional(),
    color: colorField.optional(),
    parent_id: idField.nullable().optional(),
  })
  .refine((b) => b.name !== undefined || b.color !== undefined || b.parent_id !== undefined, {
    path: ['name'],
    message: 'At least one of name, color or parent_id is required.',
  });

export function folderRoutes(s: Services) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/folders',
      summary: "List folders of the caller's workspaces",
      tag: 'folders',
      permission: 'folders:read',
      query: listQuery,
      responses: { 200: { description: 'Bare array of folders', schema: z.array(folderSchema) } },
      handler: async ({ actor, query }) => {
        const folders = await s.folders.list(actor, {
          workspaceId: query.workspace_id,
          rootOnly: query.root,
          parentId: query.parent_id,
        });
        return folders.map(presentFolder);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/folders',
      summary: 'Create a folder',
      tag: 'folders',
      permission: 'folders:write',
      body: createBody,
      status: 201,
      responses: { 201: { description: 'The new folder', schema: folderSchema } },
      handler: async ({ actor, body }) =>
        presentFolder(
          await s.folders.create(actor, {
            workspaceId: body.workspace_id,
            name: body.name,
            color: body.color,
            parentId: body.parent_id,
          }),
        ),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/folders/:id',
      summary: 'One folder with its parent',
      tag: 'folders',
      permission: 'folders:read',
      params: idParams,
      responses: {
        200: { description: 'The folder and `parent`', schema: folderSchema.extend({ parent: folderSchema.nullable() }) },
        404: { description: 'Not found.' },
      },
      handler: async ({ actor, params }) => {
        const { folder, parent } = await s.folders.get(actor, params.id);
        return { ...presentFolder(folder), parent: parent ? presentFolder(parent) : null };
      },
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/folders/:id',
      summary: 'Rename, recolour or move a folder (`parent_id: null` moves it to the root)',
      tag: 'folders',
      permission: 'folders:write',
      params: idParams,
      body: updateBody,
      responses: { 200: { description: 'The changed folder', schema: folderSchema }, 404: { description: 'Not found.' } },
      handler: async ({ actor, params, body }) =>
        presentFolder(await s.folders.update(actor, params.id, { name: body.name, color: body.color, parentId: body.parent_id })),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/folders/:id',
      summary: 'Delete a folder, its subfolders and their media',
      tag: 'folders',
      permission: 'folders:write',
      params: idParams,
      responses: { 200: { description: 'Deleted', schema: messageSchema }, 404: { description: 'Not found.' } },
      handler: async ({ actor, params }) => {
        await s.folders.delete(actor, params.id);
        return { message: 'Folder deleted successfully' };
      },
    }),
  ];
}
