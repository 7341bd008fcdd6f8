import { createHmac, timingSafeEqual } from 'node:crypto';
import type { UserIdentity } from '../contracts/api.ts';
import type { Audience } from '../articles/types.ts';
import { DeflectError } from '../errors.ts';
import { audiencesOf } from '../articles/visibility.ts';

export class IdentityError extends DeflectError {
  override name = 'IdentityError';
  constructor(message: string) {
    super('identity_invalid', message);
  }
}

export interface Asker {
  /** The identity as sent; `verified` only when its hash matched. */
  user?: UserIdentity & { verified: boolean };
  /** What this asker may see. */
  audiences: Audience[];
}

/**
 * Widget identity verification, as Intercom and Zendesk do it: the host
 * site's server computes hash = HMAC-SHA256(secret, user.id) and the widget
 * passes it along. A verified user may see internal articles; anyone else is
 * anonymous. When verification is required, an unverifiable user is refused.
 */
export function verifyUser(user: UserIdentity | undefined, options: { secret?: string; required: boolean }): Asker {
  if (!user || (!user.id && !user.email && !user.name)) {
    if (options.required && user) throw new IdentityError('a user id and its hash are required');
    return { audiences: audiencesOf({ staff: false }) };
  }
  const { hash, attributes, attributesHash, ...rest } = user;
  const verified = !!(options.secret && user.id && hash && hashMatches(options.secret, user.id, hash));
  if (options.required && !verified)
    throw new IdentityError('the user could not be verified: hash must be HMAC-SHA256(secret, id), hex');
  // Attributes decide priority and SLA: only the host site may state them, so they count only when signed too.
  const signed =
    verified &&
    attributes &&
    attributesHash &&
    hashMatches(options.secret!, attributesMessage(user.id!, attributes), attributesHash);
  return {
    user: { ...rest, verified, ...(signed ? { attributes: { ...attributes } } : {}) },
    audiences: audiencesOf({ staff: verified }),
  };
}

/** What the attributes hash signs: the user id, then each attribute as `key=value`, keys sorted, one per line. */
export function attributesMessage(id: string, attributes: Record<string, string>): string {
  const lines = Object.keys(attributes)
    .sort()
    .map((k) => `${k}=${attributes[k]}`);
  return [id, ...lines].join('\n');
}

/** The hash a host site must send for a user id. */
export function identityHash(secret: string, id: string): string {
  return createHmac('sha256', secret).update(id).digest('hex');
}

function hashMatches(secret: string, id: string, hash: string): boolean {
  const expected = Buffer.from(identityHash(secret, id), 'hex');
  const given = Buffer.from(hash.toLowerCase(), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
