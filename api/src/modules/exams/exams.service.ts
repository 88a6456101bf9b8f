import { BadRequestException, ConflictException, Injectable, NotFoundException, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { assertEmailVerified } from '../users/email-verification';
import { TooManyRequestsException } from '../../common/errors/too-many-requests.exception';
import { ExamMetrics } from '../../infrastructure/metrics/exam-metrics';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { AuditService } from '../audit/audit.service';
import { QuestionBankService } from '../question-bank/question-bank.service';
import { ProgrammeCatalogue } from '../programme/programme-catalogue';
import { attemptLifecycle } from './attempt-lifecycle';
import { AttemptClosingService } from './attempt-closing.service';
import { toSummary } from './attempt-summary';
import { AttemptDto, AttemptSummaryDto, EligibilityDto, ExamInfoDto, ExamSettingsDto, SaveAnswerDto, SavedAnswerDto } from './dto/exam.dto';
import { AIDA, DEFAULT_PRETEST_COUNT, ExamSettingsService } from './exam-settings.service';
import { type Answer, type AttemptQuestion, AttemptQuestionsRepository } from './attempt-questions.repository';
import { type Attempt, AttemptsRepository, type FinishedAttempt, type StartContext } from './attempts.repository';
import { type ExamWindow, type PassMarkSource } from './exam-windows.repository';
import { assembleForm, choosePretestItems, chooseScoredItems, type DrawnQuestion } from './form-draw';
import { FormPoolRepository } from './form-pool.repository';
import { ItemVersionContents, type VersionContent } from './item-version-contents';
import { SaveRateLimiter } from './save-rate-limiter';

export { AIDA, DEFAULT_PRETEST_COUNT, DEFAULT_RETAKE_COOLDOWN_SECONDS } from './exam-settings.service';

/** Whether a candidate may start: not with an attempt in progress, not after a pass, not inside the retake cool-down. */
function eligibilityOf(inProgressId: string | null, last: FinishedAttempt | null, settings: ExamSettingsDto): EligibilityDto {
  if (inProgressId) return { canStart: false, reason: 'You have an attempt in progress', attemptId: inProgressId };
  if (last?.passed) return { canStart: false, reason: 'You have passed the AIDA examination' };
  if (last?.submittedAt) {
    const retryAt = last.submittedAt.getTime() + settings.retakeCooldownSeconds * 1000;
    if (retryAt > Date.now()) {
      return { canStart: false, reason: 'A retake is possible after the cool-down', retryAfter: new Date(retryAt).toISOString() };
    }
  }
  return { canStart: true };
}

@Injectable()
export class ExamsService {
  private readonly saveLimiter = new SaveRateLimiter();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly attempts: AttemptsRepository,
    private readonly questions: AttemptQuestionsRepository,
    private readonly pool: FormPoolRepository,
    private readonly programme: ProgrammeCatalogue,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly bank: QuestionBankService,
    private readonly examSettings: ExamSettingsService,
    private readonly closing: AttemptClosingService,
    private readonly contents: ItemVersionContents,
    // The API's /metrics counters; the worker (which neither starts attempts nor saves answers) has none.
    @Optional() private readonly metrics?: ExamMetrics,
  ) {}

  get blueprintCounts(): Array<{ domain: string; count: number }> {
    return Object.entries(this.programme.blueprint.domains).map(([domain, count]) => ({ domain, count }));
  }

  /** The exam window in force (kept here for the analysis and standard-setting services). */
  currentWindow(manager?: EntityManager): Promise<ExamWindow> {
    return this.examSettings.currentWindow(manager);
  }

  /** What the public AIDA page states: the length, time limit, pass mark and retake wait in force. */
  async publicFacts(): Promise<{
    questionCount: number;
    timeLimitSeconds: number;
    passMarkPercent: number;
    retakeCooldownSeconds: number;
  }> {
    const s = await this.examSettings.settings();
    return {
      questionCount: this.programme.blueprint.questionCount,
      timeLimitSeconds: s.timeLimitSeconds,
      passMarkPercent: s.passMarkPercent,
      retakeCooldownSeconds: s.retakeCooldownSeconds,
    };
  }

  /**
   * The exam page's first read, made by every candidate as a window opens: the same one-statement read as a
   * start (the settings' own read counts the attempts of the window, which grows with every attempt).
   */
  async examInfo(user: AuthUser): Promise<ExamInfoDto> {
    const { settings, context } = await this.startContext(user.id);
    return {
      code: AIDA,
      questionCount: this.programme.blueprint.questionCount,
      formLength: this.programme.blueprint.questionCount + (await this.pretestAvailable(settings.pretestCount)),
      timeLimitSeconds: settings.timeLimitSeconds,
      yourTimeLimitSeconds: Math.round(settings.timeLimitSeconds * context.timeMultiplier),
      passMarkPercent: settings.passMarkPercent,
      blueprint: this.blueprintCounts,
      eligibility: eligibilityOf(context.inProgressId, context.lastFinished, settings),
    };
  }

  /**
   * Draws a form, opens the attempt and schedules its auto-submit, all in one transaction. A start is the
   * platform's busiest moment (a window opens for everyone at once), so it reads what it decides on in one
   * statement, draws in one, answers with the questions it drew (item versions never change, so their texts
   * come from memory), and leaves the exposure counts to be written with other starts'.
   */
  async startAttempt(user: AuthUser): Promise<AttemptDto> {
    assertEmailVerified(user);
    const { settings, context } = await this.startContext(user.id);
    const eligibility = eligibilityOf(context.inProgressId, context.lastFinished, settings);
    if (!eligibility.canStart) {
      const { canStart: _c, reason, ...extra } = eligibility;
      throw new ConflictException({ message: reason, ...extra });
    }
    let started: { attempt: Attempt; form: DrawnQuestion[]; questionIds: Map<number, string> };
    try {
      started = await this.dataSource.transaction(async (tx) => {
        const form = await this.drawForm(tx, user.id, settings.pretestCount);
        const attempt = await this.attempts.insertAttempt(tx, {
          userId: user.id,
          examCode: AIDA,
          timeLimitSeconds: Math.round(settings.timeLimitSeconds * context.timeMultiplier),
          passMarkPercent: settings.passMarkPercent,
          windowId: settings.windowId,
        });
        const questionIds = await this.questions.insertQuestions(tx, attempt.id, form);
        await this.outbox.enqueue(tx, JobName.AutoSubmitAttempt, { attemptId: attempt.id }, { runAt: attempt.deadline });
        await this.audit.append(tx, {
          actorId: user.id,
          action: 'exam.attempt_started',
          subjectType: 'attempt',
          subjectId: attempt.id,
          data: {
            examCode: AIDA,
            timeLimitSeconds: attempt.timeLimitSeconds,
            windowId: settings.windowId,
            itemVersions: form.filter((q) => q.scored).map((q) => q.versionId),
            pretestItemVersions: form.filter((q) => !q.scored).map((q) => q.versionId),
          },
        });
        return { attempt, form, questionIds };
      });
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        // A parallel start won the race for the one-in-progress index: point at its attempt.
        const winner = await this.attempts.findInProgress(user.id, AIDA);
        throw new ConflictException({ message: 'You have an attempt in progress', attemptId: winner?.id });
      }
      throw error;
    }
    this.metrics?.attemptStarted();
    // Counted after commit, outside the start transaction: holding the hot least-exposed rows
    // locked for a whole start serialised concurrent starts (and deadlocked them).
    this.bank.countExposure(started.form.map((q) => q.itemId));
    const contents = await this.contents.of(started.form.map((q) => q.versionId));
    const questions = started.form.map((q) => ({
      id: started.questionIds.get(q.position)!,
      position: q.position,
      domain: q.domain,
      options: q.options,
      stem: contents.get(q.versionId)?.stem ?? '',
      versionOptions: contents.get(q.versionId)?.options ?? [],
    }));
    return this.toDto(started.attempt, { questions, answers: [] });
  }

  /** The settings in force and the candidate's standing, in one round trip (a fresh platform first opens its window). */
  private async startContext(userId: string): Promise<{ settings: ExamSettingsDto; context: StartContext }> {
    let context = await this.attempts.startContext(userId, AIDA);
    if (!context.windowId) {
      await this.examSettings.currentWindow();
      context = await this.attempts.startContext(userId, AIDA);
    }
    const window = { id: context.windowId!, passMarkPercent: context.passMarkPercent!, source: context.passMarkSource as PassMarkSource };
    return { settings: this.examSettings.withDefaults(context, window), context };
  }

  /** Counts these items as shown at once (a start leaves its counts to be written with other starts'). */
  recordExposure(itemIds: string[]): Promise<void> {
    return this.bank.recordExposure(itemIds);
  }

  /**
   * The draw (form-draw.ts): the blueprint's count per domain, least-exposed and unseen items
   * first, no criterion twice where the pool allows, expected facility inside the blueprint's
   * band; then the pretest items, mixed in unmarked. Exposure is counted by the caller.
   */
  async drawForm(tx: EntityManager, userId: string, pretestCount = DEFAULT_PRETEST_COUNT): Promise<DrawnQuestion[]> {
    const counts = this.blueprintCounts;
    const pool = await this.pool.drawPool(tx, userId, counts, pretestCount);
    const { items } = chooseScoredItems(pool.scored, counts, this.programme.blueprint);
    const missing = counts.find(({ domain, count }) => items.filter((c) => c.domain === domain).length < count);
    if (missing) throw new ConflictException(`The question bank cannot supply ${missing.domain}; contact the administrator`);
    const pretest = choosePretestItems(pool.pretest, pretestCount, new Set(items.map((i) => i.criterion)));
    const contents = await this.contents.of(
      [...items, ...pretest].map((c) => c.versionId),
      tx,
    );
    return assembleForm(items, pretest, (versionId) => contents.get(versionId)?.options.map((o) => o.id) ?? []);
  }

  /** How many pretest questions a form gets now: the setting, or fewer when the bank has fewer pretest items. */
  private async pretestAvailable(setting: number): Promise<number> {
    return Math.min(setting, await this.pool.pretestPoolSize());
  }

  /**
   * The server is the only judge of time: an attempt read after its deadline is closed and scored
   * there and then (as the deadline job would), so a page whose countdown reaches zero asks here and
   * gets either the result or, when its own clock ran ahead, the time really left.
   */
  async getAttempt(user: AuthUser, attemptId: string): Promise<AttemptDto> {
    let attempt = await this.attempts.findAttempt(attemptId, user.id);
    if (!attempt) throw new NotFoundException('No such attempt');
    if (attempt.status === 'in_progress' && attempt.deadline.getTime() <= attempt.serverTime.getTime()) {
      await this.closing.expireIfDue(attemptId);
      attempt = (await this.attempts.findAttempt(attemptId, user.id))!;
    }
    return this.toDto(attempt);
  }

  async listAttempts(user: AuthUser): Promise<AttemptSummaryDto[]> {
    return (await this.attempts.listForUser(user.id, AIDA)).map(toSummary);
  }

  /**
   * One statement decides and applies the save (AttemptQuestionsRepository.saveAnswer): one round trip,
   * and no save can land after the attempt is scored.
   */
  async saveAnswer(user: AuthUser, attemptId: string, questionId: string, dto: SaveAnswerDto): Promise<SavedAnswerDto> {
    const wait = this.saveLimiter.take(attemptId);
    if (wait) throw new TooManyRequestsException(`Too many saves; try again in ${wait} seconds`, wait);
    const outcome = await this.questions.saveAnswer({
      attemptId,
      userId: user.id,
      questionId,
      optionId: dto.optionId,
      flagged: dto.flagged,
      clientSeq: dto.clientSeq,
    });
    switch (outcome.kind) {
      case 'no-attempt':
        throw new NotFoundException('No such attempt');
      case 'no-question':
        throw new NotFoundException('No such question in this attempt');
      case 'closed':
        throw new ConflictException('This attempt has been submitted; answers can no longer change');
      case 'time-over':
        throw new ConflictException('The time for this attempt is over; answers can no longer change');
      case 'bad-option':
        throw new BadRequestException('optionId is not one of this question’s options');
      case 'saved':
      case 'stale': {
        const saved = outcome.answer;
        this.metrics?.answerSaved();
        return { questionId: saved.questionId, optionId: saved.optionId, flagged: saved.flagged, savedAt: saved.savedAt.toISOString() };
      }
    }
  }

  /** Scores once: a second submit, or a submit racing the deadline job, returns the same result. */
  async submit(user: AuthUser, attemptId: string): Promise<AttemptDto> {
    const found = await this.dataSource.transaction(async (tx) => {
      const attempt = await this.attempts.findAttempt(attemptId, user.id, tx, true);
      if (!attempt) return false;
      if (!attemptLifecycle.isFinal(attempt.status)) {
        await this.closing.score(tx, attempt, attempt.deadline.getTime() <= attempt.serverTime.getTime() ? 'expired' : 'submitted');
      }
      return true;
    });
    if (!found) throw new NotFoundException('No such attempt');
    return this.getAttempt(user, attemptId);
  }

  /** `known`: the questions and answers when the caller has them in hand (a start), else they are read. */
  private async toDto(
    attempt: Attempt,
    known?: {
      questions: Array<Omit<AttemptQuestion, 'scored' | 'versionOptions'> & { versionOptions: VersionContent['options'] }>;
      answers: Answer[];
    },
  ): Promise<AttemptDto> {
    const [questions, answers] = known
      ? [known.questions, known.answers]
      : await Promise.all([this.questions.questionsOf(attempt.id), this.questions.answersOf(attempt.id)]);
    const titles = new Map(this.programme.framework.domains.map((d) => [d.code, d.title]));
    const dto: AttemptDto = {
      id: attempt.id,
      examCode: AIDA,
      status: attempt.status,
      startedAt: attempt.startedAt.toISOString(),
      deadline: attempt.deadline.toISOString(),
      serverTime: attempt.serverTime.toISOString(),
      timeLimitSeconds: attempt.timeLimitSeconds,
      // Only opaque ids and texts: never the key, rationales, item ids or statistics (invariant 1).
      questions: questions.map((q) => ({
        id: q.id,
        position: q.position,
        domain: { code: q.domain, title: titles.get(q.domain) ?? q.domain },
        stem: q.stem,
        options: q.options.map((o) => ({ id: o.id, text: q.versionOptions.find((v) => v.id === o.source)?.text ?? '' })),
      })),
      answers: answers.map((a) => ({ questionId: a.questionId, optionId: a.optionId, flagged: a.flagged })),
    };
    if (attempt.status !== 'in_progress' && attempt.correct !== null) {
      const settings = attempt.passed ? null : await this.examSettings.settings();
      const certificateNumber = attempt.passed ? await this.attempts.certificateNumberFor(attempt.id) : null;
      dto.result = {
        correct: attempt.correct,
        total: attempt.total ?? 0,
        scorePercent: Number(attempt.scorePercent),
        passMarkPercent: Number(attempt.passMarkPercent),
        passed: Boolean(attempt.passed),
        domains: attempt.domainResults ?? [],
        ...(certificateNumber ? { certificateNumber } : {}),
        ...(settings && attempt.submittedAt
          ? { retakeAfter: new Date(attempt.submittedAt.getTime() + settings.retakeCooldownSeconds * 1000).toISOString() }
          : {}),
      };
    }
    return dto;
  }
}
