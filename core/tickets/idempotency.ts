import { createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * How long a ticket's Idempotency-Key is remembered: long past any client's
 * retries (a widget, a script behind a load balancer), short enough that the
 * table of keys stays small. A key is forgotten after this, or with its ticket.
 */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

/**
 * What a store keeps of one Idempotency-Key: hashes, never the key, and the
 * salt the follow-up token was derived with, never the token (the ticket keeps
 * only the token's hash, as for any ticket).
 */
export interface IdempotencyClaim {
  /** SHA-256 of the Idempotency-Key header, hex. */
  key: string;
  /** SHA-256 of the request it came with: the same key with another request is refused. */
  request: string;
  /** Random, hex: the follow-up token is HMAC-SHA256(salt, key), so a replay gives the same token. */
  salt: string;
}

/** A new claim for this key and request (the fields that make the ticket, in a fixed order). */
export function newIdempotencyClaim(idempotencyKey: string, request: unknown[]): IdempotencyClaim {
  return {
    key: sha256(idempotencyKey),
    request: sha256(JSON.stringify(request)),
    salt: randomBytes(32).toString('hex'),
  };
}

/**
 * The ticket's follow-up token under a claim: recomputed on a replay from the
 * key the client sends again, so the client gets the very token the first
 * attempt gave (whose answer it may never have seen), while the stores keep
 * no token. 256 bits, like newFollowUpToken's.
 */
export function followUpTokenOf(idempotencyKey: string, claim: IdempotencyClaim): string {
  return createHmac('sha256', Buffer.from(claim.salt, 'hex')).update(idempotencyKey, 'utf8').digest('base64url');
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
