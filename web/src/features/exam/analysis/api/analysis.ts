import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import type { components } from '../../../../lib/api/schema';
import { saveDownload } from '../../../../lib/download';

export type ExamAnalysis = components['schemas']['ExamAnalysisDto'];
export type ExamWindow = components['schemas']['ExamWindowDto'];
export type ItemAnalysis = components['schemas']['ItemAnalysisDto'];
export type FlagLimits = components['schemas']['FlagLimitsDto'];
export type CandidateAttribute = components['schemas']['CandidateAttributeDto'];
export type ItemFlag = ItemAnalysis['flags'][number];

/** `current`, `all` or an exam window id, as the API takes it. */
export type WindowKey = string;

export const ANALYSIS_KEY = ['admin', 'exam', 'analysis'] as const;

export const getExamAnalysis = async (window: WindowKey) =>
  unwrap(await api.GET('/api/admin/exams/aida/analysis', { params: { query: { window } } }));

/** The previous window's figures stay on screen while another window loads, so the page does not jump. */
export const useExamAnalysis = (window: WindowKey) =>
  useQuery({ queryKey: [...ANALYSIS_KEY, window], queryFn: () => getExamAnalysis(window), placeholderData: keepPreviousData });

/** A short, readable part of a download's file name for the window. */
export const fileSuffix = (window: WindowKey) => (window === 'current' || window === 'all' ? window : window.slice(0, 8));

export async function downloadItemsCsv(window: WindowKey): Promise<void> {
  const result = await api.GET('/api/admin/exams/aida/analysis/items.csv', { params: { query: { window } }, parseAs: 'blob' });
  saveDownload(result, `aida-item-analysis-${fileSuffix(window)}.csv`, 'The item statistics could not be downloaded; try again');
}

export async function downloadScoresCsv(window: WindowKey): Promise<void> {
  const result = await api.GET('/api/admin/exams/aida/analysis/scores.csv', { params: { query: { window } }, parseAs: 'blob' });
  saveDownload(result, `aida-scores-${fileSuffix(window)}.csv`, 'The score distribution could not be downloaded; try again');
}
