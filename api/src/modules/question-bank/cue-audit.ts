import type { BankItem, BankProblem, Blueprint } from './bank-files';
import type { Framework } from '../programme/framework';

/**
 * The cue audit: how much of the key a test-wise candidate can find without reading the stem.
 *
 * Everything here looks only at the four options of each item (and at the PSF wording a candidate
 * could have memorised), never at the stem. Four families of measures:
 * - form cues: justifying clauses, absolutes, hedges and negations, in keys against distractors;
 * - length: where the key ranks by length among its options, and its length against the others;
 * - wording: how much more of the PSF criterion wording the key repeats than the distractors do;
 * - a stem-blind simulation: option-only strategies (cue elimination, length, PSF overlap,
 *   convergence, combinations, and a conditional-logit attacker trained on the other domains)
 *   scored exactly over the drawable items, and over simulated blueprint forms at the pass mark.
 */

export const CUE_PATTERNS = {
  justifying:
    /\b(because|since|so that|so the|so it|so they|so each|so every|as (?:it|this|that|they|these|those) (?:is|are|was|were|would|will|can|could|has|have)|in order to|which (?:means|ensures|guarantees|prevents|makes|keeps|lets)|given that|due to|thereby|to ensure|ensuring)\b/i,
  absolute:
    /\b(always|never|only|nothing|nobody|none|every|everything|everyone|all|entirely|completely|solely|guarantees?|guaranteed|whatever|at all times|under no circumstances|no exceptions?)\b/i,
  hedge: /\b(usually|often|typically|generally|normally|mostly|may|might|could|where (?:appropriate|possible|needed|necessary)|as needed|if needed|depending on|unless)\b/i,
  negation: /\b(not|no|without|instead of|rather than|nor|neither|avoid(?:s|ing)?)\b/i,
} as const;
export type CueKind = keyof typeof CUE_PATTERNS;
export const CUE_KINDS = Object.keys(CUE_PATTERNS) as CueKind[];

/** The limits `bank:check` enforces (question-bank/README.md, "Cueing"). */
export const CUE_LIMITS = {
  /** |share of keys with the cue − share of distractors with it|, per domain and bank-wide. */
  cueGapDomain: 0.15,
  cueGapBank: 0.08,
  /** No length rank (1 = longest … 4 = shortest) may hold more than this share of keys. */
  lengthRankDomain: 0.4,
  lengthRankBank: 0.35,
  /** …nor less than this share, bank-wide (a key that is never longest is a cue too). */
  lengthRankBankMin: 0.15,
  /** mean(key length ÷ mean distractor length) must stay inside [1 − x, 1 + x]. */
  lengthRatio: 0.12,
  /** Mean PSF-wording words the key shares beyond the distractors' mean. */
  overlapAdvantageDomain: 0.6,
  overlapAdvantageBank: 0.3,
  /** Best stem-blind strategy: expected score per item, and pass rate on blueprint forms. */
  stemBlindScore: 0.4,
  stemBlindDomainScore: 0.5,
  stemBlindPassRate: 0.05,
} as const;

export const STEM_BLIND_FORMS = 2000;

const STOPWORDS = new Set(
  `a an the and or but if then than that this these those of to in on at by for with from into onto over under about as is are was were be been being
  it its it's they them their there here we our you your he she his her i me my not no so such can could should would will may might must do does did
  done has have had having each every any all some more most other another which who whom whose what when where why how also only just before after
  while during through per via up out off once both either neither nor own same too very again further yet still`.split(/\s+/),
);

/** Lower-cased content words, lightly stemmed so "classify", "classified" and "classification" meet. */
export function contentStems(text: string): Set<string> {
  const out = new Set<string>();
  for (const raw of text.toLowerCase().replace(/[^a-z0-9\s-]/g, ' ').split(/[\s-]+/)) {
    if (raw.length < 3 || STOPWORDS.has(raw)) continue;
    out.add(stem(raw));
  }
  return out;
}

export function stem(word: string): string {
  let w = word;
  for (const suffix of ['isations', 'izations', 'isation', 'ization', 'ations', 'ation', 'ments', 'ment', 'ings', 'ing', 'ness', 'ities', 'ity', 'ised', 'ized', 'ises', 'izes', 'ise', 'ize', 'ies', 'ied', 'es', 'ed', 'ly', 's']) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 4) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  return w.replace(/(ic|ical|ive|al|ous|ent|ant|ence|ance)$/, (m) => (w.length - m.length >= 5 ? '' : m));
}

