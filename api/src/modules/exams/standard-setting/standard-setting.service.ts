import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../../common/auth/auth-user';
import { AuditService } from '../../audit/audit.service';
import { ProgrammeCatalogue } from '../../programme/programme-catalogue';
import { angoffCut } from '../analysis/angoff';
import { ExamAnalysisService } from '../analysis/exam-analysis.service';
import { AIDA, ExamsService } from '../exams.service';
import { ExamsRepository } from '../exams.repository';
import {
  AdoptCutDto,
  CreateStudyDto,
  RatedItemDto,
  RaterStudyDto,
  RaterStudySummaryDto,
  SaveRatingsDto,
  StudyDto,
  StudyResultDto,
} from './dto/standard-setting.dto';
import { RatingRow, StandardSettingRepository, StudyRow } from './standard-setting.repository';

/** Attempts a window needs before its SEM is used for the cut's range (else the raters' standard error is). */
export const MIN_ATTEMPTS_FOR_SEM = 30;

const roundOf = (status: StudyRow['status']): 1 | 2 | null => (status === 'round1' ? 1 : status === 'round2' ? 2 : null);
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/**
 * Modified-Angoff standard setting: subject experts rate, item by item, the probability that a
 * minimally competent candidate answers correctly; a second round shows them how candidates did
 * and the panel's first-round view; the recommended cut is the mean of the raters' mean ratings,
 * reported with the raters' spread and the exam's SEM. The pass mark in use changes only when an
 * administrator adopts the result for an exam window, on the record.
 */
