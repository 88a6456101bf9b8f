import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';

/** Domain code → title, from the framework the API publishes. */
export function useDomainTitles(): Map<string, string> {
  const framework = useQuery({
    queryKey: ['framework'],
    queryFn: async () => unwrap(await api.GET('/api/framework')),
    staleTime: Infinity,
  });
  return new Map(framework.data?.domains.map((d) => [d.code, d.title]) ?? []);
}
