import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api/client';
import type { components } from '../../../lib/api/schema';

export type Attempt = components['schemas']['AttemptDto'];
export type AttemptQuestion = components['schemas']['AttemptQuestionDto'];
export type ExamInfo = components['schemas']['ExamInfoDto'];

export const EXAM_KEY = ['exam', 'aida'] as const;

export const getExamInfo = async () => unwrap(await api.GET('/api/exams/aida'));
export const useExamInfo = () => useQuery({ queryKey: EXAM_KEY, queryFn: getExamInfo });

export const listMyAttempts = async () => unwrap(await api.GET('/api/exams/aida/attempts'));
export const useMyAttempts = () => useQuery({ queryKey: [...EXAM_KEY, 'attempts'], queryFn: listMyAttempts });
