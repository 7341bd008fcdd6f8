// The inbox's client of the agent routes: the key from sessionStorage as a
// Bearer token (none in local mode), each response typed by core/contracts.
import type { ArticleResponse, ErrorResponse, SearchResponse, TicketStatus } from '../../core/contracts/api.ts';
import type {
  AgentTicketDetail,
  AgentTicketMessage,
  AgentTicketPage,
  TicketCountsResponse,
} from '../../core/contracts/agent.ts';
import type { AccessResponse } from '../../core/contracts/reports.ts';
import { errorText, type Locale, type ServerError } from './i18n/index.ts';

/** Tickets on one page of the queue. */
export const PAGE_SIZE = 50;

/** The tab's sessionStorage: the key is gone when the tab closes. */
const KEY = 'deflect.agentKey';

/** The key was refused (401) or may not work tickets (403): the page asks for another. */
export class AuthError extends Error {
  override name = 'AuthError';
}

export const keyStore = {
  get: (): string | null => sessionStorage.getItem(KEY),
  set: (key: string): void => sessionStorage.setItem(KEY, key),
  clear: (): void => sessionStorage.removeItem(KEY),
};

/** The queue's filters as GET /api/tickets takes them (empty ones are left out). */
export interface QueueFilters {
  status?: TicketStatus;
  /** A name, or `none` for tickets assigned to no one. */
  assignee?: string;
  channel?: string;
  tag?: string;
  text?: string;
  team?: string;
  sort?: string;
}

/** A change from the status or the triage form (PATCH /api/tickets/:id). */
export interface TicketChange {
  status?: TicketStatus;
  assignee?: string | null;
  solvedWith?: string;
  author?: string;
  type?: string;
  priority?: string;
  impact?: string;
  urgency?: string;
  category?: string | null;
  team?: string | null;
  tags?: string[];
  /** An internal note, written with the change. */
  note?: string;
}

/** A refused request, in the page's language, with the server's own error kept (its messages say what to fix). */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    message: string,
    readonly server?: ServerError,
  ) {
    super(message);
  }
}

/** The ticket as it is now, when a change was refused because it had changed since it was drawn. */
export function changedMeanwhile(e: unknown, id: string): AgentTicketDetail | undefined {
  if (!(e instanceof ApiError) || e.server?.code !== 'ticket_changed') return undefined;
  const ticket = (e.server.details as { ticket?: AgentTicketDetail } | undefined)?.ticket;
  return ticket && ticket.id === id ? ticket : undefined;
}

export function agentApi(locale: () => Locale) {
  async function call(path: string, init: RequestInit = {}, headers: Record<string, string> = {}): Promise<Response> {
    const key = keyStore.get();
    const res = await fetch(path, {
      ...init,
      headers: {
        ...(init.body ? { 'Content-Type': 'application/json' } : {}),
        ...(key ? { Authorization: `Bearer ${key}` } : {}),
        ...headers,
      },
    });
    if (res.ok) return res;
    const error = await errorOf(res);
    if (res.status === 401 || res.status === 403)
      throw new AuthError(error ? errorText(locale(), error) : locale().t('noAccess'));
    throw new ApiError(errorText(locale(), error, res.statusText), error);
  }
  const json = async <T>(path: string, init?: RequestInit, headers?: Record<string, string>): Promise<T> =>
    (await (await call(path, init, headers)).json()) as T;
  const send = (method: string, body: unknown): RequestInit => ({ method, body: JSON.stringify(body) });

  return {
    list: (f: QueueFilters, page: number) =>
      json<AgentTicketPage>(`/api/tickets?${query({ ...f, page: String(page), pageSize: String(PAGE_SIZE) })}`),
    counts: (f: QueueFilters) =>
      json<TicketCountsResponse>(`/api/ticket-counts?${query({ ...f, status: undefined, sort: undefined })}`),
    ticket: (id: string) => json<AgentTicketDetail>(`/api/tickets/${encodeURIComponent(id)}`),
    /**
     * With the version the change was made against (the ticket as drawn), a
     * ticket changed since is refused (ApiError, code ticket_changed, the
     * ticket as it is now in its details) instead of written over.
     */
    update: (id: string, change: TicketChange, version?: string) =>
      json<AgentTicketDetail>(
        `/api/tickets/${encodeURIComponent(id)}`,
        send('PATCH', change),
        version ? { 'If-Match': `"${version}"` } : {},
      ),
    reply: (id: string, body: { text: string; internal: boolean; status?: TicketStatus; author?: string }) =>
      json<{ message: AgentTicketMessage; ticket: AgentTicketDetail }>(
        `/api/tickets/${encodeURIComponent(id)}/messages`,
        send('POST', body),
      ),
    /** The knowledge base's search (the widget's), in the ticket's language. */
    search: (q: string, lang: string) => json<SearchResponse>(`/api/search?${query({ q, lang, limit: '6' })}`),
    article: (id: string) => json<ArticleResponse>(`/api/articles/${encodeURIComponent(id)}`),
  };
}

export type AgentApi = ReturnType<typeof agentApi>;

/** Whether this client needs a key at all; a server that cannot say is assumed to need one. */
export async function readAccess(): Promise<AccessResponse> {
  try {
    return (await (await fetch('/api/access')).json()) as AccessResponse;
  } catch {
    return { keyRequired: true };
  }
}

function query(values: Record<string, string | undefined>): URLSearchParams {
  const q = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value) q.set(name, value);
  return q;
}

/** The JSON error of a failed response, if it has one (a proxy may answer with HTML). */
async function errorOf(res: Response): Promise<ErrorResponse['error'] | undefined> {
  const body: unknown = await res.json().catch(() => undefined);
  const error = typeof body === 'object' && body !== null ? (body as Partial<ErrorResponse>).error : undefined;
  return error && typeof error.code === 'string' ? error : undefined;
}
