import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { AuditService } from '../audit/audit.service';
import { IndependenceService } from '../independence/independence.service';
import { forgetSharedResponses } from '../../common/http/shared-response-cache';
import { ProgrammeCatalogue } from '../programme/programme-catalogue';
import { PUBLIC_PROGRAMME_PATH } from '../programme/programme-pages';
import {
  AccommodationResultDto,
  AccommodationStateDto,
  AdminAttemptDto,
  AdminAttemptsPageDto,
  AdminAttemptsQueryDto,
  ExamSettingsDto,
  UpdateExamSettingsDto,
} from './dto/exam.dto';
import { CSV_EXPORT_CAP, toCsv } from '../../common/lists/csv';
import { dayRange, pageRequest } from '../../common/lists/list-query';
import { toSummary } from './attempt-summary';
import { type AdminAttempt, type AttemptFilter, AttemptsRepository } from './attempts.repository';
import { type ExamWindow, ExamWindowsRepository, type StoredExamSettings } from './exam-windows.repository';

export const AIDA = 'AIDA';
export const DEFAULT_RETAKE_COOLDOWN_SECONDS = 7 * 24 * 3600;
export const DEFAULT_PRETEST_COUNT = 2;
// Settings changes (and the exam window they may open) are serialised.
const EXAM_SETTINGS_LOCK = 7_346_011;

