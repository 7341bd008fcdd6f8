/**
 * Lists text in the widget whose colour contrast with its background is under
 * 4.5:1. A string, because tsx would add helpers the page does not have.
 */
export const CONTRAST_SCRIPT = `(() => {
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const root = document.querySelector('deflect-widget').shadowRoot;
  const out = [];
  root.querySelectorAll('*').forEach((el) => {
    const hasText = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!hasText || el.closest('.d-sr') || el.getClientRects().length === 0) return;
    const fg = lum(parse(getComputedStyle(el).color));
    const bg = lum(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    if (!(ratio >= 4.5)) out.push(el.className + ': ' + ratio.toFixed(2) + ' ' + el.textContent.trim().slice(0, 30));
  });
  return out;
})()`;
