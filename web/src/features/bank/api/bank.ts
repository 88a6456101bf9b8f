import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api/client';
import type { operations } from '../../../lib/api/schema';

export type ItemQuery = NonNullable<operations['AdminQuestionBankController_list']['parameters']['query']>;

export const listItems = async (query: ItemQuery) => unwrap(await api.GET('/api/admin/bank/items', { params: { query } }));
export const useItems = (query: ItemQuery) => useQuery({ queryKey: ['admin', 'bank', 'items', query], queryFn: () => listItems(query) });

export const getItem = async (itemId: string) => unwrap(await api.GET('/api/admin/bank/items/{itemId}', { params: { path: { itemId } } }));
export const useItem = (itemId: string) => useQuery({ queryKey: ['admin', 'bank', 'item', itemId], queryFn: () => getItem(itemId) });

export const getFramework = async () => unwrap(await api.GET('/api/framework'));
export const useFramework = () => useQuery({ queryKey: ['framework'], queryFn: getFramework, staleTime: Infinity });
