import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { api, onSessionChange, type RefreshOutcome, restoreSession, setAccessToken, storedAccessToken, unwrap } from '../api/client';
import type { components } from '../api/schema';

export type User = components['schemas']['UserDto'];
export type Role = User['roles'][number];

interface Session {
  user: User | null;
  loading: boolean;
  /** True after an explicit sign-out, until the next sign-in: the sign-in page confirms it. */
  signedOut: boolean;
  signIn(accessToken: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);
export const ME_KEY = ['me'] as const;

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [restored, setRestored] = useState(false);
  const [signedIn, setSignedIn] = useState(false);
  const [signedOut, setSignedOut] = useState(false);

  useEffect(() => onSessionChange(setSignedIn), []);
  useEffect(() => {
    // A reload keeps the session: this tab's unexpired access token, else the refresh cookie.
    const stored = storedAccessToken();
    if (stored) {
      setAccessToken(stored);
      setRestored(true);
    } else {
      // A reload during an outage is not a sign-out: the cookie and the session are still there.
      let cancelled = false;
      void restoreThroughOutage(restoreSession, () => cancelled).then(() => !cancelled && setRestored(true));
      return () => {
        cancelled = true;
      };
    }
  }, []);

  const me = useQuery({
    queryKey: ME_KEY,
    enabled: restored && signedIn,
    queryFn: async () => unwrap(await api.GET('/api/me')),
    staleTime: 60_000,
  });

  const value: Session = {
    user: signedIn ? (me.data ?? null) : null,
    loading: !restored || (signedIn && me.isPending),
    signedOut,
    async signIn(accessToken) {
      setSignedOut(false);
      setAccessToken(accessToken);
      await queryClient.fetchQuery({ queryKey: ME_KEY, queryFn: async () => unwrap(await api.GET('/api/me')) });
    },
    async signOut() {
      await api.POST('/api/auth/logout');
      setSignedOut(true);
      setAccessToken(null);
      queryClient.clear();
    },
  };
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/**
 * Restores the session after a reload, trying again while the server cannot be reached (the page meanwhile
 * says it is loading) for about a minute before settling for the signed-out view. Resolves with the outcome.
 */
export async function restoreThroughOutage(
  restore: () => Promise<RefreshOutcome>,
  cancelled: () => boolean,
  { tries = 6, waitMs = 10_000 }: { tries?: number; waitMs?: number } = {},
): Promise<RefreshOutcome> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await restore();
    if (outcome !== 'unavailable' || attempt >= tries || cancelled()) return outcome;
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** Staff (reviewers, administrators) must enrol a second factor (TOTP or a passkey) before they can use anything else. */
export function needsSecondFactor(user: User): boolean {
  return user.secondFactor.required && !user.secondFactor.enabled;
}

export function homePathFor(user: User): string {
  if (user.roles.includes('admin')) return '/admin';
  if (user.roles.includes('reviewer')) return '/reviewer';
  return '/candidate';
}
