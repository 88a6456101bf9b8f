import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import { usersReader } from '../users/users.reader';
import { OPEN_ASSIGNMENT_STATES } from './assignment-lifecycle';
import type { ReviewerCandidate } from './reviewer-selection';

export interface AwayPeriod {
  from: string;
  to: string;
}

export interface ReviewerProfile {
  organisation: string;
  expertise: string[];
  maxConcurrent: number;
  away: AwayPeriod[];
}

export interface ReviewerContact {
  email: string;
  fullName: string;
}

interface ReviewerPoolRow {
  id: string;
  emailDomain: string;
  organisation: string;
  expertise: string[];
  maxConcurrent: number;
  away: AwayPeriod[];
  load: number;
}

/** Reviewers and admins as the review workflow needs them: profiles, the pool to pick from, whom to mail. */
@Injectable()
export class ReviewersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(tx?: EntityManager) {
    return typed(tx ?? this.dataSource);
  }

  async saveProfile(userId: string, p: ReviewerProfile): Promise<void> {
    const values = { organisation: p.organisation, expertise: p.expertise, maxConcurrent: p.maxConcurrent, away: JSON.stringify(p.away) };
    await this.db()
      .insertInto('reviewerProfiles')
      .values({ userId, ...values })
      .onConflict((oc) => oc.column('userId').doUpdateSet({ ...values, updatedAt: sql<Date>`now()` }))
      .execute();
  }

  async profile(userId: string): Promise<ReviewerProfile | null> {
    const row = await this.db()
      .selectFrom('reviewerProfiles')
      .select(['organisation', 'expertise', 'maxConcurrent', 'away'])
      .where('userId', '=', userId)
      .executeTakeFirst();
    return row ? { ...row, away: row.away as unknown as AwayPeriod[] } : null;
  }

  /** True while the person may take on reviews: the reviewer role held, the account not deactivated. */
  async isActiveReviewer(tx: EntityManager, userId: string): Promise<boolean> {
    const row = await this.db(tx)
      .selectFrom(usersReader.people(this.db(tx)).as('u'))
      .select('u.id')
      .where('u.id', '=', userId)
      .where(sql<boolean>`'reviewer' = ANY(u.roles)`)
      .where('u.deactivatedAt', 'is', null)
      .executeTakeFirst();
    return Boolean(row);
  }

  /** Every active (not deactivated) user with the reviewer role, with their profile (defaults when none) and open load. */
  async reviewerPool(tx: EntityManager): Promise<ReviewerCandidate[]> {
    const { rows } = await sql<ReviewerPoolRow>`
      SELECT u.id, split_part(u.email, '@', 2) AS email_domain,
             coalesce(p.organisation, '') AS organisation, coalesce(p.expertise, ARRAY[]::text[]) AS expertise,
             coalesce(p.max_concurrent, 3) AS max_concurrent, coalesce(p.away, '[]'::jsonb) AS away,
             (SELECT count(*)::int FROM review_assignments a WHERE a.reviewer_id = u.id AND a.status = ANY(${[...OPEN_ASSIGNMENT_STATES]}::text[])) AS load
      FROM ${usersReader.people(this.db(tx))} u LEFT JOIN reviewer_profiles p ON p.user_id = u.id
      WHERE 'reviewer' = ANY(u.roles) AND u.deactivated_at IS NULL`.execute(this.db(tx));
    return rows.map((r) => ({
      id: r.id,
      organisation: r.organisation,
      emailDomain: r.emailDomain,
      expertise: r.expertise,
      maxConcurrent: r.maxConcurrent,
      load: r.load,
      away: r.away,
    }));
  }

  async adminEmails(): Promise<string[]> {
    const rows = await this.db()
      .selectFrom(usersReader.people(this.db()).as('u'))
      .select('u.email')
      .where((eb) => eb(eb.val('admin'), '=', eb.fn.any('u.roles')))
      .orderBy('u.email')
      .execute();
    return rows.map((r) => r.email);
  }

  async reviewerEmail(id: string): Promise<ReviewerContact | null> {
    return (
      (await this.db()
        .selectFrom(usersReader.people(this.db()).as('u'))
        .select(['u.email', 'u.fullName'])
        .where('u.id', '=', id)
        .executeTakeFirst()) ?? null
    );
  }
}
