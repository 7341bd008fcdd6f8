// The phrasings panel: questions each article resolved, proposed as new
// `questions:` for it (written by `npm run kb -- phrasings --apply` after review).
// Rendered with textContent only, like the rest of the page.

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

/** One row per article: its title, how many resolved questions, the new wordings with counts, and how they were resolved. */
export function renderPhrasings(body, articles, L) {
  if (!articles.length) {
    const row = el('tr');
    const cell = el('td', L.t('noPhrasings'), 'muted');
    cell.colSpan = 4;
    row.append(cell);
    return body.replaceChildren(row);
  }
  body.replaceChildren(
    ...articles.map((a) => {
      const row = el('tr');
      row.dataset.article = a.articleId;
      const total = a.candidates.reduce((s, c) => s + c.count, 0);
      const sources = { helpful: 0, picked: 0, ticket: 0 };
      const list = el('ul', null, 'examples');
      for (const c of a.candidates) {
        list.append(el('li', L.t('phrasingCount', { text: c.text, n: L.number(c.count) })));
        for (const k of Object.keys(sources)) sources[k] += c.sources[k] || 0;
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
      const listCell = el('td');
      listCell.append(list);
      row.append(title, el('td', L.number(total), 'num'), listCell, el('td', how));
      return row;
    }),
  );
}
