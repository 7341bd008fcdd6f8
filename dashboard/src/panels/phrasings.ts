// The phrasings panel: questions each article resolved, proposed as new
// `questions:` for it (written by `npm run kb -- phrasings --apply` after review).
import type { PhrasingSourceName, PhrasingsResponse } from '../../../core/contracts/reports.ts';
import { cellWith, el, emptyRow } from '../dom.ts';
import type { Locale } from '../i18n/index.ts';

type ArticlePhrasings = PhrasingsResponse['articles'][number];

/** One row per article: its title, how many resolved questions, the new wordings with counts, and how they were resolved. */
export function renderPhrasings(body: HTMLTableSectionElement, articles: ArticlePhrasings[], L: Locale): void {
  if (!articles.length) return emptyRow(body, L.t('noPhrasings'), 4);
  body.replaceChildren(...articles.map((a) => phrasingRow(a, L)));
}

function phrasingRow(a: ArticlePhrasings, L: Locale): HTMLTableRowElement {
  const row = el('tr');
  row.dataset.article = a.articleId;
  const total = a.candidates.reduce((s, c) => s + c.count, 0);
  const sources: Record<PhrasingSourceName, number> = { helpful: 0, picked: 0, ticket: 0 };
  const list = el('ul', null, 'examples');
  for (const c of a.candidates) {
    list.append(el('li', L.t('phrasingCount', { text: c.text, n: L.number(c.count) })));
    for (const k of Object.keys(sources) as PhrasingSourceName[]) sources[k] += c.sources[k] || 0;
  }
  const how = [
    sources.helpful && L.t('srcHelpful', { n: sources.helpful }),
    sources.picked && L.t('srcPicked', { n: sources.picked }),
    sources.ticket && L.t('srcTicket', { n: sources.ticket }),
  ]
    .filter(Boolean)
    .join(', ');
  const title = el('td', a.title);
  title.append(el('div', a.file, 'muted small'));
  row.append(title, el('td', L.number(total), 'num'), cellWith(list), el('td', how));
  return row;
}
