import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';

export const getExamSettings = async () => unwrap(await api.GET('/api/admin/exams/aida'));

/** The pass mark in force now, to compare a recommended cut with. */
export const usePassMarkInForce = () =>
  useQuery({
    queryKey: ['admin', 'exam', 'settings'],
    queryFn: getExamSettings,
    select: (s) => ({ percent: s.passMarkPercent, source: s.passMarkSource }),
  });
