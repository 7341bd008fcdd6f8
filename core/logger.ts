/**
 * Structured logs: a category, a message and fields, one JSON line each on
 * stderr. Fields whose names look secret are dropped, and e-mail addresses are
 * masked, so a careless call cannot leak a key or a customer's address.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /(pass(word)?|secret|token|api[-_]?key|authorization|cookie|hash)/i;
/** The user-information part of a URL (`imap://user:password@host`): dropped from any logged string, even with LOG_EMAILS. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi;
const EMAIL = /([\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]*@([\p{L}\p{N}.-]+\.\p{L}{2,})/gu;

let minLevel: Level = process.env.NODE_ENV === 'test' ? 'warn' : 'info';
let redactEmails = true;

export function configureLogger(options: { level?: Level; redactEmails?: boolean }): void {
  if (options.level) minLevel = options.level;
  if (options.redactEmails !== undefined) redactEmails = options.redactEmails;
}

/** The settings in force, for a worker thread to log as this thread does. */
export function loggerSettings(): { level: Level; redactEmails: boolean } {
  return { level: minLevel, redactEmails };
}

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    const safe = value.replace(URL_CREDENTIALS, '$1[redacted]@');
    return redactEmails ? safe.replace(EMAIL, '$1***@$2') : safe;
  }
  if (value instanceof Error) return { name: value.name, message: redact(value.message, depth + 1) };
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1);
  return out;
}

function write(level: Level, category: string, message: string, fields?: Record<string, unknown>): void {
  if (ORDER[level] < ORDER[minLevel]) return;
  const line = {
    time: new Date().toISOString(),
    level,
    category,
    message: redact(message),
    ...(redact(fields ?? {}) as object),
  };
  process.stderr.write(JSON.stringify(line) + '\n');
}

export const log = {
  debug: (category: string, message: string, fields?: Record<string, unknown>) =>
    write('debug', category, message, fields),
  info: (category: string, message: string, fields?: Record<string, unknown>) =>
    write('info', category, message, fields),
  warn: (category: string, message: string, fields?: Record<string, unknown>) =>
    write('warn', category, message, fields),
  error: (category: string, message: string, fields?: Record<string, unknown>) =>
    write('error', category, message, fields),
};
