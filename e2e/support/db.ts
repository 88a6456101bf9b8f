import { Client } from 'pg';
import { readState } from './platform';

/** A direct connection to the platform's database, for set-up the browser journey does not cover. */
export async function connectDb(): Promise<Client> {
  const db = new Client({ connectionString: readState().databaseUrl });
  await db.connect();
  return db;
}

export async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, what: string, tries = 80): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The key's option id for a question of an attempt, read from the database (the browser never has it). */
export async function keyOf(db: Client, questionId: string): Promise<string> {
  const { rows } = await db.query(
    `SELECT q.options, v.content->'options' AS vo FROM attempt_questions q JOIN item_versions v ON v.id = q.item_version_id WHERE q.id = $1`,
    [questionId],
  );
  const key = rows[0].vo.find((o: { key: boolean }) => o.key).id;
  return rows[0].options.find((o: { source: string }) => o.source === key).id;
}

/**
 * Passes AIDA through the real exam API, as a candidate who knows every answer would: start, answer each question,
 * submit.
 */
export async function passAidaThroughApi(db: Client, token: string): Promise<void> {
  const { apiCall } = await import('./api');
  const attempt = await apiCall<{ id: string; questions: Array<{ id: string }> }>('POST', '/api/exams/aida/attempts', token);
  let seq = Date.now();
  for (const q of attempt.questions) {
    const optionId = await keyOf(db, q.id);
    await apiCall('PUT', `/api/exams/aida/attempts/${attempt.id}/answers/${q.id}`, token, { optionId, flagged: false, clientSeq: ++seq });
  }
  await apiCall('POST', `/api/exams/aida/attempts/${attempt.id}/submit`, token);
}
