import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';

/** The parts of a certification's Open Badges 3.0 Achievement (JSON-LD) the verify page shows. */
export interface Achievement {
  criteria: { narrative: string };
  /** The issuer profile every credential of this certification names as its issuer (same id, same name). */
  creator: { id: string; name: string };
}

/**
 * Reads the achievement the credential names by URL, so the page shows the criteria and issuer the signed
 * credential carries rather than a second copy of them.
 */
async function fetchAchievement(code: string): Promise<Achievement> {
  const res = await fetch(`/api/public/achievements/${encodeURIComponent(code)}`, { headers: { Accept: 'application/ld+json' } });
  if (!res.ok) throw new Error('The credential description could not be loaded');
  return (await res.json()) as Achievement;
}

/** It changes only with a release or the configuration (the server lets caches keep it five minutes). */
export const useAchievement = (code: string | undefined) =>
  useQuery({ queryKey: ['achievement', code], queryFn: () => fetchAchievement(code!), enabled: Boolean(code), staleTime: 300_000 });

/**
 * The programme the public pages show (what each credential attests, its domains). The same query key as the
 * programme pages', so a visitor going on to the credential's page does not load it twice.
 */
export const useProgrammeForVerify = () =>
  useQuery({ queryKey: ['programme'], queryFn: async () => unwrap(await api.GET('/api/public/programme')), staleTime: 60_000 });
