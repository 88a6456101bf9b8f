import type { RedisOptions } from 'ioredis';

/** ioredis options from a redis:// URL; callers add what their role needs (BullMQ workers need maxRetriesPerRequest: null). */
export function redisOptions(redisUrl: string, extra: RedisOptions = {}): RedisOptions {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username || undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : undefined,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    // Reconnect forever with a capped delay: losing Redis delays jobs, it never stops the process.
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    ...extra,
  };
}
