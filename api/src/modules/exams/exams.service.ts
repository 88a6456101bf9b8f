import { BadRequestException, ConflictException, Injectable, Logger, NotFoundException, Optional } from '@nestjs/common';
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
import { AttemptQuestionsRepository } from './attempt-questions.repository';
import { type Attempt, AttemptsRepository } from './attempts.repository';
import { type ExamWindow, ExamWindowsRepository } from './exam-windows.repository';
import { assembleForm, choosePretestItems, chooseScoredItems } from './form-draw';
import { FormPoolRepository } from './form-pool.repository';
import { SaveRateLimiter } from './save-rate-limiter';

export { AIDA, DEFAULT_PRETEST_COUNT, DEFAULT_RETAKE_COOLDOWN_SECONDS } from './exam-settings.service';

@Injectable()
export class ExamsService {
  private readonly saveLimiter = new SaveRateLimiter();
  private readonly logger = new Logger(ExamsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly attempts: AttemptsRepository,
    private readonly questions: AttemptQuestionsRepository,
    private readonly pool: FormPoolRepository,
    private readonly windows: ExamWindowsRepository,
    private readonly programme: ProgrammeCatalogue,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly bank: QuestionBankService,
    private readonly examSettings: ExamSettingsService,
    private readonly closing: AttemptClosingService,
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

  async examInfo(user: AuthUser): Promise<ExamInfoDto> {
    const settings = await this.examSettings.settings();
    const multiplier = await this.windows.timeMultiplier(user.id);
    return {
      code: AIDA,
      questionCount: this.programme.blueprint.questionCount,
      formLength: this.programme.blueprint.questionCount + (await this.pretestAvailable(settings.pretestCount)),
      timeLimitSeconds: settings.timeLimitSeconds,
      yourTimeLimitSeconds: Math.round(settings.timeLimitSeconds * multiplier),
      passMarkPercent: settings.passMarkPercent,
      blueprint: this.blueprintCounts,
      eligibility: await this.eligibility(user.id, settings),
    };
  }

  private async eligibility(userId: string, settings: ExamSettingsDto): Promise<EligibilityDto> {
    const inProgress = await this.attempts.findInProgress(userId, AIDA);
    if (inProgress) return { canStart: false, reason: 'You have an attempt in progress', attemptId: inProgress.id };
    const last = await this.attempts.lastFinished(userId, AIDA);
    if (last?.passed) return { canStart: false, reason: 'You have passed the AIDA examination' };
    if (last?.submittedAt) {
      const retryAt = last.submittedAt.getTime() + settings.retakeCooldownSeconds * 1000;
      if (retryAt > Date.now()) {
        return { canStart: false, reason: 'A retake is possible after the cool-down', retryAfter: new Date(retryAt).toISOString() };
      }
    }
    return { canStart: true };
  }

  /** Draws a form, opens the attempt and schedules its auto-submit, all in one transaction. */
  async startAttempt(user: AuthUser): Promise<AttemptDto> {
    assertEmailVerified(user);
    const settings = await this.examSettings.settings();
    const eligibility = await this.eligibility(user.id, settings);
    if (!eligibility.canStart) {
      const { canStart: _c, reason, ...extra } = eligibility;
      throw new ConflictException({ message: reason, ...extra });
    }
    let attemptId: string;
    let shown: string[] = [];
    try {
      attemptId = await this.dataSource.transaction(async (tx) => {
        const multiplier = await this.windows.timeMultiplier(user.id, tx);
        const form = await this.drawForm(tx, user.id, settings.pretestCount);
        const attempt = await this.attempts.insertAttempt(tx, {
          userId: user.id,
          examCode: AIDA,
          timeLimitSeconds: Math.round(settings.timeLimitSeconds * multiplier),
          passMarkPercent: settings.passMarkPercent,
          windowId: settings.windowId,
        });
        await this.questions.insertQuestions(tx, attempt.id, form);
        shown = form.map((q) => q.itemId);
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
        return attempt.id;
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
    await this.recordExposure(shown);
    return this.getAttempt(user, attemptId);
  }

  /** Best effort: the attempt is already committed, so a failure here must not fail the start. */
  async recordExposure(itemIds: string[]): Promise<void> {
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        return await this.bank.recordExposure(itemIds);
      } catch (error) {
        if (attempt === 3) this.logger.warn(`exposure not counted for ${itemIds.length} items: ${(error as Error).message}`);
      }
    }
  }

  /**
   * The draw (form-draw.ts): the blueprint's count per domain, least-exposed and unseen items
   * first, no criterion twice where the pool allows, expected facility inside the blueprint's
   * band; then the pretest items, mixed in unmarked. Exposure is counted by the caller.
   */
  async drawForm(tx: EntityManager, userId: string, pretestCount = DEFAULT_PRETEST_COUNT) {
    const counts = this.blueprintCounts;
    const seen = await this.pool.itemsSeenBy(userId, tx);
    const candidates = await this.pool.drawCandidates(tx, counts, seen);
    const { items } = chooseScoredItems(candidates, counts, this.programme.blueprint);
    const missing = counts.find(({ domain, count }) => items.filter((c) => c.domain === domain).length < count);
    if (missing) throw new ConflictException(`The question bank cannot supply ${missing.domain}; contact the administrator`);
    const pretest = choosePretestItems(
      await this.pool.pretestCandidates(tx, pretestCount, seen),
      pretestCount,
      new Set(items.map((i) => i.criterion)),
    );
    const optionIds = await this.pool.optionIdsOf(
      tx,
      [...items, ...pretest].map((c) => c.versionId),
    );
    return assembleForm(items, pretest, (versionId) => optionIds.get(versionId) ?? []);
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

  private async toDto(attempt: Attempt): Promise<AttemptDto> {
    const [questions, answers] = await Promise.all([this.questions.questionsOf(attempt.id), this.questions.answersOf(attempt.id)]);
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
