import type { AnswerCard } from '../../../core/contracts/api.ts';
import type { Strings } from '../i18n/strings.ts';
import { icon, icons } from '../shared/dom.ts';
import { button, h, srOnly, uid } from './dom.ts';
import { safeFragment, safeLink } from './sanitize.ts';

export interface CardProps {
  card: AnswerCard;
  otherLang?: boolean;
  fb?: 'yes' | 'no';
  base: string;
  strings: Strings;
  onFeedback(helpful: boolean): void;
}

/** An answer card: title, the canned answer, a link to the article and "Did this help?". */
export function renderCard({ card, otherLang, fb, base, strings, onFeedback }: CardProps): HTMLElement {
  const titleId = uid('card');
  const body = h('div', { class: 'd-card-body' });
  try {
    body.appendChild(safeFragment(String(card.html || ''), base));
  } catch {
    /* a Trusted Types CSP without our policy: show the plain-text answer instead */
  }
  if (!body.textContent?.trim()) body.textContent = String(card.text || '');
  const href = articleHref(card.url, base);
  const link =
    href &&
    h(
      'a',
      { class: 'd-card-link', href, target: '_blank', rel: 'noopener noreferrer' },
      strings.readMore,
      icon(icons.external),
      srOnly(' ' + strings.newTab),
    );
  const feedback = fb
    ? h('p', { class: 'd-fb-done' }, strings.thanks)
    : h(
        'div',
        { class: 'd-fb', role: 'group', 'aria-labelledby': titleId + '-q' },
        h('span', { id: titleId + '-q', class: 'd-fb-q' }, strings.helped),
        button(strings.yes, () => onFeedback(true), { class: 'd-chip', 'aria-describedby': titleId }),
        button(strings.no, () => onFeedback(false), { class: 'd-chip', 'aria-describedby': titleId }),
      );
  return h(
    'article',
    { class: 'd-card', 'aria-labelledby': titleId, lang: card.lang },
    otherLang ? h('p', { class: 'd-notice' }, strings.otherLanguage) : null,
    h('h3', { class: 'd-card-title', id: titleId }, String(card.title || '')),
    body,
    link,
    feedback,
  );
}

/** The full article's address: card.url is a path on the Deflect server. */
function articleHref(url: unknown, base: string): string | undefined {
  if (typeof url !== 'string' || !url) return undefined;
  return url.startsWith('/') && !url.startsWith('//') ? safeLink(base + url, base) : safeLink(url, base);
}
