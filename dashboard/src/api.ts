// The dashboard's client of /api/reports/*: the key from sessionStorage as a
// Bearer token, each response typed by core/contracts (what the server's
// presenters are declared to return).
import type { ErrorResponse, Lang } from '../../core/contracts/api.ts';
import type {
  AccessResponse,
  CsatResponse,
  DashboardResponse,
  DraftResponse,
  PhrasingsResponse,
  TicketReportResponse,
} from '../../core/contracts/reports.ts';
import { errorText, type Locale } from './i18n/index.ts';

/** Where the key lives: the tab's sessionStorage, gone when the tab closes. */
const KEY = 'deflect.reportsKey';

/** The key was refused (401) or may not see reports (403): the page asks for another. */
export class AuthError extends Error {
  override name = 'AuthError';
}

/** A period as the date inputs give it (YYYY-MM-DD, both ends included). */
export interface Period {
  from: string;
  to: string;
}

export const keyStore = {
  get: (): string | null => sessionStorage.getItem(KEY),
  set: (key: string): void => sessionStorage.setItem(KEY, key),
  clear: (): void => sessionStorage.removeItem(KEY),
};

/** The reports API in one language (its errors are worded in it). */
export function reportsApi(locale: () => Locale) {
  async function call(path: string, init: RequestInit = {}): Promise<Response> {
    const key = keyStore.get();
    const res = await fetch(path, {
      ...init,
      headers: {
        ...(init.headers as Record<string, string> | undefined),
        ...(key ? { Authorization: `Bearer ${key}` } : {}),
      },
    });
    if (res.ok) return res;
    const error = await errorOf(res);
    if (res.status === 401 || res.status === 403)
      throw new AuthError(error ? errorText(locale(), error) : locale().t('noAccess'));
    throw new Error(errorText(locale(), error, res.statusText));
  }
  const json = async <T>(path: string, init?: RequestInit): Promise<T> => (await (await call(path, init)).json()) as T;

  return {
    dashboard: (p: Period, lang: Lang) => json<DashboardResponse>(`/api/reports/dashboard?${query(p, { lang })}`),
    phrasings: (p: Period) => json<PhrasingsResponse>(`/api/reports/phrasings?${query(p)}`),
    draftFromGap: (gapId: string, p: Period) =>
      json<DraftResponse>(`/api/reports/gaps/${encodeURIComponent(gapId)}/draft`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ from: p.from, to: p.to }),
      }),
    csat: (p: Period, groupBy: string) => json<CsatResponse>(`/api/reports/csat?${query(p, { groupBy })}`),
    tickets: (p: Period, groupBy: string) =>
      json<TicketReportResponse>(`/api/reports/tickets?${query(p, { groupBy })}`),
    /** A report as CSV (`report` and `groupBy` as the download buttons name them). */
    csv: async (report: string, p: Period, groupBy?: string) =>
      (await call(`/api/reports/${encodeURIComponent(report)}?${query(p, { format: 'csv', groupBy })}`)).blob(),
  };
}

/** Whether this client needs a key at all; a server that cannot say is assumed to need one. */
export async function readAccess(): Promise<AccessResponse> {
  try {
    const res = await fetch('/api/access');
    return (await res.json()) as AccessResponse;
  } catch {
    return { keyRequired: true };
  }
}

function query(p: Period, extra: Record<string, string | undefined> = {}): URLSearchParams {
  const q = new URLSearchParams({ from: p.from, to: p.to });
  for (const [name, value] of Object.entries(extra)) if (value) q.set(name, value);
  return q;
}

/** The JSON error of a failed response, if it has one (a proxy may answer with HTML). */
async function errorOf(res: Response): Promise<ErrorResponse['error'] | undefined> {
  const body: unknown = await res.json().catch(() => undefined);
  const error = typeof body === 'object' && body !== null ? (body as Partial<ErrorResponse>).error : undefined;
  return error && typeof error.code === 'string' ? error : undefined;
}
