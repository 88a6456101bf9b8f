import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from './api/client';
import type { components } from './api/schema';

export type Programme = components['schemas']['ProgrammeDto'];
export type ProgrammeCredential = components['schemas']['ProgrammeCredentialDto'];
export type Framework = components['schemas']['FrameworkDto'];

/** The programme as the public pages show it (the server keeps it a minute). */
export const useProgramme = () =>
  useQuery({ queryKey: ['programme'], queryFn: async () => unwrap(await api.GET('/api/public/programme')), staleTime: 60_000 });

/** The framework: it changes only with a new release. */
export const usePublicFramework = () =>
  useQuery({ queryKey: ['framework'], queryFn: async () => unwrap(await api.GET('/api/framework')), staleTime: Infinity });
