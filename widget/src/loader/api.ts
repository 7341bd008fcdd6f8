import type { UserIdentity } from '../../../core/contracts/api.ts';
import type { WidgetEvent, WidgetOptions } from '../shared/types.ts';
import { createWidget, type WidgetInstance } from './widget.ts';

type Listener = (detail: unknown) => void;

/** The page-facing `window.Deflect` object. */
export interface DeflectApi {
  readonly version: string;
  init(options?: WidgetOptions): void;
  open(): void;
  close(): void;
  ask(text: string): void;
  setUser(user: UserIdentity | null | undefined): void;
  on(event: WidgetEvent, fn: Listener): () => void;
  off(event: WidgetEvent, fn: Listener): void;
  destroy(): void;
}

/**
 * Builds the public API around one widget at a time. Calls made before the
 * page's <body> exists are queued; listener errors never break the widget.
 */
export function createDeflect(defaults: WidgetOptions, version: string): DeflectApi {
  const listeners = new Map<WidgetEvent, Set<Listener>>();
  let widget: WidgetInstance | undefined;
  let user: UserIdentity | undefined = defaults.user;
  let waiting: Array<() => void> | undefined;

  const emit = (event: WidgetEvent, detail?: unknown) => {
    listeners.get(event)?.forEach((fn) => {
      try {
        fn(detail);
      } catch (error) {
        // Report the host's bug without interrupting the conversation.
        setTimeout(() => {
          throw error;
        });
      }
    });
  };
  const run = (fn: (w: WidgetInstance) => void) => {
    if (waiting) waiting.push(() => widget && fn(widget));
    else if (widget) fn(widget);
  };

  const api: DeflectApi = {
    version,
    init(options = {}) {
      api.destroy();
      const start = () => {
        widget = createWidget({ ...defaults, ...options, user: options.user || user }, emit);
        emit('ready');
      };
      if (document.body) return start();
      waiting = [];
      document.addEventListener(
        'DOMContentLoaded',
        () => {
          const queued = waiting || [];
          waiting = undefined;
          start();
          queued.forEach((fn) => fn());
        },
        { once: true },
      );
    },
    open: () => run((w) => w.open(true)),
    close: () => run((w) => w.close()),
    ask(text) {
      if (typeof text === 'string' && text.trim()) run((w) => w.ask(text.trim().slice(0, 500)));
    },
    setUser(next) {
      user = cleanUser(next);
      run((w) => w.setUser(user));
    },
    on(event, fn) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(fn);
      return () => api.off(event, fn);
    },
    off(event, fn) {
      listeners.get(event)?.delete(fn);
    },
    destroy() {
      waiting = undefined;
      widget?.destroy();
      widget = undefined;
    },
  };
  return api;
}

/** Keeps only the known string fields, so nothing odd reaches the server. */
function cleanUser(value: UserIdentity | null | undefined): UserIdentity | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const out: UserIdentity = {};
  for (const key of ['id', 'email', 'name', 'hash'] as const) {
    const v = value[key];
    if (typeof v === 'string' && v.trim()) out[key] = v.trim().slice(0, 200);
  }
  // The server rejects a malformed e-mail, which would make every question fail.
  if (out.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(out.email)) delete out.email;
  return out;
}
