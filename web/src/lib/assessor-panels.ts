import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from './api/client';
import type { components } from './api/schema';

export type PanelSummary = components['schemas']['PanelSummaryDto'];

/** The panels an assessor sits on: the panels pages list them and the reviewer home counts them in the workload. */
export const MY_PANELS_KEY = ['panels', 'mine'] as const;

export const getMyPanels = async () => unwrap(await api.GET('/api/panels/assignments'));
export const useMyPanels = () => useQuery({ queryKey: MY_PANELS_KEY, queryFn: getMyPanels });
