import { ConfigError, loadConfig } from './app-config';

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/psf',
  JWT_SECRET: 'x'.repeat(32),
};

describe('loadConfig', () => {
  it('applies the documented defaults to a minimal environment', () => {
    const config = loadConfig(valid);
    expect(config.port).toBe(3000);
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.loginThrottle.maxFailuresPerAccount).toBe(5);
    expect(config.publicUrl).toBe('http://localhost:3000');
  });

  it('names every missing required variable', () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
    try {
      loadConfig({});
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('DATABASE_URL is required');
      expect(message).toContain('JWT_SECRET is required');
    }
  });

  it('names the variable whose value is malformed', () => {
    expect(() => loadConfig({ ...valid, PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ ...valid, REDIS_URL: 'http://x' })).toThrow(/REDIS_URL: must be a redis:\/\/ URL/);
    expect(() => loadConfig({ ...valid, JWT_SECRET: 'short' })).toThrow(/JWT_SECRET: must be at least 32/);
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig({ ...valid, PORT: '' }).port).toBe(3000);
    // docker-compose passes an unset METRICS_TOKEN through as an empty string: metrics stay off, the API still starts.
    expect(loadConfig({ ...valid, METRICS_TOKEN: '' }).metricsToken).toBeUndefined();
  });
});
