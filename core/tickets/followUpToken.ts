import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 bits: well past the 128 a guess must beat, and 43 characters in a URL. */
const TOKEN_BYTES = 32;

/** A new follow-up token and the hash the ticket keeps; the token itself is handed to the customer once. */
export function newFollowUpToken(): { token: string; hash: string } {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  return { token, hash: hashFollowUpToken(token) };
}

export function hashFollowUpToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Whether a presented token is the ticket's: the hashes are compared in
 * constant time, so the time taken says nothing about how much matched. A
 * ticket without a hash (made before follow-up links) matches nothing.
 */
export function followUpTokenMatches(storedHash: string | undefined, token: string | undefined): boolean {
  if (!storedHash || !token) return false;
  const given = Buffer.from(hashFollowUpToken(token), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Where the customer follows a ticket: a server-rendered page (server/routes/followUpPage.ts), relative to PUBLIC_URL. */
export function followUpPath(ticketId: string, token: string): string {
  return `/follow/${encodeURIComponent(ticketId)}/${encodeURIComponent(token)}`;
}
