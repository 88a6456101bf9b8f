import { rmSync } from 'node:fs';
import Redis from 'ioredis';
import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const name = process.env.PSF_TEST_DATABASE;
  if (!name) return;
  const admin = new Client({ connectionString: process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
  rmSync(`/tmp/${name}`, { recursive: true, force: true });

  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const keys = await redis.keys(`${process.env.REDIS_PREFIX}:*`);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
  } catch {
    // Redis gone: nothing to clean.
  } finally {
    redis.disconnect();
  }
}
