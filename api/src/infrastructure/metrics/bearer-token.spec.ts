import { bearerTokenMatches } from './bearer-token';

describe('the metrics bearer token', () => {
  const token = 'scrape-token-0123456789';

  it('accepts exactly "Bearer <token>", the scheme in any case', () => {
    expect(bearerTokenMatches(`Bearer ${token}`, token)).toBe(true);
    expect(bearerTokenMatches(`bearer ${token}`, token)).toBe(true);
  });

  it('refuses a missing, empty, other-scheme, longer, shorter or wrong token', () => {
    for (const header of [
      undefined,
      '',
      'Bearer',
      'Bearer ',
      `Basic ${token}`,
      `Bearer ${token}x`,
      `Bearer ${token.slice(1)}`,
      'Bearer x',
      token,
    ]) {
      expect(bearerTokenMatches(header, token)).toBe(false);
    }
  });
});
