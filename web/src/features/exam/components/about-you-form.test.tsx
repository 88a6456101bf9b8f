import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { browserWindowShim } from '../../../test-support/memory-storage';
import type * as AboutYouModule from './about-you-form';

let AboutYouForm: typeof AboutYouModule.AboutYouForm;
beforeAll(async () => {
  // The form's hooks import the API client, which reads the window's origin when loaded.
  vi.stubGlobal('window', browserWindowShim());
  ({ AboutYouForm } = await import('./about-you-form'));
});

const KEY = ['me', 'attributes'];

function render(mine?: { data?: unknown; error?: Error }) {
  const client = new QueryClient({ defaultOptions: { queries: { retryOnMount: false } } });
  if (mine?.data) client.setQueryData(KEY, mine.data);
  if (mine?.error)
    client.getQueryCache().build(client, { queryKey: KEY }).setState({ status: 'error', error: mine.error, fetchStatus: 'idle' });
  return renderToStaticMarkup(
    <QueryClientProvider client={client}>
      <AboutYouForm />
    </QueryClientProvider>,
  );
}

const SAVE = /<button type="submit" class="button-secondary"( disabled="")?>Save my answers<\/button>/;

describe('the optional "about you" answers', () => {
  it('cannot be saved while the saved answers are unknown: its "Prefer not to say" defaults would withdraw them', () => {
    expect(render().match(SAVE)?.[1]).toBe(' disabled=""');
    const failed = render({ error: new Error('Your answers could not be loaded') });
    expect(failed).toContain('role="alert">Your answers could not be loaded</div>');
    expect(failed.match(SAVE)?.[1]).toBe(' disabled=""');
    expect(render({ data: { firstLanguage: 'other', experience: null } }).match(SAVE)?.[1]).toBeUndefined();
  });
});
