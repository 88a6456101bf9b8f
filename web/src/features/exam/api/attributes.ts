import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api/client';
import type { components } from '../../../lib/api/schema';

export type CandidateAttributes = components['schemas']['CandidateAttributesDto'];

const ATTRIBUTES_KEY = ['me', 'attributes'] as const;

export const getMyAttributes = async () => unwrap(await api.GET('/api/me/attributes'));
export const useMyAttributes = () => useQuery({ queryKey: ATTRIBUTES_KEY, queryFn: getMyAttributes });

export const declareAttributes = async (body: CandidateAttributes) => unwrap(await api.PUT('/api/me/attributes', { body }));
export const useDeclareAttributes = () => {
  const qc = useQueryClient();
  return useMutation({ mutationFn: declareAttributes, onSuccess: (data) => qc.setQueryData(ATTRIBUTES_KEY, data) });
};
