import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { MemoryRouter } from 'react-router';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { browserWindowShim } from '../../../../test-support/memory-storage';
import type * as PageModule from './admin-panels-page';

let AdminPanelsPage: typeof PageModule.AdminPanelsPage;
beforeAll(async () => {
  // The page's hooks import the API client, which reads the window's origin when loaded.
  vi.stubGlobal('window', browserWindowShim());
  ({ AdminPanelsPage } = await import('./admin-panels-page'));
});

const KEY = ['admin-panels', 'settings'];

function render(settings?: { error: Error }) {
  const client = new QueryClient({ defaultOptions: { queries: { retryOnMount: false } } });
  if (settings)
    client.getQueryCache().build(client, { queryKey: KEY }).setState({ status: 'error', error: settings.error, fetchStatus: 'idle' });
  return renderToStaticMarkup(
    <QueryClientProvider client={client}>
      <MemoryRouter>
        <AdminPanelsPage />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('the panel settings form', () => {
  it('says it is loading, or why it cannot be shown, instead of leaving the section empty', () => {
    expect(render()).toContain('<h2>Settings</h2><p role="status">Loading the settings…</p>');
    expect(render({ error: new Error('The settings could not be loaded') })).toContain(
      '<h2>Settings</h2><div class="alert alert-error" role="alert">The settings could not be loaded</div>',
    );
  });
});
