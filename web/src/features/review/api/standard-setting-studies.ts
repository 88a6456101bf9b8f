import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api/client';

export const listMyStudies = async () => unwrap(await api.GET('/api/standard-setting'));
/** The standard-setting studies I am invited to rate (the rating page refreshes this key as ratings are saved). */
export const useMyStudies = () => useQuery({ queryKey: ['standard-setting', 'mine'], queryFn: listMyStudies });
