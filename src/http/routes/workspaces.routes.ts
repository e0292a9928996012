import { z } from 'zod';
import type { Services } from '../../app.js';
import { defineRoute } from '../route.js';

const workspaceSchema = z.object({ id: z.number().int(), name: z.string(), role: z.enum(['owner', 'admin', 'editor', 'viewer']) });

export function workspaceRoutes(s: Services) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/workspaces',
      summary: "List the caller's workspaces with their role in each",
      tag: 'workspaces',
      permission: 'workspaces:read',
      responses: { 200: { description: 'Bare array of workspaces', schema: z.array(workspaceSchema) } },
      handler: ({ actor }) => s.directory.workspacesOf(actor.userId),
    }),
  ];
}
