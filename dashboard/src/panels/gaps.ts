// The gaps panel: clusters of questions the KB did not settle, each with a
// button that writes a draft article from it.
import type { GapRowResponse } from '../../../core/contracts/reports.ts';
import { cellWith, el, emptyRow } from '../dom.ts';
import type { Locale } from '../i18n/index.ts';

/** What the "Make draft" button does: write the draft, and say whether it worked. */
export type MakeDraft = (gap: GapRowResponse) => Promise<boolean>;

/** One row per gap, or a row saying there are none. */
export function renderGaps(
  body: HTMLTableSectionElement,
  gaps: GapRowResponse[],
  L: Locale,
  makeDraft: MakeDraft,
): void {
  if (!gaps.length) return emptyRow(body, L.t('noGaps'), 7);
  body.replaceChildren(...gaps.map((g) => gapRow(g, L, makeDraft)));
}

function gapRow(g: GapRowResponse, L: Locale, makeDraft: MakeDraft): HTMLTableRowElement {
  const row = el('tr');
  row.dataset.gap = g.id;
  const examples = el('ul', null, 'examples');
  for (const x of g.examples) examples.append(el('li', x));
  const why = [
    g.unanswered && L.t('whyUnanswered', { n: g.unanswered }),
    g.notHelpful && L.t('whyNotHelpful', { n: g.notHelpful }),
    g.ticket && L.t('whyTicket', { n: g.ticket }),
  ]
    .filter(Boolean)
    .join(', ');
  const tags = el('td');
  for (const tag of g.suggestedTags.length ? g.suggestedTags : g.keywords) tags.append(el('span', tag, 'tag'));
  const button = el('button', L.t('makeDraft'), 'secondary');
  button.type = 'button';
  button.addEventListener('click', async () => {
    button.disabled = true;
    if (await makeDraft(g)) button.textContent = L.t('draftMade');
    else button.disabled = false;
  });
  const nearest = g.nearestTitle ? `${g.nearestTitle} (${L.number(g.nearestConfidence)})` : '—';
  row.append(
    el('td', L.number(g.count), 'num'),
    el('td', g.lang),
    cellWith(examples),
    el('td', why),
    el('td', nearest),
    tags,
    cellWith(button),
  );
  return row;
}