/** The administration of the AIDA exam: its settings and windows, accommodations, and the list of all attempts. */
@Injectable()
export class ExamSettingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly windows: ExamWindowsRepository,
    private readonly attempts: AttemptsRepository,
    private readonly programme: ProgrammeCatalogue,
    private readonly audit: AuditService,
    private readonly independence: IndependenceService,
  ) {}

  async settings(manager?: EntityManager): Promise<ExamSettingsDto> {
    const row = await this.windows.settings(AIDA, manager);
    const window = await this.currentWindow(manager);
    return this.withDefaults(row, window);
  }

  /** The settings in force from what is stored (null: nothing stored, the defaults apply) and the window in force. */
  withDefaults(
    row: { [K in keyof StoredExamSettings]: StoredExamSettings[K] | null } | null,
    window: Pick<ExamWindow, 'id' | 'passMarkPercent' | 'source'>,
  ): ExamSettingsDto {
    const inForce = {
      timeLimitSeconds: row?.timeLimitSeconds ?? this.programme.blueprint.timeLimitMinutes * 60,
      passMarkPercent: Number(window.passMarkPercent),
      retakeCooldownSeconds: row?.retakeCooldownSeconds ?? DEFAULT_RETAKE_COOLDOWN_SECONDS,
      pretestCount: row?.pretestCount ?? DEFAULT_PRETEST_COUNT,
      passMarkSource: window.source,
      windowId: window.id,
    };
    return { ...inForce, revision: createHash('sha256').update(JSON.stringify(inForce)).digest('base64url').slice(0, 22) };
  }

  /** The exam window in force: a fresh platform starts with one at the blueprint's pass mark. */
  async currentWindow(manager?: EntityManager): Promise<ExamWindow> {
    const found = await this.windows.currentWindow(AIDA, manager);
    if (found) return found;
    await this.windows.ensureBlueprintWindow(AIDA, this.programme.blueprint.passMarkPercent);
    return (await this.windows.currentWindow(AIDA, manager))!;
  }

  /**
   * A new pass mark opens a new exam window at once (the pass mark in use is always traceable to an
   * admin decision or a standard-setting study); the other settings apply to attempts started from now.
   */
  async updateSettings(actor: AuthUser, patch: UpdateExamSettingsDto): Promise<ExamSettingsDto> {
    const after = await this.dataSource.transaction(async (tx) => {
      await this.windows.lock(tx, EXAM_SETTINGS_LOCK);
      const before = await this.settings(tx);
      const { passMarkPercent, passMarkReason, expectedRevision, ...rest } = patch;
      // Two administrators editing at once: the later save must not silently undo the earlier one.
      if (expectedRevision !== undefined && expectedRevision !== before.revision) {
        throw new ConflictException({
          message:
            `Someone changed the settings after you opened them; nothing was saved. They are now: ${describeSettings(before)}. ` +
            'Check them and save again.',
          reason: 'stale_settings',
        });
      }
      const changes = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
      await this.windows.saveSettings(tx, AIDA, { ...before, ...changes });
      if (passMarkPercent !== undefined && passMarkPercent !== before.passMarkPercent) {
        await this.windows.insertWindow(tx, {
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
    // The public AIDA page states the time limit and pass mark: this replica's stored copy goes at once.
    forgetSharedResponses(PUBLIC_PROGRAMME_PATH);
    return after;
  }

  async accommodation(userId: string): Promise<AccommodationStateDto> {
    if (!(await this.windows.userExists(userId))) throw new NotFoundException('No such user');
    const set = await this.windows.accommodation(userId);
    return { userId, timeMultiplier: set?.timeMultiplier ?? 1, updatedAt: set?.updatedAt.toISOString() ?? null };
  }

  async setAccommodation(actor: AuthUser, userId: string, timeMultiplier: number): Promise<AccommodationResultDto> {
    return this.dataSource.transaction(async (tx) => {
      if (!(await this.windows.userExists(userId, tx))) throw new NotFoundException('No such user');
      // Invariant 11: an accommodation changes how a candidate is examined; nobody grants one in their own case.
      await this.independence.assertIndependent(tx, actor.id, userId);
      const before = await this.windows.timeMultiplier(userId, tx);
      await this.windows.setTimeMultiplier(tx, userId, timeMultiplier, actor.id);
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

  async searchAttempts(q: AdminAttemptsQueryDto): Promise<AdminAttemptsPageDto> {
    const { page, pageSize, offset } = pageRequest(q);
    const { rows, total } = await this.attempts.search(AIDA, attemptFilterOf(q), { limit: pageSize, offset });
    return { items: rows.map(toAdminAttempt), total, page, pageSize };
  }

  /** The filtered attempts as CSV (every page, up to CSV_EXPORT_CAP rows), in the list's order. */
  async exportAttempts(q: AdminAttemptsQueryDto): Promise<string> {
    const { rows } = await this.attempts.search(AIDA, attemptFilterOf(q), { limit: CSV_EXPORT_CAP, offset: 0 });
    return toCsv([
      ['id', 'candidate', 'email', 'status', 'started_at', 'submitted_at', 'score_percent', 'result', 'time_limit_seconds'],
      ...rows
        .map(toAdminAttempt)
        .map((a) => [
          a.id,
          a.candidateName,
          a.candidateEmail,
          a.status,
          a.startedAt,
          a.submittedAt,
          a.scorePercent,
          a.passed === null ? '' : a.passed ? 'passed' : 'failed',
          a.timeLimitSeconds,
        ]),
    ]);
  }
}

function attemptFilterOf(q: AdminAttemptsQueryDto): AttemptFilter {
  const started = dayRange(q.from, q.to);
  const sort = q.sort ?? 'startedAt';
  return {
    query: q.query,
    status: q.status,
    result: q.result,
    startedFrom: started.start,
    startedBefore: started.end,
    sort,
    order: q.order ?? (sort === 'candidate' ? 'asc' : 'desc'),
  };
}

function toAdminAttempt(r: AdminAttempt): AdminAttemptDto {
  return {
    ...toSummary(r),
    userId: r.userId,
    candidateName: r.fullName,
    candidateEmail: r.email,
    timeLimitSeconds: r.timeLimitSeconds,
  };
}

/** The settings in force in words, for the administrator whose save came too late. */
export function describeSettings(
  s: Pick<ExamSettingsDto, 'timeLimitSeconds' | 'passMarkPercent' | 'retakeCooldownSeconds' | 'pretestCount'>,
): string {
  const minutes = Math.round((s.timeLimitSeconds / 60) * 10) / 10;
  const hours = Math.round((s.retakeCooldownSeconds / 3600) * 10) / 10;
  const coolDown = hours % 24 === 0 ? `${hours / 24} day${hours === 24 ? '' : 's'}` : `${hours} hour${hours === 1 ? '' : 's'}`;
  return `time limit ${minutes} minute${minutes === 1 ? '' : 's'}, pass mark ${s.passMarkPercent}%, retake cool-down ${coolDown}, ${s.pretestCount} pretest question${s.pretestCount === 1 ? '' : 's'}`;
}
