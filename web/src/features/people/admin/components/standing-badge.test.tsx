import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { StandingBadge } from './standing-badge';

describe('StandingBadge', () => {
  it('says the standing in words, deactivation first', () => {
    const html = (deactivatedAt: string | null, passwordResetRequired: boolean) =>
      renderToStaticMarkup(<StandingBadge person={{ deactivatedAt, passwordResetRequired }} />);
    expect(html(null, false)).toContain('>Active<');
    expect(html(null, true)).toContain('>Password reset required<');
    expect(html('2026-12-01T00:00:00Z', true)).toContain('>Deactivated<');
  });
});
