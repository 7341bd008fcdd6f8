// DOM helpers the static pages (dashboard, agent inbox) share. Everything is
// written with textContent and attributes, never HTML: the pages show what
// customers typed, which is untrusted.

/** An element with optional text and class. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string | number | null,
  cls?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

/** The page's element with this id, of the type the page declares it with; a missing one is a bug in the page's HTML. */
export function byId<T extends HTMLElement = HTMLElement>(id: string, type?: new () => T): T {
  const e = document.getElementById(id);
  if (!e || (type && !(e instanceof type))) throw new Error(`the page has no ${type?.name ?? 'element'} #${id}`);
  return e as T;
}
