import type { ErrorRequestHandler, RequestHandler } from 'express';
import { DeflectError } from '../core/errors.ts';
import { log } from '../core/logger.ts';

/** The one place where errors become HTTP responses. */
const STATUS: Record<string, number> = {
  invalid_request: 400,
  invalid_json: 400,
  unauthorized: 401,
  identity_invalid: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  ticket_changed: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  index_mismatch: 500,
  unavailable: 503,
  idempotency_key_reused: 422,
};

/** The HTTP status of an error code (pages that render their own errors use it too). */
export function statusOf(code: string): number {
  return STATUS[code] ?? 500;
}

export const onError: ErrorRequestHandler = (err, req, res, _next) => {
  if (res.headersSent) return;
  // body-parser's own errors carry a status and a type; map them to our codes.
  const e = err as { type?: string; status?: number; message?: string };
  if (e.type === 'entity.parse.failed') return send(res, 400, 'invalid_json', 'The request body is not valid JSON');
  if (e.type === 'entity.too.large') return send(res, 413, 'payload_too_large', 'The request body is too large');
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported')
    return send(res, 415, 'unsupported_media_type', 'Send the body as UTF-8 JSON');
  if (err instanceof DeflectError) {
    const status = STATUS[err.code] ?? 500;
    if (status >= 500) log.error('http', err.message, { code: err.code, path: req.path });
    return send(
      res,
      status,
      err.code,
      status >= 500 && err.code !== 'unavailable' ? 'Internal error' : err.message,
      err.details,
    );
  }
  // Unknown errors never leak internals to the client.
  log.error('http', 'unhandled error', {
    path: req.path,
    error: err as Error,
    stack: (err as Error)?.stack?.split('\n').slice(0, 5),
  });
  return send(res, 500, 'internal', 'Internal error');
};

export const notFound: RequestHandler = (req, res) => {
  send(res, 404, 'not_found', `No route for ${req.method} ${req.path}`);
};

/** Reject non-JSON bodies on POST/PATCH before parsing. */
export const requireJson: RequestHandler = (req, res, next) => {
  if ((req.method === 'POST' || req.method === 'PATCH' || req.method === 'PUT') && !req.is('application/json')) {
    return send(res, 415, 'unsupported_media_type', 'Send the body as application/json');
  }
  next();
};

function send(
  res: Parameters<RequestHandler>[1],
  status: number,
  code: string,
  message: string,
  details?: unknown,
): void {
  res.status(status).json({ error: { code, message, ...(details !== undefined ? { details } : {}) } });
}
