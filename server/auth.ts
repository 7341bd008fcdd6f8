import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { AccessConfig, Role } from '../core/config/access.ts';
import { ForbiddenError, UnauthorizedError } from '../core/errors.ts';

/** What each role may do, by rank: a lead may do what an agent does, an admin what a lead does. */
const RANK: Record<Role, number> = { agent: 1, lead: 2, admin: 3 };

/**
 * API keys from DEFLECT_API_KEYS, sent as `Authorization: Bearer KEY`.
 * No key or an unknown key → 401; a known key whose role ranks too low → 403.
 * Keys are compared as SHA-256 digests with timingSafeEqual, against every
 * configured key, so the time taken says nothing about how much of a key matched.
 */
export function authenticator(access: AccessConfig) {
  const keys = access.apiKeys.map((k) => ({ role: k.role, digest: digest(k.key) }));
  const roleOf = (header: string | undefined): Role | null => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (!match) return null;
    const given = digest(match[1]!);
    let role: Role | null = null;
    for (const k of keys) if (timingSafeEqual(k.digest, given) && (!role || RANK[k.role] > RANK[role])) role = k.role;
    return role;
  };
  return function requireRole(min: Role): RequestHandler {
    return (req, res, next) => {
      const role = roleOf(req.get('authorization'));
      if (!role) {
        res.set('WWW-Authenticate', 'Bearer realm="deflect"');
        return next(new UnauthorizedError(keys.length ? 'Send a valid API key as "Authorization: Bearer KEY"' : 'No API keys are configured: set DEFLECT_API_KEYS'));
      }
      if (RANK[role] < RANK[min]) return next(new ForbiddenError(`This needs the ${min} role; the key given has the ${role} role`));
      res.locals.role = role;
      next();
    };
  };
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}
