import type {
  AskRequest,
  AskResponse,
  CreateTicketRequest,
  CreateTicketResponse,
  FeedbackRequest,
  FeedbackResponse,
  Lang,
  MyTicketMessageResponse,
  MyTicketResponse,
  MyTicketsResponse,
  SearchResponse,
  TicketRatingRequest,
  UserIdentity,
} from '../../../core/contracts/api.ts';

/** What opens one of the customer's tickets: its follow-up token, else the verified user it belongs to. */
export interface TicketKey {
  token?: string;
  user?: UserIdentity;
}

const TIMEOUT_MS = 20000;

/** A request that did not produce a usable answer; `kind` picks the message the user sees. */
export class RequestFailed extends Error {
  override name = 'RequestFailed';
  constructor(
    readonly kind: 'network' | 'server',
    readonly status: number,
    readonly code?: string,
    /** Fields the server named as invalid (400 details), e.g. ['email']. */
    readonly fields: string[] = [],
  ) {
    super(`Deflect request failed (${kind} ${status}${code ? ' ' + code : ''})`);
  }
}

export type Client = ReturnType<typeof createClient>;

/** The widget's HTTP client for the server contract in core/contracts/api.ts. */
export function createClient(base: string) {
  return {
    ask: (body: AskRequest) => call<AskResponse>(base, 'POST', '/api/ask', body),
    feedback: (body: FeedbackRequest) => call<FeedbackResponse>(base, 'POST', '/api/feedback', body),
    createTicket: (body: CreateTicketRequest) => call<CreateTicketResponse>(base, 'POST', '/api/tickets', body),
    search: (q: string, lang: Lang, signal: AbortSignal) =>
      call<SearchResponse>(
        base,
        'GET',
        `/api/search?q=${encodeURIComponent(q)}&lang=${lang}&limit=5`,
        undefined,
        signal,
      ),
    myTickets: (user: UserIdentity, lang: Lang) =>
      call<MyTicketsResponse>(base, 'GET', `/api/my/tickets?lang=${lang}`, undefined, undefined, keyHeaders({ user })),
    myTicket: (id: string, key: TicketKey, lang: Lang) =>
      call<MyTicketResponse>(base, 'GET', `${mine(id)}?lang=${lang}`, undefined, undefined, keyHeaders(key)),
    writeMyTicket: (id: string, key: TicketKey, text: string) =>
      call<MyTicketMessageResponse>(base, 'POST', `${mine(id)}/messages`, { text }, undefined, keyHeaders(key)),
    rateMyTicket: (id: string, key: TicketKey, body: TicketRatingRequest) =>
      call<MyTicketResponse>(base, 'POST', `${mine(id)}/rating`, body, undefined, keyHeaders(key)),
  };
}

const mine = (id: string) => `/api/my/tickets/${encodeURIComponent(id)}`;

/** The token as a bearer, else the verified identity in the headers GET /api/my/tickets reads. */
function keyHeaders(key: TicketKey): Record<string, string> {
  if (key.token) return { Authorization: 'Bearer ' + key.token };
  const u = key.user;
  return u && u.id && u.hash ? { 'X-Deflect-User': u.id, 'X-Deflect-User-Hash': u.hash } : {};
}

async function call<T>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  signal?: AbortSignal,
  extra: Record<string, string> = {},
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  if (signal) signal.addEventListener('abort', () => controller.abort());
  let response: Response;
  try {
    response = await fetch(base + path, {
      method,
      headers:
        body === undefined
          ? { Accept: 'application/json', ...extra }
          : { Accept: 'application/json', 'Content-Type': 'application/json', ...extra },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      signal: controller.signal,
    });
  } catch {
    throw new RequestFailed('network', 0);
  } finally {
    clearTimeout(timer);
  }
  let data: unknown;
  try {
    data = await response.json();
  } catch {
    data = undefined;
  }
  if (!response.ok || !data || typeof data !== 'object') {
    const error =
      data && typeof data === 'object' ? (data as { error?: { code?: unknown; details?: unknown } }).error : undefined;
    const details = error && Array.isArray(error.details) ? (error.details as Array<{ field?: unknown }>) : [];
    const fields = details.map((d) => String(d && d.field));
    throw new RequestFailed(
      'server',
      response.status,
      error && typeof error.code === 'string' ? error.code : undefined,
      fields,
    );
  }
  return data as T;
}
