import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import type { AuthUser } from '../../../common/auth/auth-user';
import { AIDA, ExamsService } from '../exams.service';
import { type ExamWindow, ExamWindowsRepository } from '../exam-windows.repository';
import { CANDIDATE_ATTRIBUTE_NAMES, CANDIDATE_ATTRIBUTES, CandidateAttribute, attributeValues } from '../candidate-attributes';
import { CandidateAttributesDto, DifAnalysisDto, ExamAnalysisDto, ExamWindowDto, ItemAnalysisDto } from './dto/analysis.dto';
import { type AnalysedVersion, ExamAnalysisRepository, type ExamResponse } from './exam-analysis.repository';
import {
  candidateTotals,
  DEFAULT_FLAG_LIMITS,
  decisionConsistency,
  DifGroup,
  ItemResponse,
  itemStatistics,
  kr20,
  mantelHaenszel,
  scoreSummary,
  standardErrorOfMeasurement,
} from './psychometrics';

/** What the analysis works from: the window, its responses, and the item versions they showed. */
interface Dataset {
  window: ExamWindow | null;
  windows: ExamWindow[];
  current: ExamWindow;
  rows: ExamResponse[];
  responses: ItemResponse[];
  versions: Map<string, AnalysedVersion>;
}

/** Raw score needed to pass: the pass mark of a form's scored questions, rounded up. */
export const cutScoreFor = (passMarkPercent: number, maxScore: number) => Math.ceil((passMarkPercent / 100) * maxScore - 1e-9);

/**
 * Item analysis and reliability from real responses (scored and pretest): the statistics a body
 * needs to show that its exam works (ISO/IEC 17024 §9.3; the AERA/APA/NCME Standards, ch. 2 and 4).
 */
@Injectable()
export class ExamAnalysisService {
  constructor(
    private readonly analysis: ExamAnalysisRepository,
    private readonly windows: ExamWindowsRepository,
    private readonly examsService: ExamsService,
  ) {}

  async analyse(window = 'current'): Promise<ExamAnalysisDto> {
    const data = await this.dataset(window);
    const maxScore = this.examsService.blueprintCounts.reduce((n, c) => n + c.count, 0);
    const totals = candidateTotals(data.responses);
    const scores = [...totals.values()].map((t) => t.score);
    const summary = scoreSummary(scores, maxScore);
    const reliability = kr20(data.responses, totals);
    const passMark = Number((data.window ?? data.current).passMarkPercent);
    const cutScore = cutScoreFor(passMark, maxScore);
    const consistency = reliability !== null && summary.n > 1 ? decisionConsistency(scores, maxScore, cutScore, reliability) : null;
    return {
      window: data.window ? windowDto(data.window, data.current) : null,
      windows: data.windows.map((w) => windowDto(w, data.current)),
      scores: {
        n: summary.n,
        maxScore,
        mean: summary.mean,
        sd: summary.sd,
        histogram: summary.histogram,
        cutScore,
        passMarkPercent: passMark,
        passRate: summary.n ? scores.filter((s) => s >= cutScore).length / summary.n : null,
      },
      reliability: {
        kr20: reliability,
        sem: reliability !== null && summary.sd !== null ? standardErrorOfMeasurement(summary.sd, reliability) : null,
        decisionAgreement: consistency?.agreement ?? null,
        decisionKappa: consistency?.kappa ?? null,
      },
      items: this.items(data),
      flagLimits: DEFAULT_FLAG_LIMITS,
      attributes: CANDIDATE_ATTRIBUTE_NAMES.map((name) => ({
        name,
        label: CANDIDATE_ATTRIBUTES[name].label,
        values: { ...CANDIDATE_ATTRIBUTES[name].values },
      })),
    };
  }

