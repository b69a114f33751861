/**
 * Bearer-token authentication and role checks for every admin-API route. No token,
 * an unknown token and a revoked token are all 401; a valid token without the
 * route's role is 403.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { StaffRole } from '../db/schema/index.js';
import type { StaffMember, StaffService } from '../staff/staff-service.js';
import type { AddressLimiter } from './address-limiter.js';

declare module 'fastify' {
  interface FastifyRequest {
    staff?: StaffMember;
  }
  interface FastifyContextConfig {
    /** Roles allowed on this route. Every admin route must declare them. */
    roles?: readonly StaffRole[];
  }
}

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    /** Seconds, sent as Retry-After (429). */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/**
 * `failures`: requests without a valid token, limited per address (the per-token
 * limit runs after this hook and counts only authenticated requests).
 */
export function installAuth(app: FastifyInstance, staff: StaffService, failures: AddressLimiter) {
  app.addHook('onRequest', async (req: FastifyRequest) => {
    const wait = failures.blockedFor(req.ip);
    if (wait) throw new HttpError(429, `too many requests without a valid token from this address: retry in ${wait} s`, wait);
    const header = req.headers.authorization;
    const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!m) {
      failures.fail(req.ip);
      throw new HttpError(401, 'missing bearer token: send "Authorization: Bearer <token>"');
    }
    const member = await staff.authenticate(m[1]!);
    if (!member) {
      failures.fail(req.ip);
      throw new HttpError(401, 'invalid or revoked token');
    }
    const roles = req.routeOptions.config.roles;
    // A route without declared roles is a programming error: refuse rather than allow.
    if (!roles?.includes(member.role)) throw new HttpError(403, `this needs the role ${roles?.join(' or ') ?? '(none declared)'}`);
    req.staff = member;
  });
}

/** The authenticated staff member (routes run only after the hook above). */
export function actorOf(req: FastifyRequest): StaffMember {
  if (!req.staff) throw new HttpError(401, 'not authenticated');
  return req.staff;
}
