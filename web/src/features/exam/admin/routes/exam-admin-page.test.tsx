import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { MemoryRouter } from 'react-router';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { browserWindowShim } from '../../../../test-support/memory-storage';
import type { ExamSettings } from '../api/exam-admin';
import type * as PageModule from './exam-admin-page';

let ExamAdminPage: typeof PageModule.ExamAdminPage;
beforeAll(async () => {
  // The page's hooks import the API client, which reads the window's origin when loaded.
  vi.stubGlobal('window', browserWindowShim());
  ({ ExamAdminPage } = await import('./exam-admin-page'));
});

const SETTINGS: ExamSettings = {
  timeLimitSeconds: 1800,
  retakeCooldownSeconds: 604800,
  passMarkPercent: 70,
  pretestCount: 2,
  passMarkSource: 'blueprint',
  windowId: 'w-1',
  revision: '4',
};
const CANDIDATE = { id: 'c-1', fullName: 'Casey Candidate', email: 'casey@example.org', roles: ['candidate'] };

/** The page as first drawn: with what the cache holds, nothing fetched (a server render does not fetch). */
function render(cached: { settings?: ExamSettings; candidates?: unknown[]; candidatesError?: Error } = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retryOnMount: false } } });
  if (cached.settings) client.setQueryData(['admin', 'exam', 'settings'], cached.settings);
  if (cached.candidates) client.setQueryData(['admin', 'users', 'candidate'], cached.candidates);
  if (cached.candidatesError) {
    client
      .getQueryCache()
      .build(client, { queryKey: ['admin', 'users', 'candidate'] })
      .setState({ status: 'error', error: cached.candidatesError, fetchStatus: 'idle' });
  }
  return renderToStaticMarkup(
    <QueryClientProvider client={client}>
      <MemoryRouter>
        <ExamAdminPage />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('exam settings and accommodations wait for the data they edit', () => {
  it('cannot save the settings while they load (the fields would be empty, with no revision to save from)', () => {
    const html = render();
    expect(html).toContain('Loading the settings…');
    expect(html).toMatch(/<button type="submit" disabled="">Save settings<\/button>/);
    expect(render({ settings: SETTINGS })).toMatch(/<button type="submit">Save settings<\/button>/);
  });

  it('shows the candidate select only with its candidates, and cannot save an accommodation before', () => {
    const loading = render();
    expect(loading).toContain('Loading candidates…');
    expect(loading).not.toContain('id="acc-user"');
    expect(loading).toMatch(/<button type="submit" disabled="">Save accommodation<\/button>/);

    const loaded = render({ candidates: [CANDIDATE] });
    expect(loaded).toContain('<option value="c-1">Casey Candidate (casey@example.org)</option>');
    expect(loaded).toMatch(/<button type="submit">Save accommodation<\/button>/);
  });

  it('says so in words when the candidates cannot be loaded, and when there are none', () => {
    const failed = render({ candidatesError: new Error('The server did not answer') });
    expect(failed).toContain('role="alert">The server did not answer</div>');
    expect(failed).toMatch(/<button type="submit" disabled="">Save accommodation<\/button>/);
    const none = render({ candidates: [] });
    expect(none).toContain('No account is a candidate yet.');
    expect(none).toMatch(/<button type="submit" disabled="">Save accommodation<\/button>/);
  });
});