function intersectionSize(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const x of a) if (b.has(x)) n += 1;
  return n;
}

/** What the audit measures of one option of one item. */
export interface OptionFeatures {
  key: boolean;
  length: number;
  /** 1 = longest … 4 = shortest; ties share their mean rank. */
  lengthRank: number;
  cues: Record<CueKind, boolean>;
  /** Distinct PSF-wording stems (the item's domain: title, summary, criteria) the option repeats. */
  psfOverlap: number;
  /** Stems shared with the other three options, summed: the "convergence" cue. */
  convergence: number;
}

export interface AuditedItem {
  item: BankItem;
  options: OptionFeatures[];
}

export function optionFeatures(item: BankItem, framework: Framework): AuditedItem {
  const domain = framework.domains.find((d) => d.code === item.domain);
  const psf = contentStems(domain ? [domain.title, domain.summary, ...domain.criteria.map((c) => c.text)].join(' ') : '');
  const stems = item.options.map((o) => contentStems(o.text));
  const lengths = item.options.map((o) => o.text.length);
  return {
    item,
    options: item.options.map((o, i) => {
      const longer = lengths.filter((l) => l > lengths[i]).length;
      const equal = lengths.filter((l) => l === lengths[i]).length;
      return {
        key: o.key,
        length: lengths[i],
        lengthRank: longer + (equal + 1) / 2,
        cues: Object.fromEntries(CUE_KINDS.map((k) => [k, CUE_PATTERNS[k].test(o.text)])) as Record<CueKind, boolean>,
        psfOverlap: intersectionSize(stems[i], psf),
        convergence: stems.reduce((n, other, j) => (j === i ? n : n + intersectionSize(stems[i], other)), 0),
      };
    }),
  };
}

/** A stem-blind strategy: a score per option; the candidate picks uniformly among the top scores. */
export interface Strategy {
  name: string;
  describe: string;
  score: (options: OptionFeatures[]) => number[];
}

const uncued = (o: OptionFeatures) => !o.cues.justifying && !o.cues.absolute;
/** Lexicographic combination: the first score decides, the next breaks its ties. */
const lexi = (...parts: number[]) => parts.reduce((acc, p) => acc * 1000 + p, 0);

export const FIXED_STRATEGIES: Strategy[] = [
  { name: 'longest', describe: 'pick the longest option', score: (os) => os.map((o) => o.length) },
  { name: 'shortest', describe: 'pick the shortest option', score: (os) => os.map((o) => -o.length) },
  { name: 'second-longest', describe: 'pick the second-longest option', score: (os) => os.map((o) => -Math.abs(o.lengthRank - 2)) },
  { name: 'second-shortest', describe: 'pick the second-shortest option', score: (os) => os.map((o) => -Math.abs(o.lengthRank - 3)) },
  { name: 'middle-length', describe: 'drop the longest and the shortest', score: (os) => os.map((o) => (o.lengthRank > 1.5 && o.lengthRank < 3.5 ? 1 : 0)) },
  { name: 'no-cue', describe: 'drop options with justifying clauses or absolutes, guess among the rest', score: (os) => os.map((o) => (uncued(o) ? 1 : 0)) },
  { name: 'hedged', describe: 'prefer hedged options ("usually", "where appropriate")', score: (os) => os.map((o) => (o.cues.hedge ? 1 : 0)) },
  { name: 'no-negation', describe: 'drop options with negations ("not", "instead of")', score: (os) => os.map((o) => (o.cues.negation ? 0 : 1)) },
  { name: 'psf-overlap', describe: 'pick the option repeating most PSF criterion wording', score: (os) => os.map((o) => o.psfOverlap) },
  { name: 'convergence', describe: 'pick the option sharing most words with the others', score: (os) => os.map((o) => o.convergence) },
  // A test-wise candidate also exploits a bank that leans the other way ("the key never echoes the PSF").
  { name: 'least-psf-overlap', describe: 'pick the option repeating least PSF wording', score: (os) => os.map((o) => -o.psfOverlap) },
  { name: 'divergence', describe: 'pick the option sharing fewest words with the others', score: (os) => os.map((o) => -o.convergence) },
  {
    name: 'no-cue+psf-overlap',
    describe: 'drop cued options, then pick the most PSF wording',
    score: (os) => os.map((o) => lexi(uncued(o) ? 1 : 0, o.psfOverlap)),
  },
  {
    name: 'no-cue+longest',
    describe: 'drop cued options, then pick the longest',
    score: (os) => os.map((o) => lexi(uncued(o) ? 1 : 0, o.length)),
  },
  {
    name: 'no-cue+convergence',
    describe: 'drop cued options, then pick the most convergent',
    score: (os) => os.map((o) => lexi(uncued(o) ? 1 : 0, o.convergence)),
  },
  {
    name: 'psf-overlap+convergence',
    describe: 'most PSF wording, ties broken by convergence',
    score: (os) => os.map((o) => lexi(o.psfOverlap, o.convergence)),
  },
];

