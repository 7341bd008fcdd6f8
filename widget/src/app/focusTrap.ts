const FOCUSABLE =
  'a[href],button:not([disabled]),input:not([disabled]),textarea:not([disabled]),select:not([disabled]),[tabindex]:not([tabindex="-1"])';

/**
 * Keeps Tab and Shift+Tab inside the open panel and turns Escape into close.
 * Only keys pressed inside the panel are handled, so the page is untouched.
 */
export function trapFocus(panel: HTMLElement, onEscape: () => void): () => void {
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onEscape();
      return;
    }
    if (e.key !== 'Tab') return;
    const items = Array.from(panel.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(visible);
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    const active = (panel.getRootNode() as ShadowRoot).activeElement;
    if (e.shiftKey && (active === first || !panel.contains(active))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (active === last || !panel.contains(active))) {
      e.preventDefault();
      first.focus();
    }
  };
  panel.addEventListener('keydown', onKey);
  return () => panel.removeEventListener('keydown', onKey);
}

function visible(el: HTMLElement): boolean {
  return el.getClientRects().length > 0;
}

/** The first control worth focusing in an element, if any. */
export function firstFocusable(el: HTMLElement): HTMLElement | undefined {
  return Array.from(el.querySelectorAll<HTMLElement>(FOCUSABLE)).find(visible);
}
