import { Injectable } from '@nestjs/common';
import { ExamAnalysisService } from './exam-analysis.service';
import { toCsv } from '../../../common/lists/csv';

/** The analysis as CSV downloads (item statistics, score distribution, DIF), for the body's own records and tools. */
@Injectable()
export class ExamAnalysisExportService {
  constructor(private readonly analysis: ExamAnalysisService) {}

  async itemsCsv(window: string): Promise<string> {
    const { items } = await this.analysis.analyse(window);
    const letters = ['a', 'b', 'c', 'd'];
    const header = [
      'item_id',
      'version',
      'current',
      'domain',
      'criterion',
      'difficulty',
      'status',
      'role',
      'n',
      'facility',
      'point_biserial',
      'upper_lower',
      'omitted',
      'exposure',
      'key',
      ...letters.flatMap((l) => [`option_${l}_share`, `option_${l}_correlation`]),
      'flags',
    ];
    const rows = items.map((i) => [
      i.itemId,
      i.version,
      i.current,
      i.domain,
      i.criterion,
      i.difficulty,
      i.status,
      i.role,
      i.n,
      i.facility,
      i.pointBiserial,
      i.upperLower,
      i.omitted,
      i.exposure,
      i.options.find((o) => o.key)?.option ?? '',
      ...letters.flatMap((l) => {
        const o = i.options.find((x) => x.option === l);
        return [o?.share ?? '', o?.correlation ?? ''];
      }),
      i.flags.join(' '),
    ]);
    return toCsv([header, ...rows]);
  }

  async scoresCsv(window: string): Promise<string> {
    const { scores, reliability } = await this.analysis.analyse(window);
    const rows: unknown[][] = [['score', 'attempts', 'passes']];
    scores.histogram.forEach((count, score) => rows.push([score, count, score >= scores.cutScore]));
    rows.push([], ['statistic', 'value']);
    for (const [k, v] of Object.entries({ ...scores, histogram: undefined, ...reliability })) if (v !== undefined) rows.push([k, v]);
    return toCsv(rows);
  }

  async difCsv(window: string, attribute: string, reference: string, focal: string, minGroup?: number): Promise<string> {
    const dif = await this.analysis.dif(window, attribute, reference, focal, minGroup);
    return toCsv([
      ['item_id', 'version_id', 'n_reference', 'n_focal', 'alpha_mh', 'delta_mh', 'chi_square', 'p_value', 'ets_category'],
      ...dif.items.map((i) => [i.itemId, i.versionId, i.nReference, i.nFocal, i.alphaMH, i.deltaMH, i.chiSquare, i.pValue, i.category]),
    ]);
  }
}
