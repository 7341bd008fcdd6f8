/**
 * A tiny logistic regression for calibration: a handful of features, a few
 * hundred samples, fitted by Newton's method with a Gaussian prior that pulls
 * the weights towards `prior` (so a KB with few questions gets the prior,
 * and a large KB gets its own fit).
 */
export function fitLogistic(
  X: number[][],
  y: number[],
  prior: number[],
  strength: number,
  weight: (i: number) => number = () => 1,
  iterations = 25,
): number[] {
  const d = prior.length;
  const w = [...prior];
  /** What the fit minimises: the weighted log loss plus the prior's pull. */
  const objective = (v: number[]): number => {
    let loss = 0;
    for (let k = 0; k < d; k++) loss += (strength / 2) * (v[k]! - prior[k]!) ** 2;
    X.forEach((x, i) => {
      const z = dotw(v, x);
      // log(1 + e^z) − y·z, computed without overflow.
      loss += weight(i) * (Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - y[i]! * z);
    });
    return loss;
  };
  for (let it = 0; it < iterations; it++) {
    const g = w.map((wk, k) => strength * (wk - prior[k]!));
    const H = Array.from({ length: d }, (_, k) => Array.from({ length: d }, (_, j) => (k === j ? strength : 0)));
    X.forEach((x, i) => {
      const p = sigmoid(dotw(w, x));
      const v = weight(i);
      const r = v * p * (1 - p);
      for (let k = 0; k < d; k++) {
        g[k]! += v * (p - y[i]!) * x[k]!;
        for (let j = 0; j < d; j++) H[k]![j]! += r * x[k]! * x[j]!;
      }
    });
    const step = solve(H, g);
    if (!step) break;
    // Newton's full step, halved while it would make the fit worse: on nearly
    // separable samples a full step overshoots, and the weights run away.
    // (Near the optimum rounding makes a full step look a hair worse: that is no overshoot.)
    const worse = objective(w) * (1 + 1e-9) + 1e-12;
    let scale = 1;
    let next = w.map((wk, k) => wk - step[k]!);
    while (objective(next) > worse && scale > 1e-4) {
      scale /= 2;
      next = w.map((wk, k) => wk - scale * step[k]!);
    }
    let size = 0;
    for (let k = 0; k < d; k++) {
      size += Math.abs(scale * step[k]!);
      w[k] = next[k]!;
    }
    if (size < 1e-6) break;
  }
  return w;
}

export function predict(w: readonly number[], x: readonly number[]): number {
  return sigmoid(dotw(w, x));
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

function dotw(w: readonly number[], x: readonly number[]): number {
  let s = 0;
  for (let k = 0; k < w.length; k++) s += w[k]! * (x[k] ?? 0);
  return s;
}

/** Gaussian elimination with partial pivoting; null when singular. */
function solve(A: number[][], b: number[]): number[] | null {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]!]);
  for (let i = 0; i < n; i++) {
    let p = i;
    for (let r = i + 1; r < n; r++) if (Math.abs(M[r]![i]!) > Math.abs(M[p]![i]!)) p = r;
    if (Math.abs(M[p]![i]!) < 1e-12) return null;
    [M[i], M[p]] = [M[p]!, M[i]!];
    for (let r = 0; r < n; r++) {
      if (r === i) continue;
      const f = M[r]![i]! / M[i]![i]!;
      for (let c = i; c <= n; c++) M[r]![c]! -= f * M[i]![c]!;
    }
  }
  return M.map((row, i) => row[n]! / row[i]!);
}
