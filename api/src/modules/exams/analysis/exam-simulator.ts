import { type DataSource } from 'typeorm';
import type { AuthUser } from '../../../common/auth/auth-user';
import { typed } from '../../../infrastructure/database/kysely';
import type { ExamsService } from '../exams.service';
import type { ExamAnalysisService } from './exam-analysis.service';
import type { BankItem } from '../../question-bank/bank-files';
import { FIXED_STRATEGIES, optionFeatures } from '../../question-bank/cue-audit';
import type { Framework } from '../../programme/framework';
import type { ItemContent } from '../../question-bank/item-content';
import { questionBankReader } from '../../question-bank/question-bank.reader';
import type { ExamAnalysisDto } from './dto/analysis.dto';
import { spearman } from './psychometrics';
import { type IrtItem, normal, populationKr20, probabilityCorrect, seededRandom } from './simulation';

/**
 * A synthetic population sitting AIDA through the real attempt API, so the item analysis can be
 * demonstrated and tested against known truth. Abilities are normal; responses follow a 2PL (or
 * Rasch) model whose item difficulties start from each item's nominal level; when a test-wise
 * candidate does not know an answer they pick by option cues (a stem-blind strategy) instead of at
 * random. The simulator plays the examiner too: it reads the key from the database it owns.
 */

export interface SimulationOptions {
  candidates: number;
  seed: number;
  /** Share of candidates who guess by option cues rather than at random. */
  testWiseShare: number;
  model: 'rasch' | '2pl';
  concurrency: number;
  /** Items whose difficulty is raised by 1.0 logit for candidates declaring the focal group (planted DIF). */
  difItems: number;
  /** Mean ability, on the item difficulty scale (nominal easy −1, medium 0, hard 0.8). */
  abilityMean: number;
}

export const DEFAULT_SIMULATION: SimulationOptions = {
  candidates: 500,
  seed: 20261201,
  testWiseShare: 0.1,
  model: '2pl',
  concurrency: 8,
  difItems: 0,
  abilityMean: 0.6,
};

/** Nominal difficulty → the logit an item's true difficulty is drawn around. */
const NOMINAL_B = { easy: -1, medium: 0, hard: 0.8 } as const;
const DIF_SHIFT = 1;
const TEST_WISE_STRATEGY = FIXED_STRATEGIES.find((s) => s.name === 'no-cue+psf-overlap')!;

export interface SimulatedCandidate {
  email: string;
  password: string;
}

interface QuestionView {
  id: string;
  domain: { code: string };
  options: Array<{ id: string; text: string }>;
}

/** How a simulated candidate reaches the exam: the HTTP API (`npm run exam:simulate`) or the same service calls in process (tests). */
export interface CandidateTransport {
  signIn(candidate: SimulatedCandidate): Promise<unknown>;
  declareFirstLanguage(session: unknown, value: 'english' | 'other'): Promise<void>;
  start(session: unknown): Promise<{ id: string; questions: QuestionView[] }>;
  save(session: unknown, attemptId: string, questionId: string, optionId: string, clientSeq: number): Promise<void>;
  submit(session: unknown, attemptId: string): Promise<void>;
}

/** The published API, request by request, with latencies per route. */
export class HttpTransport implements CandidateTransport {
  requests = 0;
  readonly timings = new Map<string, number[]>();

  constructor(private readonly baseUrl: string) {}

  async signIn(candidate: SimulatedCandidate): Promise<string> {
    return (await this.call<{ accessToken: string }>('POST', '/api/auth/login', undefined, candidate)).accessToken;
  }

  async declareFirstLanguage(token: unknown, value: 'english' | 'other'): Promise<void> {
    await this.call('PUT', '/api/me/attributes', token as string, { firstLanguage: value });
  }

  start(token: unknown) {
    return this.call<{ id: string; questions: QuestionView[] }>('POST', '/api/exams/aida/attempts', token as string);
  }

  async save(token: unknown, attemptId: string, questionId: string, optionId: string, clientSeq: number): Promise<void> {
    await this.call('PUT', `/api/exams/aida/attempts/${attemptId}/answers/${questionId}`, token as string, { optionId, clientSeq });
  }

  async submit(token: unknown, attemptId: string): Promise<void> {
    await this.call('POST', `/api/exams/aida/attempts/${attemptId}/submit`, token as string);
  }

  private async call<T = unknown>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
    this.requests += 1;
    const route = path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id');
    const t0 = performance.now();
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
    const parsed = (res.status === 204 ? undefined : await res.json()) as T;
    const key = `${method} ${route}`;
    this.timings.set(key, [...(this.timings.get(key) ?? []), performance.now() - t0]);
    return parsed;
  }
}