/** Probability that a strategy picks the key of one item (uniform choice among tied top scores). */
export function keyChance(scores: number[], options: OptionFeatures[]): number {
  const best = Math.max(...scores);
  const top = scores.map((s, i) => (s === best ? i : -1)).filter((i) => i >= 0);
  return top.some((i) => options[i].key) ? 1 / top.length : 0;
}

// --- the learned attacker: a conditional logit over option features ---------------------------

/** Option features as a test-wise candidate would weigh them, centred within the item. */
export function featureVector(options: OptionFeatures[]): number[][] {
  const raw = options.map((o) => [
    o.length,
    o.lengthRank === 1 ? 1 : 0,
    o.lengthRank === 4 ? 1 : 0,
    o.cues.justifying ? 1 : 0,
    o.cues.absolute ? 1 : 0,
    o.cues.hedge ? 1 : 0,
    o.cues.negation ? 1 : 0,
    o.psfOverlap,
    o.convergence,
  ]);
  const width = raw[0].length;
  const means = Array.from({ length: width }, (_, j) => raw.reduce((s, r) => s + r[j], 0) / raw.length);
  const sds = Array.from({ length: width }, (_, j) => Math.sqrt(raw.reduce((s, r) => s + (r[j] - means[j]) ** 2, 0) / raw.length));
  return raw.map((r) => r.map((v, j) => (sds[j] > 0 ? (v - means[j]) / sds[j] : 0)));
}

/**
 * Fits weights maximising the likelihood that the key is the chosen option (L2-regularised), by
 * Newton's method: the log-likelihood is concave, so a dozen steps reach the optimum.
 */
export function fitConditionalLogit(training: OptionFeatures[][], iterations = 12, l2 = 0.01): number[] {
  const data = training.map((options) => ({ x: featureVector(options), key: options.findIndex((o) => o.key) }));
  const width = data[0]?.x[0].length ?? 0;
  let w = new Array<number>(width).fill(0);
  const p = [0, 0, 0, 0];
  const mean = new Array<number>(width).fill(0);
  for (let it = 0; it < iterations && data.length; it++) {
    const grad = w.map((wj) => -l2 * wj);
    const hessian = Array.from({ length: width }, (_, j) => Array.from({ length: width }, (_, k) => (j === k ? -l2 : 0)));
    for (const { x, key } of data) {
      // Plain loops: this runs for every item, option and feature pair in every Newton step.
      let max = -Infinity;
      for (let i = 0; i < x.length; i++) {
        let logit = 0;
        for (let j = 0; j < width; j++) logit += x[i][j] * w[j];
        p[i] = logit;
        if (logit > max) max = logit;
      }
      let total = 0;
      for (let i = 0; i < x.length; i++) total += p[i] = Math.exp(p[i] - max);
      for (let i = 0; i < x.length; i++) p[i] /= total;
      for (let j = 0; j < width; j++) {
        mean[j] = 0;
        for (let i = 0; i < x.length; i++) mean[j] += p[i] * x[i][j];
        grad[j] += x[key][j] - mean[j];
      }
      for (let j = 0; j < width; j++) {
        for (let k = j; k < width; k++) {
          let second = 0;
          for (let i = 0; i < x.length; i++) second += p[i] * x[i][j] * x[i][k];
          const h = second - mean[j] * mean[k];
          hessian[j][k] -= h;
          if (k !== j) hessian[k][j] -= h;
        }
      }
    }
    const step = solve(hessian, grad.map((g) => -g));
    w = w.map((wj, j) => wj + step[j]);
  }
  return w;
}