@Injectable()
export class StandardSettingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly studies: StandardSettingRepository,
    private readonly exams: ExamsRepository,
    private readonly examsService: ExamsService,
    private readonly analysis: ExamAnalysisService,
    private readonly programme: ProgrammeCatalogue,
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
      const study = await this.studies.find(studyId, tx, 'FOR UPDATE');
      if (!study) throw new NotFoundException('No such study');
      if (study.status !== 'round1') throw new ConflictException(`The study is ${study.status}; round 2 opens after round 1`);
      const raters = await this.studies.raters(studyId, tx);
      const ratings = await this.studies.ratings(studyId, tx);
      const behind = raters.filter((r) => ratings.filter((x) => x.round === 1 && x.rater_id === r.rater_id).length < study.items);
      if (behind.length)
        throw new ConflictException(`Round 1 is not complete: ${behind.map((r) => r.full_name).join(', ')} still to finish`);
      for (const r of raters) {
        const own = ratings.filter((x) => x.round === 1 && x.rater_id === r.rater_id);
        await this.studies.saveRatings(
          tx,
          studyId,
          2,
          r.rater_id,
          own.map((x) => ({ itemVersionId: x.item_version_id, probability: Number(x.probability) })),
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
      const study = await this.studies.find(studyId, tx, 'FOR UPDATE');
      if (!study) throw new NotFoundException('No such study');
      if (study.status !== 'round2') throw new ConflictException(`The study is ${study.status}; it closes after round 2`);
      const items = (await this.studies.items(studyId)).map((i) => i.item_version_id);
      const raters = await this.studies.raters(studyId, tx);
      const round2 = (await this.studies.ratings(studyId, tx)).filter((r) => r.round === 2);
      // The SEM is used for the range only when enough candidates sat the window for it to mean something.
      const sem = current.scores.n >= MIN_ATTEMPTS_FOR_SEM && current.reliability.sem ? current.reliability.sem : undefined;
      let cut;
      try {
        cut = angoffCut(
          round2.map((r) => ({ raterId: r.rater_id, itemKey: r.item_version_id, probability: Number(r.probability) })),
          items,
          study.form_length,
          sem,
        );
      } catch (error) {
        throw new ConflictException(`No cut can be computed: ${(error as Error).message}`);
      }
      const pct = (p: number) => Math.round(p * 10_000) / 100;
      const result: StudyResultDto = {
        cutPercent: Math.round(cut.cutPercent * 100) / 100,
        cutRaw: cut.cutRaw,
        formLength: study.form_length,
        raterSdPercent: pct(cut.raterSd),
        standardErrorPercent: pct(cut.standardError),
        semRaw: sem ?? null,
        lowPercent: Math.round(cut.range.lowPercent * 100) / 100,
        highPercent: Math.round(cut.range.highPercent * 100) / 100,
        raters: cut.raters.map((r) => ({
          raterId: r.raterId,
          name: raters.find((x) => x.rater_id === r.raterId)?.full_name ?? '',
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
      const study = await this.studies.find(studyId, tx, 'FOR UPDATE');
      if (!study) throw new NotFoundException('No such study');
      if (study.status !== 'closed') throw new ConflictException(`The study is ${study.status}; only a closed study's cut can be adopted`);
      const result = study.result as StudyResultDto;
      const before = await this.examsService.currentWindow(tx);
      const window = await this.exams.insertWindow(tx, {
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
          startsAt: new Date(window.starts_at).toISOString(),
          from: { passMarkPercent: Number(before.pass_mark_percent), source: before.source, windowId: before.id },
          to: { passMarkPercent: result.cutPercent, source: 'standard_setting' },
          reason: dto.reason.trim(),
        },
      });
    });
    return this.get(studyId);
  }

  async cancel(actor: AuthUser, studyId: string): Promise<StudyDto> {
    await this.dataSource.transaction(async (tx) => {
      const study = await this.studies.find(studyId, tx, 'FOR UPDATE');
      if (!study) throw new NotFoundException('No such study');
      if (study.status === 'adopted' || study.status === 'cancelled') throw new ConflictException(`The study is already ${study.status}`);
      await this.studies.setStatus(tx, studyId, 'cancelled', { closed: study.closed_at === null });
      await this.audit.append(tx, {
        actorId: actor.id,
        action: 'standard_setting.cancelled',
        subjectType: 'standard_setting_study',
        subjectId: studyId,
      });
    });
    return this.get(studyId);
  }

  // --- the raters' side --------------------------------------------------------------------------

  async myStudies(rater: AuthUser): Promise<RaterStudySummaryDto[]> {
    const studies = await this.studies.listForRater(rater.id);
    return Promise.all(
      studies.map(async (s) => {
        const round = roundOf(s.status);
        const ratings = await this.studies.ratings(s.id);
        return {
          id: s.id,
          title: s.title,
          status: s.status,
          round,
          items: s.items,
          rated: round ? ratings.filter((r) => r.round === round && r.rater_id === rater.id).length : 0,
        };
      }),
    );
  }

  async forRater(rater: AuthUser, studyId: string): Promise<RaterStudyDto> {
    const study = await this.studies.find(studyId);
    if (!study || !(await this.studies.isRater(studyId, rater.id))) throw new NotFoundException('No such study');
    const round = roundOf(study.status);
    const ratings = await this.studies.ratings(studyId);
    const items = await this.studies.items(studyId);
    const statistics = round === 2 ? new Map((await this.analysis.analyse('all')).items.map((i) => [i.versionId, i])) : null;
    const criteria = new Map(this.programme.framework.domains.flatMap((d) => d.criteria.map((c) => [c.code, c.text])));
    const value = (list: RatingRow[]) => (list.length ? Number(list[0].probability) : null);
    const itemsToRate: RatedItemDto[] = items.map((i) => {
      const forItem = ratings.filter((r) => r.item_version_id === i.item_version_id);
      const dto: RatedItemDto = {
        itemVersionId: i.item_version_id,
        itemId: i.item_id,
        position: i.position,
        domain: i.domain,
        criterion: i.content.criterion,
        criterionText: criteria.get(i.content.criterion) ?? '',
        difficulty: i.content.difficulty,
        stem: i.content.stem,
        options: i.content.options.map((o) => ({ text: o.text, key: o.key })),
        rating: round ? value(forItem.filter((r) => r.round === round && r.rater_id === rater.id)) : null,
      };
      if (round === 2) {
        const stats = statistics?.get(i.item_version_id);
        dto.round1Rating = value(forItem.filter((r) => r.round === 1 && r.rater_id === rater.id));
        dto.panelRound1Mean = mean(forItem.filter((r) => r.round === 1).map((r) => Number(r.probability)));
        dto.statistics = stats ? { n: stats.n, facility: stats.facility, pointBiserial: stats.pointBiserial } : null;
      }
      return dto;
    });
    return {
      id: study.id,
      title: study.title,
      status: study.status,
      round,
      items: study.items,
      rated: itemsToRate.filter((i) => i.rating !== null).length,
      itemsToRate,
    };
  }

  async rate(rater: AuthUser, studyId: string, dto: SaveRatingsDto): Promise<RaterStudySummaryDto> {
    const study = await this.studies.find(studyId);
    if (!study || !(await this.studies.isRater(studyId, rater.id))) throw new NotFoundException('No such study');
    const round = roundOf(study.status);
    if (!round) throw new ConflictException(`The study is ${study.status}; ratings can no longer change`);
    const ids = [...new Set(dto.ratings.map((r) => r.itemVersionId))];
    if (ids.length !== dto.ratings.length) throw new BadRequestException('ratings name an item more than once');
    const known = new Set(await this.studies.studyItemVersions(studyId, ids));
    const unknown = ids.find((id) => !known.has(id));
    if (unknown) throw new BadRequestException(`ratings: ${unknown} is not an item of this study`);
    await this.dataSource.transaction((tx) => this.studies.saveRatings(tx, studyId, round, rater.id, dto.ratings));
    const summary = (await this.myStudies(rater)).find((s) => s.id === studyId)!;
    return summary;
  }

  private async toDto(study: StudyRow): Promise<StudyDto> {
    const raters = await this.studies.raters(study.id);
    const ratings = await this.studies.ratings(study.id);
    const windows = study.status === 'adopted' ? await this.exams.listWindows(AIDA) : [];
    return {
      id: study.id,
      title: study.title,
      status: study.status,
      formLength: study.form_length,
      items: study.items,
      createdBy: study.created_by_name,
      createdAt: study.created_at.toISOString(),
      round2OpenedAt: study.round2_opened_at?.toISOString() ?? null,
      closedAt: study.closed_at?.toISOString() ?? null,
      raters: raters.map((r) => ({
        id: r.rater_id,
        name: r.full_name,
        email: r.email,
        ratedRound1: ratings.filter((x) => x.round === 1 && x.rater_id === r.rater_id).length,
        ratedRound2: ratings.filter((x) => x.round === 2 && x.rater_id === r.rater_id).length,
      })),
      result: (study.result as StudyResultDto | null) ?? null,
      adoptedWindowId: windows.find((w) => w.study_id === study.id)?.id ?? null,
    };
  }
}
