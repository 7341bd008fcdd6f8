import type { Lang } from '../contracts/api.ts';
import { terms } from '../text/analyze.ts';

/**
 * Query-time synonym expansion from the KB's `_synonyms.yml`. Groups are
 * analysed once per language, so "contraseñas" in a question finds the
 * group of "contraseña" and adds "password" and "clave".
 */
export class SynonymTable {
  private readonly groups: Record<Lang, string[][]> = { es: [], en: [] };

  constructor(groups: string[][]) {
    for (const lang of ['es', 'en'] as const) {
      this.groups[lang] = groups.map((g) => g.map((phrase) => terms(phrase, lang).join(' ')).filter(Boolean));
    }
  }

  /** Analysed terms to add for a question whose analysed terms are `queryTerms`. */
  expand(queryTerms: string[], lang: Lang): string[] {
    const text = ` ${queryTerms.join(' ')} `;
    const extra = new Set<string>();
    for (const group of this.groups[lang]) {
      if (!group.some((phrase) => text.includes(` ${phrase} `))) continue;
      for (const phrase of group) for (const t of phrase.split(' ')) if (!queryTerms.includes(t)) extra.add(t);
    }
    return [...extra];
  }
}