/** Gaussian elimination with partial pivoting (A is small and, with the L2 term, never singular). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    const pivot = m.reduce((best, row, r) => (r >= c && Math.abs(row[c]) > Math.abs(m[best][c]) ? r : best), c);
    [m[c], m[pivot]] = [m[pivot], m[c]];
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) x[r] = (m[r][n] - m[r].slice(r + 1, n).reduce((sum, v, k) => sum + v * x[r + 1 + k], 0)) / m[r][r];
  return x;
}

export function logitStrategy(
  weights: number[],
  name = 'learned',
  describe = 'conditional logit on all option features, trained on the other domains',
): Strategy {
  return {
    name,
    describe,
    // Rounded so that options with the same features tie, as they would for a person.
    score: (os) => featureVector(os).map((row) => Math.round(1e6 * row.reduce((s, v, j) => s + v * weights[j], 0)) / 1e6),
  };
}

// --- blueprint forms ----------------------------------------------------------------------------

/** Deterministic PRNG (mulberry32), so the audit prints the same figures on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** P(at least `needed` successes) for independent trials with the given probabilities. */
export function probabilityAtLeast(chances: number[], needed: number): number {
  let dist = [1];
  for (const p of chances) {
    const next = new Array<number>(dist.length + 1).fill(0);
    dist.forEach((q, k) => {
      next[k] += q * (1 - p);
      next[k + 1] += q * p;
    });
    dist = next;
  }
  return dist.slice(Math.max(0, needed)).reduce((a, b) => a + b, 0);
}

/**
 * Random blueprint forms (item ids), drawn per domain without repeating a criterion where the pool
 * allows, as the exam does. Drawn once and shared by every strategy.
 */
export function simulatedForms(items: BankItem[], blueprint: Pick<Blueprint, 'domains'>, forms = STEM_BLIND_FORMS, seed = 20261201): string[][] {
  const random = seededRandom(seed);
  const byDomain = new Map<string, BankItem[]>();
  for (const item of items) byDomain.set(item.domain, [...(byDomain.get(item.domain) ?? []), item]);
  return Array.from({ length: forms }, () =>
    Object.entries(blueprint.domains).flatMap(([domain, count]) => {
      const pool = [...(byDomain.get(domain) ?? [])];
      const usedCriteria = new Set<string>();
      const picked: string[] = [];
      while (picked.length < count && pool.length) {
        const fresh = pool.filter((i) => !usedCriteria.has(i.criterion));
        const from = fresh.length ? fresh : pool;
        const choice = from[Math.floor(random() * from.length)];
        picked.push(choice.id);
        usedCriteria.add(choice.criterion);
        pool.splice(pool.indexOf(choice), 1);
      }
      return picked;
    }),
  );
}

/** The mean probability of reaching the pass mark on the given forms, for per-item success chances. */
export function blueprintPassRate(
  chances: Map<string, number>,
  forms: string[][],
  blueprint: Pick<Blueprint, 'questionCount' | 'passMarkPercent'>,
): number {
  if (!forms.length) return 0;
  const needed = Math.ceil((blueprint.passMarkPercent / 100) * blueprint.questionCount - 1e-9);
  return forms.reduce((sum, form) => sum + probabilityAtLeast(form.map((id) => chances.get(id) ?? 0.25), needed), 0) / forms.length;
}

// --- the audit ---------------------------------------------------------------------------------

export interface CueShare {
  keys: number;
  distractors: number;
}

export interface DomainAudit {
  domain: string;
  file: string;
  line: number;
  items: number;
  cues: Record<CueKind, CueShare>;
  /** Share of keys at length rank 1 (longest), 2, 3 and 4 (shortest); ties split between ranks. */
  lengthRanks: [number, number, number, number];
  lengthRatio: number;
  overlapAdvantage: number;
  strategies: Array<{ name: string; score: number }>;
}

export interface StrategyResult {
  name: string;
  describe: string;
  score: number;
  passRate: number;
}

export interface CueAuditReport {
  items: number;
  domains: DomainAudit[];
  bank: Omit<DomainAudit, 'domain' | 'file' | 'line' | 'strategies'>;
  strategies: StrategyResult[];
  best: StrategyResult;
  problems: BankProblem[];
}

