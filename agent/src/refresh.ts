/** How often an open inbox asks for the queue again: new tickets and customers' replies show up without a reload. */
export const QUEUE_REFRESH_MS = 30_000;

/**
 * Calls `refresh` every `everyMs` while the page is visible. A hidden tab
 * asks nothing (an inbox left open overnight costs the server nothing); when
 * it is shown again after a refresh fell due, it refreshes at once, so an
 * agent coming back to the tab never reads a queue older than one period.
 * Returns a function that stops it.
 */
export function refreshWhileVisible(doc: Document, everyMs: number, refresh: () => void): () => void {
  let due = false;
  const tick = () => {
    if (doc.visibilityState === 'visible') refresh();
    else due = true;
  };
  const shown = () => {
    if (doc.visibilityState !== 'visible' || !due) return;
    due = false;
    refresh();
  };
  const timer = setInterval(tick, everyMs);
  doc.addEventListener('visibilitychange', shown);
  return () => {
    clearInterval(timer);
    doc.removeEventListener('visibilitychange', shown);
  };
}
