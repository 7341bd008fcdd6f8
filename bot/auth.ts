import type { Activity } from 'botbuilder';
import { ForbiddenError, UnauthorizedError, UnavailableError } from '../core/errors.ts';

/**
 * Who may post activities to the bot. With an app id, every request needs a
 * Bot Framework token that botbuilder validates; without one (Emulator
 * mode) nothing is authenticated, so the bot only replies to a local serviceUrl.
 */

const ALGORITHMS = ['RS256', 'RS384', 'RS512'];
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Cheap local checks that every genuine Bot Framework token passes, made
 * before botbuilder sees the token: garbage is refused without a trip to
 * fetch signing keys. The signature itself is botbuilder's to check.
 */
export function requireTokenShape(authorization: string | undefined): void {
  const m = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]+)$/.exec(authorization?.trim() ?? '');
  const header = m && decodeSegment(m[1]!);
  const claims = m && decodeSegment(m[2]!);
  const ok =
    !!header &&
    !!claims &&
    ALGORITHMS.includes(String(header.alg)) &&
    typeof header.kid === 'string' &&
    typeof claims.iss === 'string' &&
    !(typeof claims.exp === 'number' && claims.exp * 1000 < Date.now() - CLOCK_SKEW_MS);
  if (!ok) throw new UnauthorizedError('A valid Bot Framework token is required');
}

function decodeSegment(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * botbuilder's verdict as one of our errors. A token it rejects is a 401;
 * failing to fetch the signing keys is ours, not the caller's, so 503.
 */
export function authFailure(error: unknown): Error {
  const e = error as { statusCode?: number; name?: string; code?: string };
  if ((e.statusCode ?? 0) >= 500 || e.name === 'FetchError' || e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND') {
    return new UnavailableError('Bot Framework signing keys could not be fetched', { cause: error });
  }
  return new UnauthorizedError('A valid Bot Framework token is required');
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Unauthenticated mode answers only a local Emulator: otherwise anyone could
 * make the server POST replies to an address of their choosing. Replies
 * returned in the response (expectReplies) go nowhere, so they are allowed.
 */
export function requireLocalServiceUrl(activity: Pick<Activity, 'serviceUrl' | 'deliveryMode'>): void {
  if (activity.deliveryMode === 'expectReplies') return;
  if (!isLocalServiceUrl(activity.serviceUrl))
    throw new ForbiddenError(
      'Without MICROSOFT_APP_ID the bot only replies to a Bot Framework Emulator on this machine (serviceUrl on localhost)',
    );
}

/** Whether a connector address is on this machine: all the unauthenticated bot may post to, in a reply or first. */
export function isLocalServiceUrl(serviceUrl: string | undefined): boolean {
  try {
    return LOOPBACK.has(new URL(serviceUrl ?? '').hostname);
  } catch {
    return false;
  }
}
