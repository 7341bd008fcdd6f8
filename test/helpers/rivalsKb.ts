import type { SparseVector } from '../../core/answers/learners/softmaxRegression.ts';
import { Csr } from '../../core/answers/lexical/csr.ts';

/** A KB as the rivals' searches read it: the centroids by feature, and each article's sum. */
export type Kb = { postings: Csr; sums: SparseVector[] };

export function kb(sums: { ids: number[]; w: number[] }[], features: number): Kb {
  const vectors = sums.map((s) => ({ ids: Int32Array.from(s.ids), w: Float32Array.from(s.w) }));
  return {
    postings: Csr.build(
      features,
      vectors.map((vector, row) => ({ row, vector })),
    ),
    sums: vectors,
  };
}

/**
 * A KB shaped as the realistic one: `common` features in nearly every
 * article (the frequent 4-grams), a topic's features shared by its few
 * articles, and each article's own; a seeded generator.
 */
export function topicalKb(articles: number, common: number, seed: number): Kb {
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const topics = Math.ceil(articles / 8);
  const features = common + topics * 30 + articles * 10;
  return kb(
    Array.from({ length: articles }, (_, a) => {
      const w = new Map<number, number>();
      for (let f = 0; f < common; f++) if (random() < 0.9) w.set(f, 0.02 + random() * 0.1);
      const topic = a % topics;
      for (let i = 0; i < 12; i++) w.set(common + topic * 30 + Math.floor(random() * 30), 0.5 + random());
      for (let i = 0; i < 6; i++) w.set(common + topics * 30 + a * 10 + i, 1 + random());
      // Each article's features in its own order, as the centroids keep them (first use).
      const ids = [...w.keys()].sort(() => random() - 0.5);
      return { ids, w: ids.map((f) => Math.round(w.get(f)! * 4096) / 4096) };
    }),
    features,
  );
}
