/**
 * sessionStorage access that never throws: storage can be disabled (privacy
 * modes, sandboxed iframes) and the widget must keep working without it.
 */
export function storageKey(base: string): string {
  return 'deflect:v1:' + base;
}

/** Reads and parses a stored value, or undefined. */
export function readStored<T>(key: string): T | undefined {
  try {
    const raw = window.sessionStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : undefined;
  } catch {
    return undefined;
  }
}

/** Stores a value as JSON; quietly does nothing when storage is unavailable or full. */
export function writeStored(key: string, value: unknown): void {
  try {
    if (value === undefined) window.sessionStorage.removeItem(key);
    else window.sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* storage unavailable: the conversation simply will not survive navigation */
  }
}
