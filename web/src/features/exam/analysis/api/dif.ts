import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import type { components, operations } from '../../../../lib/api/schema';
import { saveDownload } from '../../../../lib/download';
import { ANALYSIS_KEY, fileSuffix } from './analysis';

export type DifAnalysis = components['schemas']['DifAnalysisDto'];
export type DifItem = components['schemas']['DifItemDto'];
export type DifQuery = operations['ExamAnalysisController_dif']['parameters']['query'] & { window: string };

export const getDif = async (query: DifQuery) => unwrap(await api.GET('/api/admin/exams/aida/analysis/dif', { params: { query } }));

/** Runs only once the admin has chosen a comparison. */
export const useDif = (query: DifQuery | null) =>
  useQuery({
    queryKey: [...ANALYSIS_KEY, 'dif', query],
    queryFn: () => getDif(query!),
    enabled: query !== null,
  });

export async function downloadDifCsv(query: DifQuery): Promise<void> {
  const result = await api.GET('/api/admin/exams/aida/analysis/dif.csv', { params: { query }, parseAs: 'blob' });
  saveDownload(result, `aida-dif-${query.attribute}-${fileSuffix(query.window)}.csv`, 'The DIF table could not be downloaded; try again');
}
