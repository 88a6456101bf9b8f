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

/** The page as first drawn: with what the cache holds, nothing fetched (a server render does not fetch). */
function render(cached: { settings?: ExamSettings } = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retryOnMount: false } } });
  if (cached.settings) client.setQueryData(['admin', 'exam', 'settings'], cached.settings);
  return renderToStaticMarkup(
    <QueryClientProvider client={client}>
      <MemoryRouter>
        <ExamAdminPage />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('exam settings wait for the data they edit', () => {
  it('cannot save the settings while they load (the fields would be empty, with no revision to save from)', () => {
    const html = render();
    expect(html).toContain('Loading the settings…');
    expect(html).toMatch(/<button type="submit" disabled="">Save settings<\/button>/);
    expect(render({ settings: SETTINGS })).toMatch(/<button type="submit">Save settings<\/button>/);
  });

  it("points to People for accommodations, which are set on the candidate's page", () => {
    expect(render({ settings: SETTINGS })).toContain('<a href="/admin/people?role=candidate" data-discover="true">People</a>');
  });
});
