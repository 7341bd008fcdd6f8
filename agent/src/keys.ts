// Single-key shortcuts, as in mail clients (j/k, r, n…). They act only when
// focus is not in a field, so typing is never taken for a command; Escape
// leaves a field, and the shortcuts work again.

export type ShortcutHandlers = Partial<
  Record<'j' | 'k' | 'o' | 'r' | 'n' | 'c' | 's' | 'a' | 't' | '/' | '?', () => void>
> & {
  /** Escape in a field: where focus goes after leaving it. */
  leave: () => void;
};

const FIELD = 'input, textarea, select, [contenteditable="true"]';

export function wireShortcuts(doc: Document, handlers: ShortcutHandlers): void {
  doc.addEventListener('keydown', (ev) => {
    const target = ev.target instanceof Element ? ev.target : null;
    if (ev.defaultPrevented || ev.isComposing) return;
    if (target?.closest('dialog[open]')) return;
    if (target?.matches(FIELD)) {
      if (ev.key === 'Escape' && !(target instanceof HTMLInputElement && target.type === 'search' && target.value)) {
        (target as HTMLElement).blur();
        handlers.leave();
      }
      return;
    }
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const handler = handlers[ev.key as keyof ShortcutHandlers];
    if (!handler || ev.key === ('leave' as string)) return;
    // Stop the key from also typing itself into the field the shortcut focuses.
    ev.preventDefault();
    handler();
  });
}
