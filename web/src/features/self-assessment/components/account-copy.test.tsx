import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { MemoryRouter } from 'react-router';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { User } from '../../../lib/auth/session';
import { browserWindowShim } from '../../../test-support/memory-storage';
import type * as AccountCopyModule from './account-copy';

let AccountCopy: typeof AccountCopyModule.AccountCopy;
beforeAll(async () => {
  // The save hook imports the API client, which reads the window's origin when loaded.
  vi.stubGlobal('window', browserWindowShim());
  ({ AccountCopy } = await import('./account-copy'));
});

const USER = { id: 'u-1', fullName: 'Casey Candidate', roles: ['candidate'] } as unknown as User;

const render = (accountCopy: { isPending: boolean; error: Error | null }) =>
  renderToStaticMarkup(
    <QueryClientProvider client={new QueryClient()}>
      <MemoryRouter>
        <AccountCopy user={USER} canSave ratings={{ 'D01.1': 2 }} accountCopy={accountCopy} onSaved={() => undefined} />
      </MemoryRouter>
    </QueryClientProvider>,
  );

describe('saving the self-assessment to the account', () => {
  it('waits for the account’s copy: saved before it is weighed against this browser’s, older answers could replace newer', () => {
    const loading = render({ isPending: true, error: null });
    expect(loading).toContain('Loading the answers saved to your account…');
    expect(loading).toMatch(/<button type="button" disabled="">Save to my account<\/button>/);

    const failed = render({ isPending: false, error: new Error('The saved answers could not be loaded') });
    expect(failed).toContain('role="alert">The saved answers could not be loaded</div>');
    expect(failed).toMatch(/<button type="button" disabled="">Save to my account<\/button>/);

    const known = render({ isPending: false, error: null });
    expect(known).not.toContain('Loading the answers');
    expect(known).toMatch(/<button type="button">Save to my account<\/button>/);
  });
});
