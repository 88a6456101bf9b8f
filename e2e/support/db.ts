import { Client } from 'pg';
import { readState } from './platform';

/** A direct connection to the platform's database, for set-up the browser journey does not cover. */
export async function connectDb(): Promise<Client> {
  const db = new Client({ connectionString: readState().databaseUrl });
  await db.connect();
  return db;
}

/** Records a passed AIDA attempt (the prerequisite of CPAP/CPAA portfolios). */
export async function recordAidaPass(db: Client, userId: string): Promise<void> {
  await db.query(
    `INSERT INTO attempts (user_id, exam_code, status, time_limit_seconds, deadline, pass_mark_percent, submitted_at, correct, total, score_percent, passed)
     VALUES ($1, 'AIDA', 'submitted', 1800, now(), 70, now(), 20, 20, 100, true)`,
    [userId],
  );
}

export async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, what: string, tries = 80): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}
