/**
 * The follow-up tokens of the tickets opened in this browser, per ticket id,
 * in localStorage: an anonymous visitor finds their requests again in "My
 * requests" on a later visit. The server keeps only the tokens' hashes, so
 * this is the customer's copy, like the link in their e-mail.
 */
const MAX = 50;

const keyOf = (base: string) => 'deflect:tickets:v1:' + base;

/** Ticket id → token, newest last; empty when storage is unavailable. */
export function readTicketKeys(base: string): Record<string, string> {
  try {
    const saved = JSON.parse(window.localStorage.getItem(keyOf(base)) || '{}') as unknown;
    return saved && typeof saved === 'object' ? (saved as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** Keeps a ticket's token (the oldest go past MAX); without storage the request is only in the e-mail. */
export function saveTicketKey(base: string, id: string, token: string | undefined): void {
  const keys = readTicketKeys(base);
  if (token) keys[id] = token;
  else delete keys[id];
  const kept = Object.entries(keys).slice(-MAX);
  try {
    window.localStorage.setItem(keyOf(base), JSON.stringify(Object.fromEntries(kept)));
  } catch {
    /* storage unavailable or full */
  }
}