/** Items a candidate can be shown: active ones and pretest ones (unscored, but seen). */
export const drawable = (item: BankItem) => item.status === 'active' || item.status === 'pretest';

function summarise(audited: AuditedItem[]): Omit<DomainAudit, 'domain' | 'file' | 'line' | 'strategies'> {
  const keys = audited.map((a) => a.options.find((o) => o.key)!);
  const distractors = audited.flatMap((a) => a.options.filter((o) => !o.key));
  const share = (list: OptionFeatures[], kind: CueKind) => (list.length ? list.filter((o) => o.cues[kind]).length / list.length : 0);
  const ranks: [number, number, number, number] = [0, 0, 0, 0];
  for (const k of keys) {
    // A tie (e.g. rank 1.5) counts half to each neighbouring rank.
    const lo = Math.floor(k.lengthRank);
    const frac = k.lengthRank - lo;
    ranks[lo - 1] += 1 - frac;
    if (frac > 0) ranks[lo] += frac;
  }
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  return {
    items: audited.length,
    cues: Object.fromEntries(CUE_KINDS.map((kind) => [kind, { keys: share(keys, kind), distractors: share(distractors, kind) }])) as Record<
      CueKind,
      CueShare
    >,
    lengthRanks: ranks.map((r) => (keys.length ? r / keys.length : 0)) as [number, number, number, number],
    lengthRatio: mean(
      audited.map((a) => {
        const key = a.options.find((o) => o.key)!;
        return key.length / mean(a.options.filter((o) => !o.key).map((o) => o.length));
      }),
    ),
    overlapAdvantage: mean(
      audited.map((a) => a.options.find((o) => o.key)!.psfOverlap - mean(a.options.filter((o) => !o.key).map((o) => o.psfOverlap))),
    ),
  };
}

const pct = (x: number) => `${Math.round(100 * x)}%`;

