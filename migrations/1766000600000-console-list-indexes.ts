import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The consoles' lists (issue #18) page, sort and search on the server and must answer within 100 ms
 * at p95 with 100,000 accounts and 100,000 attempts (`npm run bench:lists`). Each sort a list offers
 * gets an index that reads it in order, ties broken by id as the queries do; a search for part of a
 * name or an address (ILIKE '%…%') uses trigram indexes, from pg_trgm (a trusted extension the
 * database owner may create; PostgreSQL ships it in contrib). Submission times and scores are stored
 * DESC NULLS LAST, the order the list uses high to low (read backwards: ASC NULLS FIRST, low to high).
 */
export class ConsoleListIndexes1766000600000 implements MigrationInterface {
  name = 'ConsoleListIndexes1766000600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE INDEX users_created_at_idx ON users (created_at, id)`);
    await q.query(`CREATE INDEX users_full_name_idx ON users (full_name, id)`);
    await q.query(`CREATE INDEX users_full_name_trgm_idx ON users USING gin (full_name gin_trgm_ops)`);
    await q.query(`CREATE INDEX users_email_trgm_idx ON users USING gin (email gin_trgm_ops)`);
    await q.query(`CREATE INDEX attempts_started_at_idx ON attempts (exam_code, started_at, id)`);
    await q.query(`CREATE INDEX attempts_submitted_at_idx ON attempts (exam_code, submitted_at DESC NULLS LAST, id DESC)`);
    await q.query(`CREATE INDEX attempts_score_idx ON attempts (exam_code, score_percent DESC NULLS LAST, id DESC)`);
    await q.query(`CREATE INDEX certificates_issued_at_idx ON certificates (issued_at, id)`);
    await q.query(`CREATE INDEX certificates_holder_name_trgm_idx ON certificates USING gin (holder_name gin_trgm_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of [
      'certificates_holder_name_trgm_idx',
      'certificates_issued_at_idx',
      'attempts_score_idx',
      'attempts_submitted_at_idx',
      'attempts_started_at_idx',
      'users_email_trgm_idx',
      'users_full_name_trgm_idx',
      'users_full_name_idx',
      'users_created_at_idx',
    ])
      await q.query(`DROP INDEX ${index}`);
    // pg_trgm stays: other objects may have come to use it.
  }
}
