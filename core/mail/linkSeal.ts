import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The follow-up token is shown once, at creation, and the ticket keeps only
 * its hash. The e-mails after the first (a reply, the satisfaction request)
 * must still carry the customer's link, so the mail sink keeps the token
 * sealed with AES-256-GCM under a key that is not in the ticket: a copy of
 * the tickets alone opens no follow-up page. The ticket id is the associated
 * data, so a sealed token moved to another ticket does not open.
 */
export function sealToken(key: Buffer, ticketId: string, token: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(ticketId, 'utf8'));
  const sealed = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

/** The token sealed for this ticket, or null when it does not open (another key, another ticket, damaged). */
export function openToken(key: Buffer, ticketId: string, sealed: string): string | null {
  try {
    const raw = Buffer.from(sealed, 'base64url');
    if (raw.length <= IV_BYTES + TAG_BYTES) return null;
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(ticketId, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/** MAIL_LINK_SECRET as a 256-bit key; without it, the stored key (core/storage/mailLinkKey.ts). */
export function linkKeyFrom(secret: string | undefined, stored: () => Promise<Buffer>): () => Promise<Buffer> {
  if (!secret) return stored;
  const key = createHash('sha256').update(`deflect mail link\0${secret}`, 'utf8').digest();
  return async () => key;
}
