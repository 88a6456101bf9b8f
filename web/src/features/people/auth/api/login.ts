import { useMutation } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import type { components } from '../../../../lib/api/schema';

export type LoginRequest = components['schemas']['LoginDto'];

export const login = async (body: LoginRequest) => unwrap(await api.POST('/api/auth/login', { body }));

export const useLogin = () => useMutation({ mutationFn: login });