export function auditCues(items: BankItem[], framework: Framework, blueprint: Blueprint | null): CueAuditReport {
  const pool = items.filter((i) => drawable(i) && i.options.filter((o) => o.key).length === 1 && i.options.length === 4);
  const audited = pool.map((item) => optionFeatures(item, framework));
  const problems: BankProblem[] = [];
  const domainCodes = framework.domains.map((d) => d.code).filter((code) => audited.some((a) => a.item.domain === code));

  // The learned attacker is evaluated on each domain with weights fitted on the other domains.
  const chanceByStrategy = new Map<string, Map<string, number>>();
  const record = (strategy: string, itemId: string, chance: number) => {
    if (!chanceByStrategy.has(strategy)) chanceByStrategy.set(strategy, new Map());
    chanceByStrategy.get(strategy)!.set(itemId, chance);
  };
  for (const code of domainCodes) {
    const inside = audited.filter((a) => a.item.domain === code);
    const outside = audited.filter((a) => a.item.domain !== code);
    const learned = logitStrategy(fitConditionalLogit(outside.map((a) => a.options)));
    for (const a of inside) {
      for (const s of [...FIXED_STRATEGIES, learned]) record(s.name, a.item.id, keyChance(s.score(a.options), a.options));
    }
  }
  // The same attacker trained across the whole bank, 10-fold cross-validated (folds by a seeded shuffle).
  const folds = 10;
  const order = audited.map((a, i) => ({ a, r: seededRandom(7 + i)() })).sort((x, y) => x.r - y.r).map((x) => x.a);
  const learnedCv = (w: number[]) => logitStrategy(w, 'learned-cv', 'the same logit trained on 90% of the bank, tested on the rest (10 folds)');
  for (let f = 0; f < folds; f++) {
    const test = order.filter((_, i) => i % folds === f);
    const train = order.filter((_, i) => i % folds !== f);
    const strategy = learnedCv(fitConditionalLogit(train.map((a) => a.options)));
    for (const a of test) record(strategy.name, a.item.id, keyChance(strategy.score(a.options), a.options));
  }
  const forms = blueprint ? simulatedForms(pool, blueprint) : [];
  const strategies: StrategyResult[] = [...FIXED_STRATEGIES, logitStrategy([]), learnedCv([])].map((s) => {
    const chances = chanceByStrategy.get(s.name) ?? new Map<string, number>();
    const score = audited.length ? [...chances.values()].reduce((a, b) => a + b, 0) / audited.length : 0;
    return { name: s.name, describe: s.describe, score, passRate: blueprint ? blueprintPassRate(chances, forms, blueprint) : 0 };
  });
  const best = strategies.reduce((a, b) => (b.score > a.score || (b.score === a.score && b.passRate > a.passRate) ? b : a));
  const riskiest = strategies.reduce((a, b) => (b.passRate > a.passRate ? b : a));

  const domains: DomainAudit[] = domainCodes.map((code) => {
    const inside = audited.filter((a) => a.item.domain === code);
    const first = inside.reduce((a, b) => (b.item.source.line < a.item.source.line ? b : a));
    return {
      domain: code,
      file: first.item.source.file,
      line: first.item.source.line,
      ...summarise(inside),
      strategies: strategies.map((s) => ({
        name: s.name,
        score: inside.reduce((n, a) => n + (chanceByStrategy.get(s.name)?.get(a.item.id) ?? 0), 0) / inside.length,
      })),
    };
  });
  const bank = summarise(audited);

  // Problems, each naming where to look and the figure measured.
  const contributors = (inside: AuditedItem[], pick: (a: AuditedItem) => boolean) =>
    inside
      .filter(pick)
      .slice(0, 6)
      .map((a) => `${a.item.id} (line ${a.item.source.line})`)
      .join(', ');
  for (const d of domains) {
    const inside = audited.filter((a) => a.item.domain === d.domain);
    const where = { file: d.file, line: d.line };
    for (const kind of CUE_KINDS) {
      const { keys, distractors } = d.cues[kind];
      if (Math.abs(keys - distractors) > CUE_LIMITS.cueGapDomain) {
        const inKeys = keys > distractors;
        problems.push({
          ...where,
          message: `${d.domain} cue audit: ${kind} wording in ${pct(keys)} of keys vs ${pct(distractors)} of distractors (gap ${pct(Math.abs(keys - distractors))}, limit ${pct(CUE_LIMITS.cueGapDomain)}); ${inKeys ? 'keys' : 'distractors'} with it: ${contributors(inside, (a) => a.options.some((o) => o.key === inKeys && o.cues[kind]))}`,
        });
      }
    }
    d.lengthRanks.forEach((share, i) => {
      if (share > CUE_LIMITS.lengthRankDomain) {
        problems.push({
          ...where,
          message: `${d.domain} cue audit: the key is the ${RANK_NAMES[i]} option in ${pct(share)} of items (limit ${pct(CUE_LIMITS.lengthRankDomain)}): ${contributors(inside, (a) => Math.round(a.options.find((o) => o.key)!.lengthRank) === i + 1)}`,
        });
      }
    });
    if (Math.abs(d.lengthRatio - 1) > CUE_LIMITS.lengthRatio) {
      problems.push({
        ...where,
        message: `${d.domain} cue audit: keys are on average ${d.lengthRatio.toFixed(2)}× the length of their distractors (allowed ${(1 - CUE_LIMITS.lengthRatio).toFixed(2)}–${(1 + CUE_LIMITS.lengthRatio).toFixed(2)})`,
      });
    }
    if (d.overlapAdvantage > CUE_LIMITS.overlapAdvantageDomain) {
      problems.push({
        ...where,
        message: `${d.domain} cue audit: keys repeat ${d.overlapAdvantage.toFixed(2)} more PSF-wording words than their distractors on average (limit ${CUE_LIMITS.overlapAdvantageDomain}): ${contributors(inside, (a) => a.options.find((o) => o.key)!.psfOverlap > Math.max(...a.options.filter((o) => !o.key).map((o) => o.psfOverlap)))}`,
      });
    }
    for (const s of d.strategies) {
      if (s.score > CUE_LIMITS.stemBlindDomainScore) {
        problems.push({
          ...where,
          message: `${d.domain} cue audit: the stem-blind strategy "${s.name}" scores ${pct(s.score)} per item in this domain (limit ${pct(CUE_LIMITS.stemBlindDomainScore)})`,
        });
      }
    }
  }
  const bankWhere = { file: 'items/', line: 1 };
  for (const kind of CUE_KINDS) {
    const { keys, distractors } = bank.cues[kind];
    if (Math.abs(keys - distractors) > CUE_LIMITS.cueGapBank) {
      problems.push({
        ...bankWhere,
        message: `cue audit (bank): ${kind} wording in ${pct(keys)} of keys vs ${pct(distractors)} of distractors (gap ${pct(Math.abs(keys - distractors))}, limit ${pct(CUE_LIMITS.cueGapBank)})`,
      });
    }
  }
  bank.lengthRanks.forEach((share, i) => {
    if (share > CUE_LIMITS.lengthRankBank || share < CUE_LIMITS.lengthRankBankMin) {
      problems.push({
        ...bankWhere,
        message: `cue audit (bank): the key is the ${RANK_NAMES[i]} option in ${pct(share)} of items (allowed ${pct(CUE_LIMITS.lengthRankBankMin)}–${pct(CUE_LIMITS.lengthRankBank)})`,
      });
    }
  });
  if (bank.overlapAdvantage > CUE_LIMITS.overlapAdvantageBank) {
    problems.push({
      ...bankWhere,
      message: `cue audit (bank): keys repeat ${bank.overlapAdvantage.toFixed(2)} more PSF-wording words than their distractors on average (limit ${CUE_LIMITS.overlapAdvantageBank})`,
    });
  }
  if (best.score > CUE_LIMITS.stemBlindScore) {
    problems.push({
      ...bankWhere,
      message: `stem-blind simulation: the best option-only strategy ("${best.name}": ${best.describe}) scores ${pct(best.score)} per item (limit ${pct(CUE_LIMITS.stemBlindScore)})`,
    });
  }
  if (riskiest.passRate >= CUE_LIMITS.stemBlindPassRate) {
    problems.push({
      ...bankWhere,
      message: `stem-blind simulation: "${riskiest.name}" passes ${(100 * riskiest.passRate).toFixed(1)}% of simulated blueprint forms (limit below ${pct(CUE_LIMITS.stemBlindPassRate)})`,
    });
  }

  // Per item: a key that is the only option free of the classic cues is found at a glance.
  for (const a of audited) {
    const key = a.options.find((o) => o.key)!;
    if (uncued(key) && a.options.filter((o) => !o.key).every((o) => !uncued(o))) {
      problems.push({
        ...a.item.source,
        message: `item ${a.item.id}: the key is the only option without a justifying clause or an absolute (stem-blind "no-cue" finds it)`,
      });
    }
  }
  return { items: audited.length, domains, bank, strategies, best, problems };
}

