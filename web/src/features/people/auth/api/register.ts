import { useMutation } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import type { components } from '../../../../lib/api/schema';

export type RegisterRequest = components['schemas']['RegisterDto'];

export const register = async (body: RegisterRequest) => unwrap(await api.POST('/api/auth/register', { body }));

export const useRegister = () => useMutation({ mutationFn: register });
