import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { MemoryRouter } from 'react-router';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { browserWindowShim } from '../../../test-support/memory-storage';
import type * as HomeModule from './reviewer-home';

let ReviewerHome: typeof HomeModule.ReviewerHome;
beforeAll(async () => {
  // The page's hooks import the API client, which reads the window's origin when loaded.
  vi.stubGlobal('window', browserWindowShim());
  ({ ReviewerHome } = await import('./reviewer-home'));
});

const PROFILE_KEY = ['review', 'profile'];

/** The page as first drawn, with what the cache holds (a server render fetches nothing). */
function render(profile?: { data?: unknown; error?: Error }) {
  const client = new QueryClient({ defaultOptions: { queries: { retryOnMount: false } } });
  if (profile?.data) client.setQueryData(PROFILE_KEY, profile.data);
  if (profile?.error) {
    client
      .getQueryCache()
      .build(client, { queryKey: PROFILE_KEY })
      .setState({ status: 'error', error: profile.error, fetchStatus: 'idle' });
  }
  return renderToStaticMarkup(
    <QueryClientProvider client={client}>
      <MemoryRouter>
        <ReviewerHome />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('the reviewer profile form', () => {
  it('cannot be saved until the profile is loaded: its defaults (and no away periods) would replace it', () => {
    const loading = render();
    expect(loading).toContain('Loading your profile…');
    expect(loading).toMatch(/<button type="submit" disabled="">Save profile<\/button>/);

    const failed = render({ error: new Error('The profile could not be loaded') });
    expect(failed).toContain('role="alert">The profile could not be loaded</div>');
    expect(failed).toMatch(/<button type="submit" disabled="">Save profile<\/button>/);

    const loaded = render({ data: { organisation: 'Acme', expertise: ['D01'], maxConcurrent: 2, away: [] } });
    expect(loaded).not.toContain('Loading your profile…');
    expect(loaded).toMatch(/<button type="submit">Save profile<\/button>/);
  });
});
