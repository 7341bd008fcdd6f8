/**
 * The named errors of Deflect. Each has a stable `code` that clients can rely
 * on; HTTP statuses are chosen in one place (server/errors.ts), not here.
 */
export class DeflectError extends Error {
  override name = 'DeflectError';
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The caller sent something we cannot use (bad field, bad value). */
export class ValidationError extends DeflectError {
  override name = 'ValidationError';
  constructor(message: string, details?: unknown, code = 'invalid_request') {
    super(code, message, details);
  }
}

export class NotFoundError extends DeflectError {
  override name = 'NotFoundError';
  constructor(what: string, id: string) {
    super('not_found', `${what} '${id}' was not found`, { what, id });
  }
}

export class UnauthorizedError extends DeflectError {
  override name = 'UnauthorizedError';
  constructor(message = 'A valid API key is required') {
    super('unauthorized', message);
  }
}

export class ForbiddenError extends DeflectError {
  override name = 'ForbiddenError';
  constructor(message = 'This key may not do that', details?: unknown) {
    super('forbidden', message, details);
  }
}

/** The index on disk was built by another embedder; mixing vectors would give nonsense. */
export class IndexMismatchError extends DeflectError {
  override name = 'IndexMismatchError';
  constructor(message: string) {
    super('index_mismatch', message);
  }
}

/** A dependency (disk, search engine) cannot take the request now; retrying later may work. */
export class UnavailableError extends DeflectError {
  override name = 'UnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('unavailable', message, undefined, options);
  }
}

/** An Idempotency-Key sent again with a different request: the first request's ticket stands. */
export class IdempotencyKeyReusedError extends DeflectError {
  override name = 'IdempotencyKeyReusedError';
  constructor() {
    super(
      'idempotency_key_reused',
      'This Idempotency-Key was used with a different request; use a new key for a new ticket',
    );
  }
}

/**
 * A change made against a version of a ticket that another change has since
 * replaced (optimistic concurrency): refused, so an agent's save never
 * silently undoes a colleague's. `current` is the ticket as it is now, for the
 * caller to show; it is not in `details`, which the transport sends as they are.
 */
export class TicketChangedError<T = unknown> extends DeflectError {
  override name = 'TicketChangedError';
  constructor(
    id: string,
    expected: string,
    readonly current: T,
    details: Record<string, unknown> = {},
  ) {
    super('ticket_changed', `Ticket '${id}' changed since version ${expected}; nothing was saved`, {
      id,
      expected,
      ...details,
    });
  }
}
