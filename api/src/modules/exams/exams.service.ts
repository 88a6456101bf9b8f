import { BadRequestException, ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { TooManyRequestsException } from '../../common/errors/too-many-requests.exception';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { AuditService } from '../audit/audit.service';
import { CredentialEvents } from '../certificates/credential-events';
import { QuestionBankService } from '../question-bank/question-bank.service';
import { ProgrammeCatalogue } from '../programme/programme-catalogue';
import { attemptLifecycle, type AttemptState } from './attempt-lifecycle';
import {
  AccommodationResultDto,
  AdminAttemptDto,
  AttemptDto,
  AttemptSummaryDto,
  EligibilityDto,
  ExamInfoDto,
  ExamSettingsDto,
  SaveAnswerDto,
  SavedAnswerDto,
  UpdateExamSettingsDto,
} from './dto/exam.dto';
import { AttemptRow, ExamsRepository, ExamWindowRow } from './exams.repository';
import { assembleForm, choosePretestItems, chooseScoredItems } from './form-draw';
import { SaveRateLimiter } from './save-rate-limiter';
import { scoreAttempt } from './scoring';

export const AIDA = 'AIDA';
export const DEFAULT_RETAKE_COOLDOWN_SECONDS = 7 * 24 * 3600;
export const DEFAULT_PRETEST_COUNT = 2;
// Settings changes (and the exam window they may open) are serialised.
const EXAM_SETTINGS_LOCK = 7_346_011;

@Injectable()
export class ExamsService {
  private readonly saveLimiter = new SaveRateLimiter();
  private readonly logger = new Logger(ExamsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly exams: ExamsRepository,
    private readonly programme: ProgrammeCatalogue,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly credentialEvents: CredentialEvents,
    private readonly bank: QuestionBankService,
  ) {}

  get blueprintCounts(): Array<{ domain: string; count: number }> {
    return Object.entries(this.programme.blueprint.domains).map(([domain, count]) => ({ domain, count }));
  }

  async settings(manager?: EntityManager): Promise<ExamSettingsDto> {
    const row = await this.exams.settings(AIDA, manager);
    const window = await this.currentWindow(manager);
    return {
      timeLimitSeconds: row?.time_limit_seconds ?? this.programme.blueprint.timeLimitMinutes * 60,
      passMarkPercent: Number(window.pass_mark_percent),
      retakeCooldownSeconds: row?.retake_cooldown_seconds ?? DEFAULT_RETAKE_COOLDOWN_SECONDS,
      pretestCount: row?.pretest_count ?? DEFAULT_PRETEST_COUNT,
      passMarkSource: window.source,
      windowId: window.id,
    };
  }

  /** The exam window in force: a fresh platform starts with one at the blueprint's pass mark. */
  async currentWindow(manager?: EntityManager): Promise<ExamWindowRow> {
    const found = await this.exams.currentWindow(AIDA, manager);
    if (found) return found;
    await this.exams.ensureBlueprintWindow(AIDA, this.programme.blueprint.passMarkPercent);
    return (await this.exams.currentWindow(AIDA, manager))!;
  }

  /**
   * A new pass mark opens a new exam window at once (the pass mark in use is always traceable to an
   * admin decision or a standard-setting study); the other settings apply to attempts started from now.
   */
  async updateSettings(actor: AuthUser, patch: UpdateExamSettingsDto): Promise<ExamSettingsDto> {
    return this.dataSource.transaction(async (tx) => {
      await this.exams.lock(tx, EXAM_SETTINGS_LOCK);
      const before = await this.settings(tx);
      const { passMarkPercent, passMarkReason, ...rest } = patch;
      const changes = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
      await this.exams.saveSettings(tx, AIDA, { ...before, ...changes });
      if (passMarkPercent !== undefined && passMarkPercent !== before.passMarkPercent) {
        await this.exams.insertWindow(tx, {
          examCode: AIDA,
          startsAt: null,
          passMarkPercent,
          source: 'admin_decision',
          decidedBy: actor.id,
          reason: passMarkReason ?? 'set in the exam settings',
        });
      }
      const after = await this.settings(tx);
      await this.audit.append(tx, {
        actorId: actor.id,
        action: 'exam.settings_changed',
        subjectType: 'exam',
        subjectId: AIDA,
        data: { before, after },
      });
      return after;
    });
  }

  async setAccommodation(actor: AuthUser, userId: string, timeMultiplier: number): Promise<AccommodationResultDto> {
    return this.dataSource.transaction(async (tx) => {
      if (!(await this.exams.userExists(userId, tx))) throw new NotFoundException('No such user');
      const before = await this.exams.timeMultiplier(userId, tx);
      await this.exams.setTimeMultiplier(tx, userId, timeMultiplier, actor.id);
      await this.audit.append(tx, {
        actorId: actor.id,
        action: 'exam.accommodation_set',
        subjectType: 'user',
        subjectId: userId,
        data: { timeMultiplier: { from: before, to: timeMultiplier } },
      });
      return { userId, timeMultiplier };
    });
  }

  async examInfo(user: AuthUser): Promise<ExamInfoDto> {
    const settings = await this.settings();
    const multiplier = await this.exams.timeMultiplier(user.id);
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
    const inProgress = await this.exams.findInProgress(userId, AIDA);
    if (inProgress) return { canStart: false, reason: 'You have an attempt in progress', attemptId: inProgress.id };
    const last = await this.exams.lastFinished(userId, AIDA);
    if (last?.passed) return { canStart: false, reason: 'You have passed the AIDA examination' };
    if (last) {
      const retryAt = last.submitted_at.getTime() + settings.retakeCooldownSeconds * 1000;
      if (retryAt > Date.now()) {
        return { canStart: false, reason: 'A retake is possible after the cool-down', retryAfter: new Date(retryAt).toISOString() };
      }
    }
    return { canStart: true };
  }

  /** Draws a form, opens the attempt and schedules its auto-submit, all in one transaction. */
  async startAttempt(user: AuthUser): Promise<AttemptDto> {
    const settings = await this.settings();
    const eligibility = await this.eligibility(user.id, settings);
    if (!eligibility.canStart) {
      const { canStart: _c, reason, ...extra } = eligibility;
      throw new ConflictException({ message: reason, ...extra });
    }
    let attemptId: string;
    let shown: string[] = [];
    try {
      attemptId = await this.dataSource.transaction(async (tx) => {
        const multiplier = await this.exams.timeMultiplier(user.id, tx);
        const form = await this.drawForm(tx, user.id, settings.pretestCount);
        const attempt = await this.exams.insertAttempt(tx, {
          userId: user.id,
          examCode: AIDA,
          timeLimitSeconds: Math.round(settings.timeLimitSeconds * multiplier),
          passMarkPercent: settings.passMarkPercent,
          windowId: settings.windowId,
        });
        await this.exams.insertQuestions(tx, attempt.id, form);
        shown = form.map((q) => q.itemId);
        await this.outbox.enqueue(tx, JobName.AutoSubmitAttempt, { attemptId: attempt.id }, { runAt: attempt.deadline });
        await this.audit.append(tx, {
          actorId: user.id,
          action: 'exam.attempt_started',
          subjectType: 'attempt',
          subjectId: attempt.id,
          data: {
            examCode: AIDA,
            timeLimitSeconds: attempt.time_limit_seconds,
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
        const winner = await this.exams.findInProgress(user.id, AIDA);
        throw new ConflictException({ message: 'You have an attempt in progress', attemptId: winner?.id });
      }
      throw error;
    }
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
    const seen = await this.exams.itemsSeenBy(userId, tx);
    const candidates = await this.exams.drawCandidates(tx, counts, seen);
    const { items } = chooseScoredItems(candidates, counts, this.programme.blueprint);
    const missing = counts.find(({ domain, count }) => items.filter((c) => c.domain === domain).length < count);
    if (missing) throw new ConflictException(`The question bank cannot supply ${missing.domain}; contact the administrator`);
    const pretest = choosePretestItems(
      await this.exams.pretestCandidates(tx, pretestCount, seen),
      pretestCount,
      new Set(items.map((i) => i.criterion)),
    );
    const optionIds = await this.exams.optionIdsOf(
      tx,
      [...items, ...pretest].map((c) => c.versionId),
    );
    return assembleForm(items, pretest, (versionId) => optionIds.get(versionId) ?? []);
  }

  /** How many pretest questions a form gets now: the setting, or fewer when the bank has fewer pretest items. */
  private async pretestAvailable(setting: number): Promise<number> {
    return Math.min(setting, await this.exams.pretestPoolSize());
  }

  /**
   * The server is the only judge of time: an attempt read after its deadline is closed and scored
   * there and then (as the deadline job would), so a page whose countdown reaches zero asks here and
   * gets either the result or, when its own clock ran ahead, the time really left.
   */
  async getAttempt(user: AuthUser, attemptId: string): Promise<AttemptDto> {
    let attempt = await this.exams.findAttempt(attemptId, user.id);
    if (!attempt) throw new NotFoundException('No such attempt');
    if (attempt.status === 'in_progress' && attempt.deadline.getTime() <= attempt.server_time.getTime()) {
      await this.expireIfDue(attemptId);
      attempt = (await this.exams.findAttempt(attemptId, user.id))!;
    }
    return this.toDto(attempt);
  }

  async listAttempts(user: AuthUser): Promise<AttemptSummaryDto[]> {
    return (await this.exams.listForUser(user.id, AIDA)).map(toSummary);
  }

  async listAllAttempts(): Promise<AdminAttemptDto[]> {
    return (await this.exams.listAll(AIDA, 500)).map((r) => ({
      ...toSummary(r),
      userId: r.user_id,
      candidateName: r.full_name,
      candidateEmail: r.email,
      timeLimitSeconds: r.time_limit_seconds,
    }));
  }

  async saveAnswer(user: AuthUser, attemptId: string, questionId: string, dto: SaveAnswerDto): Promise<SavedAnswerDto> {
    const wait = this.saveLimiter.take(attemptId);
    if (wait) throw new TooManyRequestsException(`Too many saves; try again in ${wait} seconds`, wait);
    const saved = await this.dataSource.transaction(async (tx) => {
      const state = await this.exams.lockForSave(tx, attemptId, user.id, questionId);
      if (!state || !state.options) throw new NotFoundException(state ? 'No such question in this attempt' : 'No such attempt');
      if (state.status !== 'in_progress') throw new ConflictException('This attempt has been submitted; answers can no longer change');
      if (!state.open) throw new ConflictException('The time for this attempt is over; answers can no longer change');
      if (dto.optionId !== null && !state.options.some((o) => o.id === dto.optionId)) {
        throw new BadRequestException('optionId is not one of this question’s options');
      }
      return this.exams.upsertAnswer(tx, { attemptId, questionId, optionId: dto.optionId, flagged: dto.flagged, clientSeq: dto.clientSeq });
    });
    return { questionId: saved.question_id, optionId: saved.option_id, flagged: saved.flagged, savedAt: saved.saved_at.toISOString() };
  }

  /** Scores once: a second submit, or a submit racing the deadline job, returns the same result. */
  async submit(user: AuthUser, attemptId: string): Promise<AttemptDto> {
    const found = await this.dataSource.transaction(async (tx) => {
      const attempt = await this.exams.findAttempt(attemptId, user.id, tx, 'FOR UPDATE');
      if (!attempt) return false;
      if (!attemptLifecycle.isFinal(attempt.status)) {
        await this.score(tx, attempt, attempt.deadline.getTime() <= attempt.server_time.getTime() ? 'expired' : 'submitted');
      }
      return true;
    });
    if (!found) throw new NotFoundException('No such attempt');
    return this.getAttempt(user, attemptId);
  }

  /** Closes and scores an attempt whose deadline has passed; false when it is not due yet. */
  async expireIfDue(attemptId: string): Promise<'expired' | 'already-closed' | 'not-due' | 'missing'> {
    return this.dataSource.transaction(async (tx) => {
      const attempt = await this.exams.findAttempt(attemptId, null, tx, 'FOR UPDATE');
      if (!attempt) return 'missing';
      if (attemptLifecycle.isFinal(attempt.status)) return 'already-closed';
      if (attempt.deadline.getTime() > attempt.server_time.getTime()) return 'not-due';
      await this.score(tx, attempt, 'expired');
      return 'expired';
    });
  }

  async sweepOverdue(): Promise<number> {
    let closed = 0;
    for (const id of await this.exams.overdueAttemptIds(500)) {
      if ((await this.expireIfDue(id)) === 'expired') closed += 1;
    }
    return closed;
  }

  private async score(tx: EntityManager, attempt: AttemptRow, status: Exclude<AttemptState, 'in_progress'>): Promise<void> {
    attemptLifecycle.assert(attemptLifecycle.parse(attempt.status), status);
    // Pretest questions gather statistics only: the result rests on the scored questions alone.
    const questions = (await this.exams.questionsOf(attempt.id, tx)).filter((q) => q.scored);
    const answers = new Map((await this.exams.answersOf(attempt.id, tx)).map((a) => [a.question_id, a]));
    const scored = questions.map((q) => {
      const chosen = q.options.find((o) => o.id === answers.get(q.id)?.option_id);
      const keyed = chosen && q.version_options.find((v) => v.id === chosen.source)?.key === true;
      return { domain: q.domain, correct: Boolean(keyed) };
    });
    const result = scoreAttempt(scored, Number(attempt.pass_mark_percent), this.programme.framework.domains);
    await this.exams.recordResult(tx, attempt.id, status, { ...result, domains: result.domains });
    await this.audit.append(tx, {
      actorId: status === 'submitted' ? attempt.user_id : null,
      action: 'exam.attempt_scored',
      subjectType: 'attempt',
      subjectId: attempt.id,
      data: { status, correct: result.correct, total: result.total, scorePercent: result.scorePercent, passed: result.passed },
    });
    // The pass becomes a certificate through the outbox; one event per attempt (unique constraint).
    if (result.passed) {
      await this.credentialEvents.recordPass(tx, {
        userId: attempt.user_id,
        credential: 'AIDA',
        sourceType: 'aida_attempt',
        sourceId: attempt.id,
      });
    }
  }

  private async toDto(attempt: AttemptRow): Promise<AttemptDto> {
    const [questions, answers] = await Promise.all([this.exams.questionsOf(attempt.id), this.exams.answersOf(attempt.id)]);
    const titles = new Map(this.programme.framework.domains.map((d) => [d.code, d.title]));
    const dto: AttemptDto = {
      id: attempt.id,
      examCode: AIDA,
      status: attempt.status,
      startedAt: attempt.started_at.toISOString(),
      deadline: attempt.deadline.toISOString(),
      serverTime: attempt.server_time.toISOString(),
      timeLimitSeconds: attempt.time_limit_seconds,
      // Only opaque ids and texts: never the key, rationales, item ids or statistics (invariant 1).
      questions: questions.map((q) => ({
        id: q.id,
        position: q.position,
        domain: { code: q.domain, title: titles.get(q.domain) ?? q.domain },
        stem: q.stem,
        options: q.options.map((o) => ({ id: o.id, text: q.version_options.find((v) => v.id === o.source)?.text ?? '' })),
      })),
      answers: answers.map((a) => ({ questionId: a.question_id, optionId: a.option_id, flagged: a.flagged })),
    };
    if (attempt.status !== 'in_progress' && attempt.correct !== null) {
      const settings = attempt.passed ? null : await this.settings();
      const certificateNumber = attempt.passed ? await this.exams.certificateNumberFor(attempt.id) : null;
      dto.result = {
        correct: attempt.correct,
        total: attempt.total ?? 0,
        scorePercent: Number(attempt.score_percent),
        passMarkPercent: Number(attempt.pass_mark_percent),
        passed: Boolean(attempt.passed),
        domains: attempt.domain_results ?? [],
        ...(certificateNumber ? { certificateNumber } : {}),
        ...(settings && attempt.submitted_at
          ? { retakeAfter: new Date(attempt.submitted_at.getTime() + settings.retakeCooldownSeconds * 1000).toISOString() }
          : {}),
      };
    }
    return dto;
  }
}

function toSummary(
  r: Pick<AttemptRow, 'id' | 'status' | 'started_at' | 'deadline' | 'submitted_at' | 'score_percent' | 'passed'>,
): AttemptSummaryDto {
  return {
    id: r.id,
    status: r.status,
    startedAt: r.started_at.toISOString(),
    deadline: r.deadline.toISOString(),
    submittedAt: r.submitted_at?.toISOString() ?? null,
    scorePercent: r.score_percent === null ? null : Number(r.score_percent),
    passed: r.passed,
  };
}
