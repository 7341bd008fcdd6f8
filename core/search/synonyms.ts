import type { Lang } from '../contracts/api.ts';
import { terms } from '../text/analyze.ts';

/**
 * Query-time synonym expansion from the KB's `_synonyms.yml`. Groups are
 * analysed once per language, so "contraseñas" in a question finds the
 * group of "contraseña" and adds "password" and "clave".
 */
export class SynonymTable {
  private readonly groups: Record<Lang, string[][]> = { es: [], en: [] };
  /** Each group's phrases with a space either side, as `expand` looks for them (padded once, not per question). */
  private readonly padded: Record<Lang, string[][]> = { es: [], en: [] };

  constructor(groups: string[][]) {
    for (const lang of ['es', 'en'] as const) {
      this.groups[lang] = groups.map((g) => g.map((phrase) => terms(phrase, lang).join(' ')).filter(Boolean));
      this.padded[lang] = this.groups[lang].map((g) => g.map((phrase) => ` ${phrase} `));
    }
  }

  /** Analysed terms to add for a question whose analysed terms are `queryTerms`. */
  expand(queryTerms: string[], lang: Lang): string[] {
    const text = ` ${queryTerms.join(' ')} `;
    const extra = new Set<string>();
    const groups = this.groups[lang];
    const padded = this.padded[lang];
    for (let g = 0; g < groups.length; g++) {
      if (!padded[g]!.some((phrase) => text.includes(phrase))) continue;
      const group = groups[g]!;
      for (const phrase of group) for (const t of phrase.split(' ')) if (!queryTerms.includes(t)) extra.add(t);
    }
    return [...extra];
  }
}