const RANK_NAMES = ['longest', 'second-longest', 'second-shortest', 'shortest'];

/** The figures `npm run bank:check` prints. */
export function formatCueAudit(report: CueAuditReport): string {
  const lines = [`cue audit (${report.items} drawable items; limits in question-bank/README.md, "Cueing"):`];
  const row = (label: string, d: Omit<DomainAudit, 'domain' | 'file' | 'line' | 'strategies'>) =>
    `  ${label.padEnd(5)} ${CUE_KINDS.map((k) => `${k} ${pct(d.cues[k].keys)}/${pct(d.cues[k].distractors)}`).join('  ')}  ` +
    `key length rank ${d.lengthRanks.map(pct).join('/')}  ratio ${d.lengthRatio.toFixed(2)}  PSF-overlap ${d.overlapAdvantage >= 0 ? '+' : ''}${d.overlapAdvantage.toFixed(2)}`;
  lines.push('  (cue shares are keys/distractors; length ranks are longest/2nd/3rd/shortest)');
  for (const d of report.domains) lines.push(row(d.domain, d));
  lines.push(row('bank', report.bank));
  lines.push('stem-blind simulation (expected score per item; pass rate on simulated blueprint forms):');
  for (const s of [...report.strategies].sort((a, b) => b.score - a.score)) {
    lines.push(`  ${s.name.padEnd(24)} ${pct(s.score).padStart(4)}  pass ${(100 * s.passRate).toFixed(2).padStart(6)}%  ${s.describe}`);
  }
  lines.push(`  best: "${report.best.name}" ${pct(report.best.score)} per item (limit ${pct(CUE_LIMITS.stemBlindScore)}); passes ${(100 * report.best.passRate).toFixed(2)}% of forms (limit < ${pct(CUE_LIMITS.stemBlindPassRate)})`);
  return `${lines.join('\n')}\n`;
}
