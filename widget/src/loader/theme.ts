/** Default accent: a blue with 8.6:1 contrast against white. */
export const DEFAULT_ACCENT = '#1d4ed8';

/**
 * CSS custom properties for the widget's theme. A page may still override any
 * of them with `--deflect-*` properties (documented in README); the option
 * colour is only the fallback.
 */
export function themeCss(color: string | undefined): string {
  const accent = color && isSafeColor(color) ? color : DEFAULT_ACCENT;
  const rgb = parseHex(accent);
  // Text on the accent and accent-coloured text on white must both reach WCAG AA (4.5:1).
  const onAccent = rgb && contrast(rgb, [255, 255, 255]) < 4.5 ? '#111827' : '#ffffff';
  const ink = rgb && contrast(rgb, [255, 255, 255]) < 4.5 ? darken(rgb) : accent;
  const vars: Array<[string, string, string]> = [
    ['accent', 'accent', accent],
    ['on-accent', 'accent-text', onAccent],
    ['ink', 'accent-ink', ink],
    ['font', 'font', 'system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif'],
    ['radius', 'radius', '16px'],
    ['z', 'z-index', '2147483000'],
    ['bottom', 'offset-bottom', '20px'],
    ['side', 'offset-side', '20px'],
  ];
  // !important keeps the private --d-* names out of the page's reach; the public --deflect-* ones stay open.
  return (
    ':host{' + vars.map(([own, pub, value]) => `--d-${own}:var(--deflect-${pub},${value})!important;`).join('') + '}'
  );
}

/** Only plain colour syntaxes reach the stylesheet, so an option cannot inject CSS. */
export function isSafeColor(value: string): boolean {
  return /^(#[0-9a-f]{3,8}|(rgb|hsl)a?\([\d\s.,%/-]+\)|[a-z]{3,20})$/i.test(value.trim());
}

type Rgb = [number, number, number];

function parseHex(value: string): Rgb | undefined {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value.trim());
  if (!m || !m[1]) return undefined;
  const hex = m[1].length === 3 ? m[1].replace(/./g, (c) => c + c) : m[1];
  const n = parseInt(hex, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG contrast ratio between two colours. */
export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Darkens a colour until it reads on white at 4.5:1. */
function darken(rgb: Rgb): string {
  let c: Rgb = rgb;
  while (contrast(c, [255, 255, 255]) < 4.5) c = c.map((v) => Math.floor(v * 0.9)) as Rgb;
  return '#' + c.map((v) => v.toString(16).padStart(2, '0')).join('');
}
