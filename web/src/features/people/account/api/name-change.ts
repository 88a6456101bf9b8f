import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import type { components } from '../../../../lib/api/schema';

export type NameChange = components['schemas']['NameChangeDto'];
export const MY_NAME_CHANGE_KEY = ['me', 'name-change'] as const;

/** The current name and the latest request (null when there has been none). */
export const getMyNameChange = async () => unwrap(await api.GET('/api/me/name-change'));
export const useMyNameChange = () => useQuery({ queryKey: MY_NAME_CHANGE_KEY, queryFn: getMyNameChange });

export const requestNameChange = async (body: { name: string; reason: string }) => unwrap(await api.POST('/api/me/name-change', { body }));
export const cancelNameChange = async () => unwrap(await api.DELETE('/api/me/name-change'));

export const useRequestNameChange = () => {
  const qc = useQueryClient();
  return useMutation({ mutationFn: requestNameChange, onSuccess: () => qc.invalidateQueries({ queryKey: MY_NAME_CHANGE_KEY }) });
};

export const useCancelNameChange = () => {
  const qc = useQueryClient();
  return useMutation({ mutationFn: cancelNameChange, onSuccess: () => qc.invalidateQueries({ queryKey: MY_NAME_CHANGE_KEY }) });
};
