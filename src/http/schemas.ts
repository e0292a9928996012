import { z } from 'zod';
import { idField } from './validation.js';

/** Response shapes, for `/openapi.json` and for the tests that check bodies against them. */
export const attributionSchema = z
  .object({ author: z.string().nullable(), author_url: z.string().nullable(), source: z.string().nullable(), page_url: z.string().nullable() })
  .nullable();

export const mediaSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  url: z.string(),
  mime_type: z.string(),
  size: z.number().int(),
  is_processing: z.boolean(),
  type: z.enum(['image', 'video', 'document']),
  ai_generated_id: z.null(),
  is_reference: z.literal(false),
  progress: z.number().int(),
  alt: z.string().nullable(),
  workspace_id: z.number().int(),
  folder_id: z.number().int().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  duration: z.number().nullable(),
  thumbnail_url: z.string().nullable(),
  source_url: z.string().nullable(),
  attribution: attributionSchema,
  created_at: z.string(),
});

export const folderSchema = z.object({
  id: z.number().int(),
  workspace_id: z.number().int(),
  name: z.string(),
  color: z.string(),
  parent_id: z.number().int().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

const pageLink = z.object({ url: z.string().nullable(), label: z.string(), active: z.boolean() });

export const mediaPageSchema = z.object({
  data: z.array(mediaSchema),
  links: z.object({ first: z.string(), last: z.string(), prev: z.string().nullable(), next: z.string().nullable() }),
  meta: z.object({
    current_page: z.number().int(),
    from: z.number().int().nullable(),
    to: z.number().int().nullable(),
    last_page: z.number().int(),
    per_page: z.number().int(),
    total: z.number().int(),
    path: z.string(),
    links: z.array(pageLink),
  }),
});

export const messageSchema = z.object({ message: z.string() });

export const idParams = z.object({ id: idField });
