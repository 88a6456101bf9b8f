import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import type { components } from '../../../../lib/api/schema';

export type Study = components['schemas']['StudyDto'];
export type StudyResult = components['schemas']['StudyResultDto'];
export type StudyStatus = Study['status'];
export type AdoptCut = components['schemas']['AdoptCutDto'];

const STUDIES_KEY = ['admin', 'standard-setting'] as const;
const studyKey = (studyId: string) => [...STUDIES_KEY, studyId] as const;

export const listStudies = async () => unwrap(await api.GET('/api/admin/exams/aida/standard-setting'));
export const useStudies = () => useQuery({ queryKey: STUDIES_KEY, queryFn: listStudies });

export const getStudy = async (studyId: string) =>
  unwrap(await api.GET('/api/admin/exams/aida/standard-setting/{studyId}', { params: { path: { studyId } } }));
export const useStudy = (studyId: string) => useQuery({ queryKey: studyKey(studyId), queryFn: () => getStudy(studyId) });

export const openStudy = async (body: components['schemas']['CreateStudyDto']) =>
  unwrap(await api.POST('/api/admin/exams/aida/standard-setting', { body }));
export const useOpenStudy = () => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: openStudy,
    onSuccess: (study) => {
      qc.setQueryData(studyKey(study.id), study);
      return qc.invalidateQueries({ queryKey: STUDIES_KEY, exact: true });
    },
  });
};

const path = (studyId: string) => ({ params: { path: { studyId } } });
const STEPS = {
  round2: async (studyId: string) => unwrap(await api.POST('/api/admin/exams/aida/standard-setting/{studyId}/round2', path(studyId))),
  close: async (studyId: string) => unwrap(await api.POST('/api/admin/exams/aida/standard-setting/{studyId}/close', path(studyId))),
  cancel: async (studyId: string) => unwrap(await api.POST('/api/admin/exams/aida/standard-setting/{studyId}/cancel', path(studyId))),
};

/** Opening round 2, closing (which computes the cut) and cancelling: each answers with the study as it now is. */
export const useStudyStep = (studyId: string, step: keyof typeof STEPS) => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => STEPS[step](studyId),
    onSuccess: (study) => {
      qc.setQueryData(studyKey(studyId), study);
      return qc.invalidateQueries({ queryKey: STUDIES_KEY, exact: true });
    },
    // A refusal (409) usually means the study moved on elsewhere: show the server's reason and the study as it is.
    onError: () => qc.invalidateQueries({ queryKey: studyKey(studyId) }),
  });
};

export const adoptCut = async (studyId: string, body: AdoptCut) =>
  unwrap(await api.POST('/api/admin/exams/aida/standard-setting/{studyId}/adopt', { ...path(studyId), body }));
export const useAdoptCut = (studyId: string) => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: AdoptCut) => adoptCut(studyId, body),
    onSuccess: (study) => {
      qc.setQueryData(studyKey(studyId), study);
      // The pass mark in force is the exam settings' business too.
      return Promise.all([
        qc.invalidateQueries({ queryKey: STUDIES_KEY, exact: true }),
        qc.invalidateQueries({ queryKey: ['admin', 'exam'] }),
      ]);
    },
  });
};
