import { type AttemptView, call, type Candidate } from './candidates';
import type { DrillPlatform } from './platform';

// 40 saves per attempt per 10 s is the API's limit (SaveRateLimiter): a candidate saving every ~260 ms stays under it.
const PACE_MS = 230;

interface Sitting {
  candidate: Candidate;
  attempt: AttemptView;
  /** Every save sent, by its clientSeq: what the database may hold for a question whose save was cut off unanswered. */
  sent: Map<number, { questionId: string; optionId: string }>;
}

interface Acknowledged {
  attemptId: string;
  questionId: string;
  seq: number;
  optionId: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Candidates changing answers as fast as the API lets them, each in its own loop, until stopped; keeps
 * the last acknowledged (2xx) save of every question and counts every answer by status ('refused':
 * no connection, e.g. while the API is down).
 */
export class SaveStorm {
  readonly statuses = new Map<string, number>();
  private readonly acknowledged = new Map<string, Acknowledged>();
  private readonly sittings: Sitting[];
  private acks = 0;
  private stopped = false;
  private running: Promise<void> | null = null;

  constructor(
    private readonly platform: DrillPlatform,
    sittings: Array<{ candidate: Candidate; attempt: AttemptView }>,
  ) {
    this.sittings = sittings.map((s) => ({ ...s, sent: new Map() }));
  }

  /** Acknowledged saves so far (every 2xx, not only the last per question). */
  get acknowledgedCount(): number {
    return this.acks;
  }

  count(status: string): number {
    return this.statuses.get(status) ?? 0;
  }

  summary(): string {
    return [...this.statuses].map(([status, n]) => `${status}: ${n}`).join(', ');
  }

  start(): void {
    this.running = Promise.all(this.sittings.map((s) => this.loop(s))).then(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async loop(sitting: Sitting): Promise<void> {
    const { attempt, candidate } = sitting;
    for (let seq = 1; !this.stopped; seq++) {
      const question = attempt.questions[Math.floor(Math.random() * attempt.questions.length)];
      const optionId = question.options[Math.floor(Math.random() * question.options.length)].id;
      sitting.sent.set(seq, { questionId: question.id, optionId });
      let status: string;
      try {
        const answer = await call(this.platform.baseUrl, 'PUT', `/api/exams/aida/attempts/${attempt.id}/answers/${question.id}`, {
          token: candidate.token,
          body: { optionId, clientSeq: seq },
        });
        status = String(answer.status);
      } catch {
        status = 'refused';
      }
      this.statuses.set(status, this.count(status) + 1);
      if (status.startsWith('2')) {
        this.acks += 1;
        this.acknowledged.set(`${attempt.id}:${question.id}`, { attemptId: attempt.id, questionId: question.id, seq, optionId });
      }
      await sleep(status === '429' ? 1_000 : PACE_MS);
    }
  }

  /**
   * Acknowledged saves the database does not hold: a question whose stored answer is older than its last
   * acknowledged save, or is that save with another option. A newer stored answer is fine only when the
   * candidate sent it (a save that committed while its answer was cut off).
   */
  async lostSaves(): Promise<Acknowledged[]> {
    const rows = await this.platform.query<{
      attempt_id: string;
      question_id: string;
      option_id: string | null;
      client_seq: string | null;
    }>('SELECT attempt_id, question_id, option_id, client_seq FROM attempt_answers WHERE attempt_id = ANY($1::uuid[])', [
      this.sittings.map((s) => s.attempt.id),
    ]);
    const stored = new Map(rows.map((r) => [`${r.attempt_id}:${r.question_id}`, r]));
    const sent = new Map(this.sittings.map((s) => [s.attempt.id, s.sent]));
    return [...this.acknowledged.values()].filter((ack) => {
      const row = stored.get(`${ack.attemptId}:${ack.questionId}`);
      if (!row || row.client_seq === null) return true;
      const seq = Number(row.client_seq);
      if (seq === ack.seq) return row.option_id !== ack.optionId;
      const later = sent.get(ack.attemptId)!.get(seq);
      return seq < ack.seq || later?.questionId !== ack.questionId || later.optionId !== row.option_id;
    });
  }

  /** Distinct questions with an acknowledged save. */
  get questionsAcknowledged(): number {
    return this.acknowledged.size;
  }
}