  /** Mantel–Haenszel DIF between two groups of declared candidates, matched on their scored total. */
  async dif(window: string, attribute: string, reference: string, focal: string, minGroup = 100): Promise<DifAnalysisDto> {
    const values = attributeValues(attribute as CandidateAttribute);
    for (const [name, value] of [
      ['reference', reference],
      ['focal', focal],
    ] as const) {
      if (!values.includes(value)) throw new BadRequestException(`${name} must be one of ${values.join(', ')} for ${attribute}`);
    }
    if (reference === focal) throw new BadRequestException('reference and focal must be different groups');
    const data = await this.dataset(window);
    const userOf = new Map(data.rows.map((r) => [r.candidate, r.userId]));
    const declared = await this.analysis.attributeValues(attribute, [...new Set(userOf.values())]);
    const groupOf = new Map<string, DifGroup>();
    for (const [attempt, user] of userOf) {
      const value = declared.get(user);
      if (value === reference) groupOf.set(attempt, 'reference');
      else if (value === focal) groupOf.set(attempt, 'focal');
    }
    const items = [...data.versions.values()].map((v) => {
      const result = mantelHaenszel(data.responses, groupOf, v.id, { minGroup });
      const seenBy = data.responses.filter((r) => r.itemKey === v.id && groupOf.has(r.candidateId));
      return {
        itemId: v.itemId,
        versionId: v.id,
        nReference: seenBy.filter((r) => groupOf.get(r.candidateId) === 'reference').length,
        nFocal: seenBy.filter((r) => groupOf.get(r.candidateId) === 'focal').length,
        alphaMH: result?.alphaMH ?? null,
        deltaMH: result?.deltaMH ?? null,
        chiSquare: result?.chiSquare ?? null,
        pValue: result?.pValue ?? null,
        category: result?.category ?? null,
      };
    });
    return {
      attribute,
      reference,
      focal,
      referenceCandidates: [...groupOf.values()].filter((g) => g === 'reference').length,
      focalCandidates: [...groupOf.values()].filter((g) => g === 'focal').length,
      minGroup,
      analysedItems: items.filter((i) => i.category !== null).length,
      items: items.sort((a, b) => (b.deltaMH === null ? -1 : a.deltaMH === null ? 1 : Math.abs(b.deltaMH) - Math.abs(a.deltaMH))),
    };
  }

  async myAttributes(user: AuthUser): Promise<CandidateAttributesDto> {
    const declared = await this.analysis.declared(user.id);
    return Object.fromEntries(CANDIDATE_ATTRIBUTE_NAMES.map((name) => [name, declared[name] ?? null]));
  }

  async declareAttributes(user: AuthUser, dto: CandidateAttributesDto): Promise<CandidateAttributesDto> {
    const changes = CANDIDATE_ATTRIBUTE_NAMES.filter((name) => dto[name] !== undefined).map((name) => ({
      attribute: name,
      value: dto[name] ?? null,
    }));
    await this.analysis.declare(user.id, changes);
    return this.myAttributes(user);
  }

  private items(data: Dataset): ItemAnalysisDto[] {
    const stats = itemStatistics(
      data.responses,
      [...data.versions.values()].map((v) => ({
        itemKey: v.id,
        options: v.content.options.map((o) => o.id),
        key: v.content.options.find((o) => o.key)!.id,
      })),
    );
    return stats.map((s) => {
      const v = data.versions.get(s.itemKey)!;
      const roles = new Set(data.responses.filter((r) => r.itemKey === s.itemKey).map((r) => r.scored));
      return {
        itemId: v.itemId,
        versionId: v.id,
        version: v.version,
        current: v.current,
        domain: v.domain,
        criterion: v.content.criterion,
        difficulty: v.content.difficulty,
        status: v.status,
        role: roles.size === 2 ? 'both' : roles.has(true) ? 'scored' : 'pretest',
        stem: v.content.stem,
        n: s.n,
        facility: s.facility,
        pointBiserial: s.pointBiserial,
        upperLower: s.upperLower,
        omitted: s.omitted,
        exposure: v.exposureCount,
        options: s.options.map((o) => ({ ...o, text: v.content.options.find((x) => x.id === o.option)?.text ?? '' })),
        flags: s.flags,
      };
    });
  }

  private async dataset(window: string): Promise<Dataset> {
    const current = await this.examsService.currentWindow();
    const windows = await this.windows.listWindows(AIDA);
    let chosen: ExamWindow | null = null;
    if (window === 'current') chosen = current;
    else if (window !== 'all') {
      chosen = windows.find((w) => w.id === window) ?? null;
      if (!chosen) throw new NotFoundException('No such exam window');
    }
    const rows = await this.analysis.responses(chosen?.id ?? null);
    const versionIds = [...new Set(rows.map((r) => r.version))];
    const versions = new Map((await this.analysis.versions(versionIds)).map((v) => [v.id, v]));
    const responses: ItemResponse[] = rows.map((r) => {
      const content = versions.get(r.version)!.content;
      return {
        candidateId: r.candidate,
        itemKey: r.version,
        chosen: r.chosen,
        correct: r.chosen !== null && content.options.find((o) => o.id === r.chosen)?.key === true,
        scored: r.scored,
      };
    });
    return { window: chosen, windows, current, rows, responses, versions };
  }
}

function windowDto(w: ExamWindow, current: ExamWindow): ExamWindowDto {
  return {
    id: w.id,
    startsAt: w.startsAt?.toISOString() ?? null,
    passMarkPercent: Number(w.passMarkPercent),
    source: w.source,
    studyId: w.studyId,
    decidedBy: w.decidedByName,
    reason: w.reason,
    createdAt: w.createdAt.toISOString(),
    attempts: w.attempts,
    current: w.id === current.id,
  };
}
