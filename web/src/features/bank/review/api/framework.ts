import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import type { components } from '../../../../lib/api/schema';

export type FrameworkDomain = components['schemas']['FrameworkDomainDto'];

export const getFramework = async () => unwrap(await api.GET('/api/framework'));
/** The framework changes only with a release: fetched once per session. */
export const useFramework = () => useQuery({ queryKey: ['framework'], queryFn: getFramework, staleTime: Infinity });
