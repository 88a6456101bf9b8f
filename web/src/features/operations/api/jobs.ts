import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api/client';
import type { components } from '../../../lib/api/schema';

export type JobsOverview = components['schemas']['JobsOverviewDto'];
export type FailedJob = components['schemas']['FailedJobDto'];
export type ReconcileRun = components['schemas']['ReconcileRunDto'];
export type ReconcileResult = components['schemas']['ReconcileResultDto'];

const KEY = ['admin', 'jobs'] as const;

export const getJobsOverview = async () => unwrap(await api.GET('/api/admin/jobs'));
export const useJobsOverview = () => useQuery({ queryKey: KEY, queryFn: getJobsOverview });

export const retryJob = async (id: string) => unwrap(await api.POST('/api/admin/jobs/{id}/retry', { params: { path: { id } } }));
export const useRetryJob = () => {
  const qc = useQueryClient();
  return useMutation({ mutationFn: retryJob, onSettled: () => qc.invalidateQueries({ queryKey: KEY }) });
};

export const reconcileNow = async () => unwrap(await api.POST('/api/admin/jobs/reconcile'));
export const useReconcileNow = () => {
  const qc = useQueryClient();
  return useMutation({ mutationFn: reconcileNow, onSettled: () => qc.invalidateQueries({ queryKey: KEY }) });
};
