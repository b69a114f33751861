import { z } from 'zod';

/** Every error response: one human-readable message, never internals. */
export const errorSchema = z.object({ error: z.string() });
