import { SaveRateLimiter } from './save-rate-limiter';

describe('SaveRateLimiter', () => {
  it('allows saves up to the limit per window, then asks the client to wait', () => {
    const limiter = new SaveRateLimiter(3, 10_000);
    expect([0, 1, 2].map((i) => limiter.take('a', 1_000 + i))).toEqual([0, 0, 0]);
    expect(limiter.take('a', 1_500)).toBe(10);
    expect(limiter.take('b', 1_500)).toBe(0);
    expect(limiter.take('a', 11_001)).toBe(0);
  });
});
