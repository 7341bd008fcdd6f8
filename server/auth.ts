import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { AccessConfig, Role } from '../core/config/access.ts';
import { ForbiddenError, UnauthorizedError } from '../core/errors.ts';
import { log } from '../core/logger.ts';

/** What each role may do, by rank: a lead may do what an agent does, an admin what a lead does. */
const RANK: Record<Role, number> = { agent: 1, lead: 2, admin: 3 };

/**
 * API keys from DEFLECT_API_KEYS, sent as `Authorization: Bearer KEY`.
 * No key or an unknown key → 401; a known key whose role ranks too low → 403.
 * Keys are compared as SHA-256 digests with timingSafeEqual, against every
 * configured key, so the time taken says nothing about how much of a key matched.
 *
 * Local mode: with no keys configured at all, `npm install && npm start` must
 * still show a working dashboard, so a request made from this machine — a
 * loopback socket and no proxy header (a reverse proxy on the same host would
 * otherwise make every visitor local) — gets the admin role. Anything else
 * gets 401 with the hint to set DEFLECT_API_KEYS. Setting one key ends it.
 */
export function authenticator(access: AccessConfig) {
  const keys = access.apiKeys.map((k) => ({ role: k.role, digest: digest(k.key) }));
  const localMode = keys.length === 0;
  if (localMode)
    log.warn(
      'access',
      'DEFLECT_API_KEYS is not set: the agent, lead and admin routes are open to requests from this machine only (local mode); set keys before exposing them',
    );
  const roleOf = (req: Request): Role | null => {
    if (localMode) return isLocalRequest(req) ? 'admin' : null;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    if (!match) return null;
    const given = digest(match[1]!);
    let role: Role | null = null;
    for (const k of keys) if (timingSafeEqual(k.digest, given) && (!role || RANK[k.role] > RANK[role])) role = k.role;
    return role;
  };
  const requireRole = (min: Role): RequestHandler => {
    return (req, res, next) => {
      const role = roleOf(req);
      if (!role) {
        res.set('WWW-Authenticate', 'Bearer realm="deflect"');
        return next(
          new UnauthorizedError(
            localMode
              ? 'No API keys are configured: set DEFLECT_API_KEYS (until then only this machine may use these routes)'
              : 'Send a valid API key as "Authorization: Bearer KEY"',
          ),
        );
      }
      if (RANK[role] < RANK[min])
        return next(
          new ForbiddenError(`This needs the ${min} role; the key given has the ${role} role`, { needs: min, role }),
        );
      res.locals.role = role;
      next();
    };
  };
  /** Whether this request needs a key at all (the dashboard asks before showing its key form). */
  const keyRequired = (req: Request): boolean => !(localMode && isLocalRequest(req));
  return Object.assign(requireRole, { keyRequired });
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip'];

/** Made on this machine, directly: the socket's peer is loopback and no proxy says it relayed the request. */
export function isLocalRequest(req: Pick<Request, 'socket' | 'headers'>): boolean {
  return LOOPBACK.test(req.socket.remoteAddress ?? '') && !PROXY_HEADERS.some((h) => req.headers[h] !== undefined);
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}
