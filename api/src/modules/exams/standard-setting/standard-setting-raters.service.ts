import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../../common/auth/auth-user';
import { ProgrammeCatalogue } from '../../programme/programme-catalogue';
import { ExamAnalysisService } from '../analysis/exam-analysis.service';
import { RatedItemDto, RaterStudyDto, RaterStudySummaryDto, SaveRatingsDto } from './dto/standard-setting.dto';
import { type Rating, StandardSettingRepository } from './standard-setting.repository';
import { ratingRound } from './study-lifecycle';

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/**
 * The raters' side of a modified-Angoff study: the studies a reviewer is invited to, the items to rate
 * (in round 2 with the candidates' statistics and the panel's round-1 view) and saving their ratings.
 */
@Injectable()
export class StandardSettingRatersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly studies: StandardSettingRepository,
    private readonly analysis: ExamAnalysisService,
    private readonly programme: ProgrammeCatalogue,
  ) {}

  async myStudies(rater: AuthUser): Promise<RaterStudySummaryDto[]> {
    const studies = await this.studies.listForRater(rater.id);
    return Promise.all(
      studies.map(async (s) => {
        const round = ratingRound(s.status);
        const ratings = await this.studies.ratings(s.id);
        return {
          id: s.id,
          title: s.title,
          status: s.status,
          round,
          items: s.items,
          rated: round ? ratings.filter((r) => r.round === round && r.raterId === rater.id).length : 0,
        };
      }),
    );
  }

  async forRater(rater: AuthUser, studyId: string): Promise<RaterStudyDto> {
    const study = await this.studies.find(studyId);
    if (!study || !(await this.studies.isRater(studyId, rater.id))) throw new NotFoundException('No such study');
    const round = ratingRound(study.status);
    const ratings = await this.studies.ratings(studyId);
    const items = await this.studies.items(studyId);
    const statistics = round === 2 ? new Map((await this.analysis.analyse('all')).items.map((i) => [i.versionId, i])) : null;
    const criteria = new Map(this.programme.framework.domains.flatMap((d) => d.criteria.map((c) => [c.code, c.text])));
    const value = (list: Rating[]) => (list.length ? Number(list[0].probability) : null);
    const itemsToRate: RatedItemDto[] = items.map((i) => {
      const forItem = ratings.filter((r) => r.itemVersionId === i.itemVersionId);
      const dto: RatedItemDto = {
        itemVersionId: i.itemVersionId,
        itemId: i.itemId,
        position: i.position,
        domain: i.domain,
        criterion: i.content.criterion,
        criterionText: criteria.get(i.content.criterion) ?? '',
        difficulty: i.content.difficulty,
        stem: i.content.stem,
        options: i.content.options.map((o) => ({ text: o.text, key: o.key })),
        rating: round ? value(forItem.filter((r) => r.round === round && r.raterId === rater.id)) : null,
      };
      if (round === 2) {
        const stats = statistics?.get(i.itemVersionId);
        dto.round1Rating = value(forItem.filter((r) => r.round === 1 && r.raterId === rater.id));
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
    const round = ratingRound(study.status);
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
}
