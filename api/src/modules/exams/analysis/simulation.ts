/**
 * IRT item parameters on the logistic (logit) metric, without the D = 1.7 scaling constant, everywhere in this
 * module: P(θ) = c + (1 − c) / (1 + exp(−a(θ − b))). With a = 1 this is exactly the Rasch model.
 */
export interface IrtItem {
  a: number;
  b: number;
  /** Lower asymptote (guessing); 0 when absent. */
  c?: number;
}

export interface ItemParameterOptions {
  model: 'rasch' | '2pl';
  bMean?: number;
  bSd?: number;
  /** Mean of ln a (2PL only). */
  aMeanLog?: number;
  /** SD of ln a (2PL only). */
  aSdLog?: number;
}

export interface SimulatedResponse {
  correct: boolean;
  /** Index of the chosen option; the key is at `keyIndex` (default 0). */
  chosenIndex: number;
}

const GRID_POINTS = 241;
const GRID_HALF_WIDTH_SD = 6;

/** Mulberry32 (Tommy Ettinger): tiny, fast, good enough for simulation; uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draw by Box–Muller (Box & Muller 1958); 1 − u keeps the logarithm away from 0. */
export function normal(random: () => number): number {
  const u1 = 1 - random();
  const u2 = random();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** 3PL on the logit metric (no D = 1.7); c defaults to 0, giving the 2PL (and Rasch when a = 1). */
export function probabilityCorrect(theta: number, item: IrtItem): number {
  const c = item.c ?? 0;
  return c + (1 - c) / (1 + Math.exp(-item.a * (theta - item.b)));
}

/** b ~ N(bMean, bSd); 2PL: a ~ lognormal(aMeanLog, aSdLog); Rasch: a = 1. */
export function generateItemParameters(
  count: number,
  random: () => number,
  options: ItemParameterOptions = { model: '2pl' },
): Array<{ a: number; b: number }> {
  const { model, bMean = 0, bSd = 1, aMeanLog = 0, aSdLog = 0.3 } = options;
  return Array.from({ length: count }, () => {
    const b = bMean + bSd * normal(random);
    const a = model === 'rasch' ? 1 : Math.exp(aMeanLog + aSdLog * normal(random));
    return { a, b };
  });
}

/**
 * One response: correct with probabilityCorrect(θ); when wrong, a distractor drawn with the given weights
 * (default three equally likely distractors, i.e. four options). Distractor j is option j, skipping the key.
 */
export function simulateResponse(
  theta: number,
  item: IrtItem & { keyIndex?: number },
  random: () => number,
  distractorWeights: readonly number[] = [1, 1, 1],
): SimulatedResponse {
  const keyIndex = item.keyIndex ?? 0;
  if (random() < probabilityCorrect(theta, item)) return { correct: true, chosenIndex: keyIndex };
  const distractor = weightedIndex(distractorWeights, random);
  return { correct: false, chosenIndex: distractor < keyIndex ? distractor : distractor + 1 };
}

function weightedIndex(weights: readonly number[], random: () => number): number {
  const total = weights.reduce((s, w) => s + w, 0);
  if (!(total > 0)) throw new RangeError('simulateResponse: distractor weights must sum to a positive number');
  let u = random() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i];
    if (u < 0) return i;
  }
  return weights.length - 1;
}

/**
 * Model value of the pooled KR-20 (see kr20 in psychometrics.ts) for θ ~ N(abilityMean, abilitySd²), each candidate
 * taking one of `forms` with equal probability. Integrates over θ on a 241-point grid from −6 to +6 SD with normal
 * weights. Per form f: p̄_i = E[P_i(θ)], Var_f(X) = Var_θ(Σ P_i) + E_θ[Σ P_i(1 − P_i)] (true-score plus error
 * variance, Lord & Novick 1968). The total-score variance is that of the mixture over forms, so it includes the
 * between-form variance of the means: Var(X) = mean_f(Var_f + μ_f²) − (mean_f μ_f)². Then
 *   KR-20 = k/(k−1) · (1 − mean_f Σ_i p̄_i(1 − p̄_i) / Var(X)).
 */
export function populationKr20(forms: ReadonlyArray<readonly IrtItem[]>, abilityMean = 0, abilitySd = 1): number {
  if (forms.length === 0) throw new RangeError('populationKr20: no forms');
  const k = forms[0].length;
  if (k < 2 || forms.some((f) => f.length !== k)) throw new RangeError('populationKr20: forms need a common length ≥ 2');
  const grid = normalGrid(abilityMean, abilitySd);
  const weights = grid.map((point) => point.weight);
  // Items shared between forms are evaluated once: a pool of ~120 items can back thousands of forms.
  const curves = new Map<IrtItem, Float64Array>();
  const curveOf = (item: IrtItem): Float64Array => {
    const cached = curves.get(item);
    if (cached) return cached;
    const curve = Float64Array.from(grid, (point) => probabilityCorrect(point.theta, item));
    curves.set(item, curve);
    return curve;
  };
  const moments = forms.map((form) => formMoments(form.map(curveOf), weights));
  const meanOf = (pick: (m: FormMoments) => number) => moments.reduce((s, m) => s + pick(m), 0) / moments.length;
  const grandMean = meanOf((m) => m.mean);
  const variance = meanOf((m) => m.variance + m.mean ** 2) - grandMean ** 2;
  return (k / (k - 1)) * (1 - meanOf((m) => m.sumPq) / variance);
}

interface FormMoments {
  mean: number;
  variance: number;
  sumPq: number;
}

// curves[i][g] = P_i(θ_g) for the form's items on the θ grid.
function formMoments(curves: Float64Array[], weights: number[]): FormMoments {
  let trueMean = 0;
  let trueSquare = 0;
  let errorVariance = 0;
  for (let g = 0; g < weights.length; g++) {
    let trueScore = 0;
    for (const curve of curves) {
      trueScore += curve[g];
      errorVariance += weights[g] * curve[g] * (1 - curve[g]);
    }
    trueMean += weights[g] * trueScore;
    trueSquare += weights[g] * trueScore * trueScore;
  }
  const marginals = curves.map((curve) => curve.reduce((s, p, g) => s + weights[g] * p, 0));
  return {
    mean: trueMean,
    variance: trueSquare - trueMean ** 2 + errorVariance,
    sumPq: marginals.reduce((s, p) => s + p * (1 - p), 0),
  };
}

function normalGrid(mean: number, sd: number): Array<{ theta: number; weight: number }> {
  const step = (2 * GRID_HALF_WIDTH_SD) / (GRID_POINTS - 1);
  const points = Array.from({ length: GRID_POINTS }, (_, i) => {
    const z = -GRID_HALF_WIDTH_SD + i * step;
    return { theta: mean + sd * z, weight: Math.exp(-0.5 * z * z) };
  });
  const total = points.reduce((s, p) => s + p.weight, 0);
  return points.map((p) => ({ theta: p.theta, weight: p.weight / total }));
}
