import { z } from 'zod';

/** Every error response: one human-readable message, never internals. */
export const errorSchema = z.object({ error: z.string() });

/** The error responses every route may give (401/403: auth, 429: rate limit). */
export const errorResponses = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 429: errorSchema };
/** The same, for routes that can conflict with the record's state. */
export const errorResponsesWithConflict = { ...errorResponses, 409: errorSchema };

/** `:id` in a path: a positive safe integer. */
export const idParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
