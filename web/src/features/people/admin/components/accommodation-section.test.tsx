import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { MemoryRouter } from 'react-router';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { browserWindowShim } from '../../../../test-support/memory-storage';
import type { Accommodation } from '../api/accommodation';
import type * as SectionModule from './accommodation-section';

let AccommodationSection: typeof SectionModule.AccommodationSection;
beforeAll(async () => {
  // The page's hooks import the API client, which reads the window's origin when loaded.
  vi.stubGlobal('window', browserWindowShim());
  ({ AccommodationSection } = await import('./accommodation-section'));
});

const SET: Accommodation = { userId: 'c-1', timeMultiplier: 1.5, updatedAt: '2026-11-30T09:00:00.000Z' };

/** The page as first drawn: with what the cache holds, nothing fetched (a server render does not fetch). */
function render(cached: { accommodation?: Accommodation; error?: Error } = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retryOnMount: false } } });
  if (cached.accommodation) client.setQueryData(['admin', 'accommodation', 'c-1'], cached.accommodation);
  if (cached.error) {
    client
      .getQueryCache()
      .build(client, { queryKey: ['admin', 'accommodation', 'c-1'] })
      .setState({ status: 'error', error: cached.error, fetchStatus: 'idle' });
  }
  return renderToStaticMarkup(
    <QueryClientProvider client={client}>
      <MemoryRouter>
        <AccommodationSection userId="c-1" fullName="Casey Candidate" />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe("a candidate's accommodation waits for the value it changes", () => {
  it('cannot be saved while the multiplier in force loads (a default would overwrite it)', () => {
    const loading = render();
    expect(loading).toContain('Loading the accommodation…');
    expect(loading).toMatch(/<button type="submit" disabled="">Save accommodation<\/button>/);
    const loaded = render({ accommodation: SET });
    expect(loaded).toContain('Casey Candidate&#x27;s attempts get 1.5× the time limit.');
    expect(loaded).toMatch(/<button type="submit">Save accommodation<\/button>/);
  });

  it('says so in words when it cannot be loaded, and cannot be saved then', () => {
    const failed = render({ error: new Error('The server did not answer') });
    expect(failed).toContain('role="alert">The server did not answer</div>');
    expect(failed).toMatch(/<button type="submit" disabled="">Save accommodation<\/button>/);
  });
});
