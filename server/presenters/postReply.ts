import type { Response } from 'express';

/**
 * A JSON answer to a POST, as `res.json` sends it less its ETag. Express
 * gives every reply an ETag (a SHA-1 of the body, which it first copies into
 * a Buffer); only GET and HEAD use it, to answer 304 to a revalidation, and
 * nothing revalidates a POST. Left a string, the body also leaves in the
 * same write as the headers (Node joins them), not in a second buffer.
 */
export function postReply(res: Response, body: unknown): void {
  const json = JSON.stringify(body);
  res.set('Content-Type', 'application/json; charset=utf-8');
  res.set('Content-Length', String(Buffer.byteLength(json)));
  res.end(json);
}
