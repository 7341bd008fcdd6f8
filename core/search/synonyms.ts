import type { Lang } from '../contracts/api.ts';
import { terms } from '../text/analyze.ts';

/**
 * Query-time synonym expansion from the KB's `_synonyms.yml`. Groups are
 * analysed once per language, so "contraseñas" in a question finds the
 * group of "contraseña" and adds "password" and "clave".
 */
export class SynonymTable {
  private readonly groups: Record<Lang, string[][]> = { es: [], en: [] };
  /**
   * Each phrase's terms under its first term, with its group's number: a
   * question looks up its own terms instead of searching its text for every
   * phrase of every group.
   */
  private readonly byFirst: Record<Lang, Map<string, { group: number; terms: string[] }[]>> = {
    es: new Map(),
    en: new Map(),
  };

  constructor(groups: string[][]) {
    for (const lang of ['es', 'en'] as const) {
      this.groups[lang] = groups.map((g) => g.map((phrase) => terms(phrase, lang).join(' ')).filter(Boolean));
      this.groups[lang].forEach((g, group) => {
        for (const phrase of g) {
          const phraseTerms = phrase.split(' ');
          const list = this.byFirst[lang].get(phraseTerms[0]!);
          if (list) list.push({ group, terms: phraseTerms });
          else this.byFirst[lang].set(phraseTerms[0]!, [{ group, terms: phraseTerms }]);
        }
      });
    }
  }

  /**
   * Analysed terms to add for a question whose analysed terms are
   * `queryTerms`: those of every group one of whose phrases the question
   * says, term for term in a row, in the groups' order.
   */
  expand(queryTerms: string[], lang: Lang): string[] {
    const byFirst = this.byFirst[lang];
    const matched = new Set<number>();
    for (let i = 0; i < queryTerms.length; i++)
      for (const phrase of byFirst.get(queryTerms[i]!) ?? [])
        if (startsAt(queryTerms, i, phrase.terms)) matched.add(phrase.group);
    if (!matched.size) return [];
    const extra = new Set<string>();
    const groups = this.groups[lang];
    for (const g of [...matched].sort((a, b) => a - b))
      for (const phrase of groups[g]!) for (const t of phrase.split(' ')) if (!queryTerms.includes(t)) extra.add(t);
    return [...extra];
  }
}

/** Whether `ts` holds `phrase` from position `i` on. */
function startsAt(ts: readonly string[], i: number, phrase: readonly string[]): boolean {
  if (i + phrase.length > ts.length) return false;
  for (let j = 0; j < phrase.length; j++) if (ts[i + j] !== phrase[j]) return false;
  return true;
}