export interface SimulationResult {
  /** True parameters by item version id. */
  items: Map<string, IrtItem & { itemId: string; dif: boolean }>;
  /** Each sitting: ability, behaviour, declared group and the scored item versions of its form. */
  sittings: Array<{ attemptId: string; theta: number; testWise: boolean; group: 'english' | 'other'; scored: string[]; score: number }>;
  errors: number;
  seconds: number;
}

/** The same calls the controllers make, in process: for tests that need thousands of sittings quickly. */
export class ServiceTransport implements CandidateTransport {
  constructor(
    private readonly exams: Pick<ExamsService, 'startAttempt' | 'saveAnswer' | 'submit'>,
    private readonly analysis: Pick<ExamAnalysisService, 'declareAttributes'>,
    private readonly accounts: Map<string, AuthUser>,
  ) {}

  async signIn(candidate: SimulatedCandidate): Promise<AuthUser> {
    const user = this.accounts.get(candidate.email);
    if (!user) throw new Error(`no account for ${candidate.email}`);
    return user;
  }

  async declareFirstLanguage(user: unknown, value: 'english' | 'other'): Promise<void> {
    await this.analysis.declareAttributes(user as AuthUser, { firstLanguage: value });
  }

  start(user: unknown) {
    return this.exams.startAttempt(user as AuthUser);
  }

  async save(user: unknown, attemptId: string, questionId: string, optionId: string, clientSeq: number): Promise<void> {
    await this.exams.saveAnswer(user as AuthUser, attemptId, questionId, { optionId, clientSeq });
  }

  async submit(user: unknown, attemptId: string): Promise<void> {
    await this.exams.submit(user as AuthUser, attemptId);
  }
}

export class ExamSimulator {
  private errors = 0;

  constructor(
    private readonly transport: CandidateTransport,
    private readonly dataSource: DataSource,
    private readonly framework: Framework,
    private readonly options: SimulationOptions,
  ) {}

  /** True parameters for every drawable item, deterministic for a seed. */
  async trueParameters(): Promise<SimulationResult['items']> {
    const random = seededRandom(this.options.seed);
    const db = typed(this.dataSource);
    const rows = await db
      .selectFrom(questionBankReader.items(db).as('i'))
      .select((eb) => [
        eb.ref('i.currentVersionId').$castTo<string>().as('version'),
        'i.id as itemId',
        eb.ref('i.difficulty').$castTo<keyof typeof NOMINAL_B>().as('difficulty'),
      ])
      .where('i.status', 'in', ['active', 'pretest'])
      .orderBy('i.id')
      .execute();
    const difEvery = this.options.difItems > 0 ? Math.floor(rows.length / this.options.difItems) : 0;
    return new Map(
      rows.map((r, i) => {
        const b = NOMINAL_B[r.difficulty] + 0.4 * normal(random);
        const a = this.options.model === 'rasch' ? 1 : Math.exp(0.25 * normal(random));
        const dif = difEvery > 0 && i % difEvery === 0 && i / difEvery < this.options.difItems;
        return [r.version, { a, b, itemId: r.itemId, dif }];
      }),
    );
  }

