/** `/api/flows`: the flows as Mermaid diagrams, for lawyers reviewing content in the console. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { STAFF_ROLES } from '../../db/schema/index.js';
import type { FlowSet } from '../../flow-engine/loader.js';
import { flowToMermaid } from '../../flow-engine/mermaid.js';
import { errorSchema } from '../schemas.js';

export const flowRoutes =
  ({ flows }: { flows: FlowSet }): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/flows',
      {
        config: { roles: STAFF_ROLES },
        schema: {
          summary: 'Every flow with its Mermaid diagram',
          tags: ['flows'],
          response: {
            200: z.array(z.object({ id: z.string(), title: z.string(), version: z.number(), nodes: z.number(), reviewedOn: z.array(z.string()), mermaid: z.string() })),
            401: errorSchema,
            403: errorSchema,
          },
        },
      },
      async () =>
        flows.list.map((f) => ({
          id: f.id,
          title: f.title,
          version: f.version,
          nodes: Object.keys(f.nodes).length,
          reviewedOn: [...new Set(Object.values(f.nodes).flatMap((n) => (n.type === 'outcome' ? [n.reviewed_on] : [])))],
          mermaid: flowToMermaid(f),
        })),
    );
  };
