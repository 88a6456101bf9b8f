import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../../common/auth/auth-user';
import { AuditService } from '../../audit/audit.service';
import { angoffCut } from '../analysis/angoff';
import { ExamAnalysisService } from '../analysis/exam-analysis.service';
import { AIDA, ExamsService } from '../exams.service';
import { ExamWindowsRepository } from '../exam-windows.repository';
import { AdoptCutDto, CreateStudyDto, StudyDto, StudyResultDto } from './dto/standard-setting.dto';
import { StandardSettingRepository, type Study } from './standard-setting.repository';

/** Attempts a window needs before its SEM is used for the cut's range (else the raters' standard error is). */
export const MIN_ATTEMPTS_FOR_SEM = 30;

/**
 * Modified-Angoff standard setting: subject experts rate, item by item, the probability that a
 * minimally competent candidate answers correctly; a second round shows them how candidates did
 * and the panel's first-round view; the recommended cut is the mean of the raters' mean ratings,
 * reported with the raters' spread and the exam's SEM. The pass mark in use changes only when an
 * administrator adopts the result for an exam window, on the record. This is the administrators' side
 * (open, rounds, close, adopt, cancel); the raters' side is StandardSettingRatersService.
 */
@Injectable()
export class StandardSettingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly studies: StandardSettingRepository,
    private readonly windows: ExamWindowsRepository,
    private readonly examsService: ExamsService,
    private readonly analysis: ExamAnalysisService,
    private readonly audit: AuditService,
  ) {}

  async open(actor: AuthUser, dto: CreateStudyDto): Promise<StudyDto> {
    const raterIds = [...new Set(dto.raterIds)];
    if (raterIds.length < 2) throw new BadRequestException('raterIds must name at least 2 different reviewers');
    const found = await this.studies.eligibleRaters(raterIds);
    for (const id of raterIds) {
      const user = found.find((u) => u.id === id);
      if (!user || !user.roles.includes('reviewer')) throw new BadRequestException(`raterIds: ${id} is not a reviewer`);
      // A rater sees every key of the pool: nobody who may sit the exam can be one.
      if (user.roles.includes('candidate'))
        throw new BadRequestException(`raterIds: ${id} is also a candidate and cannot see the item keys`);
    }
    const formLength = this.examsService.blueprintCounts.reduce((n, c) => n + c.count, 0);
    const id = await this.dataSource.transaction(async (tx) => {
      const studyId = await this.studies.insertStudy(tx, { title: dto.title.trim(), formLength, createdBy: actor.id });
      await this.studies.addRaters(tx, studyId, raterIds, actor.id);
      await this.audit.append(tx, {
        actorId: actor.id,
        action: 'standard_setting.opened',
        subjectType: 'standard_setting_study',
        subjectId: studyId,
        data: { title: dto.title.trim(), raters: raterIds, formLength },
      });
      return studyId;
    });
    return this.get(id);
  }

  async list(): Promise<StudyDto[]> {
    return Promise.all((await this.studies.list()).map((s) => this.toDto(s)));
  }

  async get(studyId: string): Promise<StudyDto> {
    const study = await this.studies.find(studyId);
    if (!study) throw new NotFoundException('No such study');
    return this.toDto(study);
  }

  /** Round 2 opens once every rater has rated every item in round 1; their round-1 ratings carry over as a start. */
  async openRound2(actor: AuthUser, studyId: string): Promise<StudyDto> {
    await this.dataSource.transaction(async (tx) => {
      const study = await this.studies.find(studyId, tx, true);
      if (!study) throw new NotFoundException('No such study');
      if (study.status !== 'round1') throw new ConflictException(`The study is ${study.status}; round 2 opens after round 1`);
      const raters = await this.studies.raters(studyId, tx);
      const ratings = await this.studies.ratings(studyId, tx);
      const behind = raters.filter((r) => ratings.filter((x) => x.round === 1 && x.raterId === r.raterId).length < study.items);
      if (behind.length)
        throw new ConflictException(`Round 1 is not complete: ${behind.map((r) => r.fullName).join(', ')} still to finish`);
      for (const r of raters) {
        const own = ratings.filter((x) => x.round === 1 && x.raterId === r.raterId);
        await this.studies.saveRatings(
          tx,
          studyId,
          2,
          r.raterId,
          own.map((x) => ({ itemVersionId: x.itemVersionId, probability: Number(x.probability) })),
        );
      }
      await this.studies.setStatus(tx, studyId, 'round2', { round2: true });
      await this.audit.append(tx, {
        actorId: actor.id,
        action: 'standard_setting.round2_opened',
        subjectType: 'standard_setting_study',
        subjectId: studyId,
      });
    });
    return this.get(studyId);
  }

  /** Computes the recommended cut from the round-2 ratings of every rater who rated every item. */
  async close(actor: AuthUser, studyId: string): Promise<StudyDto> {
    const current = await this.analysis.analyse('current');
    await this.dataSource.transaction(async (tx) => {
      const study = await this.studies.find(studyId, tx, true);
      if (!study) throw new NotFoundException('No such study');
      if (study.status !== 'round2') throw new ConflictException(`The study is ${study.status}; it closes after round 2`);
      const items = (await this.studies.items(studyId)).map((i) => i.itemVersionId);
      const raters = await this.studies.raters(studyId, tx);
      const round2 = (await this.studies.ratings(studyId, tx)).filter((r) => r.round === 2);
      // The SEM is used for the range only when enough candidates sat the window for it to mean something.
      const sem = current.scores.n >= MIN_ATTEMPTS_FOR_SEM && current.reliability.sem ? current.reliability.sem : undefined;
      let cut;
      try {
        cut = angoffCut(
          round2.map((r) => ({ raterId: r.raterId, itemKey: r.itemVersionId, probability: Number(r.probability) })),
          items,
          study.formLength,
          sem,
        );
      } catch (error) {
        throw new ConflictException(`No cut can be computed: ${(error as Error).message}`);
      }
      const pct = (p: number) => Math.round(p * 10_000) / 100;
      const result: StudyResultDto = {
        cutPercent: Math.round(cut.cutPercent * 100) / 100,
        cutRaw: cut.cutRaw,
        formLength: study.formLength,
        raterSdPercent: pct(cut.raterSd),
        standardErrorPercent: pct(cut.standardError),
        semRaw: sem ?? null,
        lowPercent: Math.round(cut.range.lowPercent * 100) / 100,
        highPercent: Math.round(cut.range.highPercent * 100) / 100,
        raters: cut.raters.map((r) => ({
          raterId: r.raterId,
          name: raters.find((x) => x.raterId === r.raterId)?.fullName ?? '',
          cutPercent: pct(r.cutProportion),
          rated: r.rated,
          counted: r.rated === items.length,
        })),
        passMarkInUsePercent: current.scores.passMarkPercent,
      };
      await this.studies.setStatus(tx, studyId, 'closed', { closed: true, result });
      await this.audit.append(tx, {
        actorId: actor.id,
        action: 'standard_setting.closed',
        subjectType: 'standard_setting_study',
        subjectId: studyId,
        data: { ...result },
      });
    });
    return this.get(studyId);
  }

  /** Adopts the recommended cut: a new exam window with it, traceable to this study, the old and new cut on record. */
  async adopt(actor: AuthUser, studyId: string, dto: AdoptCutDto): Promise<StudyDto> {
    const startsAt = dto.startsAt ? new Date(dto.startsAt) : null;
    if (startsAt && startsAt.getTime() < Date.now() - 60_000) throw new BadRequestException('startsAt must not be in the past');
    await this.dataSource.transaction(async (tx) => {
      const study = await this.studies.find(studyId, tx, true);
      if (!study) throw new NotFoundException('No such study');
      if (study.status !== 'closed') throw new ConflictException(`The study is ${study.status}; only a closed study's cut can be adopted`);
      const result = study.result as StudyResultDto;
      const before = await this.examsService.currentWindow(tx);
      const window = await this.windows.insertWindow(tx, {
        examCode: AIDA,
        startsAt,
        passMarkPercent: result.cutPercent,
        source: 'standard_setting',
        studyId,
        decidedBy: actor.id,
        reason: dto.reason.trim(),
      });
      await this.studies.setStatus(tx, studyId, 'adopted');
      await this.audit.append(tx, {
        actorId: actor.id,
        action: 'exam.pass_mark_adopted',
        subjectType: 'exam',
        subjectId: AIDA,
        data: {
          studyId,
          windowId: window.id,
          startsAt: window.startsAt?.toISOString() ?? null,
          from: { passMarkPercent: Number(before.passMarkPercent), source: before.source, windowId: before.id },
          to: { passMarkPercent: result.cutPercent, source: 'standard_setting' },
          reason: dto.reason.trim(),
        },
      });
    });
    return this.get(studyId);
  }

  async cancel(actor: AuthUser, studyId: string): Promise<StudyDto> {
    await this.dataSource.transaction(async (tx) => {
      const study = await this.studies.find(studyId, tx, true);
      if (!study) throw new NotFoundException('No such study');
      if (study.status === 'adopted' || study.status === 'cancelled') throw new ConflictException(`The study is already ${study.status}`);
      await this.studies.setStatus(tx, studyId, 'cancelled', { closed: study.closedAt === null });
      await this.audit.append(tx, {
        actorId: actor.id,
        action: 'standard_setting.cancelled',
        subjectType: 'standard_setting_study',
        subjectId: studyId,
      });
    });
    return this.get(studyId);
  }

  private async toDto(study: Study): Promise<StudyDto> {
    const raters = await this.studies.raters(study.id);
    const ratings = await this.studies.ratings(study.id);
    const windows = study.status === 'adopted' ? await this.windows.listWindows(AIDA) : [];
    return {
      id: study.id,
      title: study.title,
      status: study.status,
      formLength: study.formLength,
      items: study.items,
      createdBy: study.createdByName,
      createdAt: study.createdAt.toISOString(),
      round2OpenedAt: study.round2OpenedAt?.toISOString() ?? null,
      closedAt: study.closedAt?.toISOString() ?? null,
      raters: raters.map((r) => ({
        id: r.raterId,
        name: r.fullName,
        email: r.email,
        ratedRound1: ratings.filter((x) => x.round === 1 && x.raterId === r.raterId).length,
        ratedRound2: ratings.filter((x) => x.round === 2 && x.raterId === r.raterId).length,
      })),
      result: (study.result as StudyResultDto | null) ?? null,
      adoptedWindowId: windows.find((w) => w.studyId === study.id)?.id ?? null,
    };
  }
}