  async run(candidates: SimulatedCandidate[]): Promise<SimulationResult> {
    const started = Date.now();
    const items = await this.trueParameters();
    const sittings: SimulationResult['sittings'] = [];
    let next = 0;
    const worker = async () => {
      while (next < candidates.length) {
        const index = next++;
        const sitting = await this.sit(candidates[index], index, items).catch(() => {
          this.errors += 1;
          return null;
        });
        if (sitting) sittings.push(sitting);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.options.concurrency) }, worker));
    return { items, sittings, errors: this.errors, seconds: (Date.now() - started) / 1000 };
  }

  private async sit(candidate: SimulatedCandidate, index: number, items: SimulationResult['items']) {
    // Each candidate's draws come from their own seeded stream, so concurrency does not change the population.
    const random = seededRandom(this.options.seed * 7919 + index);
    const theta = this.options.abilityMean + normal(random);
    const testWise = random() < this.options.testWiseShare;
    const group = random() < 0.5 ? 'english' : 'other';
    const session = await this.transport.signIn(candidate);
    await this.transport.declareFirstLanguage(session, group);
    const attempt = await this.transport.start(session);
    const examiner = await this.examinerView(attempt.id);
    let seq = 1;
    let score = 0;
    for (const question of attempt.questions) {
      const truth = examiner.get(question.id)!;
      const params = items.get(truth.version)!;
      const b = params.dif && group === 'other' ? params.b + DIF_SHIFT : params.b;
      const knows = random() < probabilityCorrect(theta, { a: params.a, b });
      const chosen = knows ? truth.keyOption : this.guess(question, truth, testWise, random);
      if (truth.scored && chosen === truth.keyOption) score += 1;
      await this.transport.save(session, attempt.id, question.id, chosen, seq++);
    }
    await this.transport.submit(session, attempt.id);
    const scored = attempt.questions
      .map((q) => examiner.get(q.id)!)
      .filter((t) => t.scored)
      .map((t) => t.version);
    return { attemptId: attempt.id, theta, testWise, group: group as 'english' | 'other', scored, score };
  }

  /** A wrong-footed candidate: test-wise ones follow the option cues (which may still hit the key); others pick a distractor. */
  private guess(question: QuestionView, truth: ExaminerView, testWise: boolean, random: () => number): string {
    if (testWise) {
      const asItem = {
        domain: question.domain.code,
        options: question.options.map((o) => ({ text: o.text, key: o.id === truth.keyOption, rationale: '' })),
      } as unknown as BankItem;
      const features = optionFeatures(asItem, this.framework);
      const scores = TEST_WISE_STRATEGY.score(features.options);
      const best = Math.max(...scores);
      const top = question.options.filter((_, i) => scores[i] === best);
      return top[Math.floor(random() * top.length)].id;
    }
    // Distractors are not equally attractive: the first distractor in the file draws most.
    const distractors = truth.distractorsByAttraction;
    const weights = [0.5, 0.3, 0.2].slice(0, distractors.length);
    let r = random() * weights.reduce((a, w) => a + w, 0);
    for (let i = 0; i < distractors.length; i++) {
      r -= weights[i];
      if (r <= 0) return distractors[i];
    }
    return distractors[distractors.length - 1];
  }

  /** What only the examiner knows about a candidate's questions: the item version, the key, scored or pretest. */
  private async examinerView(attemptId: string): Promise<Map<string, ExaminerView>> {
    const db = typed(this.dataSource);
    const rows = await db
      .selectFrom('attemptQuestions as q')
      .innerJoin(questionBankReader.itemVersions(db).as('v'), 'v.id', 'q.itemVersionId')
      .select((eb) => [
        'q.id',
        'q.itemVersionId',
        'q.scored',
        eb.ref('q.options').$castTo<Array<{ id: string; source: string }>>().as('options'),
        eb.ref('v.content').$castTo<ItemContent>().as('content'),
      ])
      .where('q.attemptId', '=', attemptId)
      .execute();
    return new Map(
      rows.map((r) => {
        const shown = (source: string) => r.options.find((o) => o.source === source)!.id;
        const key = r.content.options.find((o) => o.key)!.id;
        return [
          r.id,
          {
            version: r.itemVersionId,
            scored: r.scored,
            keyOption: shown(key),
            distractorsByAttraction: r.content.options.filter((o) => !o.key).map((o) => shown(o.id)),
          },
        ];
      }),
    );
  }
}

interface ExaminerView {
  version: string;
  scored: boolean;
  keyOption: string;
  distractorsByAttraction: string[];
}

export interface RecoveryReport {
  candidates: number;
  itemsCompared: number;
  /** Spearman rank correlation of observed facility with −b (true easiness), items with at least `minN` responses. */
  difficultyRankCorrelation: number | null;
  kr20Observed: number | null;
  /** The model's KR-20 for the forms actually sat (no test-wise guessing, no DIF: exact only when both are off). */
  kr20Population: number;
  meanScore: number | null;
  testWise: { candidates: number; meanScore: number | null; naiveMeanScore: number | null };
}

/** How well the analysis recovers what the simulation planted. */
export function recoveryReport(result: SimulationResult, analysis: ExamAnalysisDto, abilityMean: number, minN = 30): RecoveryReport {
  const compared = analysis.items.filter((i) => i.n >= minN && i.facility !== null && result.items.has(i.versionId));
  const forms = result.sittings.map((s) => s.scored.map((v) => result.items.get(v)!));
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  const wise = result.sittings.filter((s) => s.testWise);
  const naive = result.sittings.filter((s) => !s.testWise);
  return {
    candidates: result.sittings.length,
    itemsCompared: compared.length,
    difficultyRankCorrelation: spearman(
      compared.map((i) => i.facility!),
      compared.map((i) => -result.items.get(i.versionId)!.b),
    ),
    kr20Observed: analysis.reliability.kr20,
    kr20Population: forms.length ? populationKr20(forms, abilityMean, 1) : 0,
    meanScore: analysis.scores.mean,
    testWise: { candidates: wise.length, meanScore: mean(wise.map((s) => s.score)), naiveMeanScore: mean(naive.map((s) => s.score)) },
  };
}
