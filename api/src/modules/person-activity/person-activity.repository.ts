import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import { certificatesReader } from '../certificates/certificates.reader';
import { examsReader } from '../exams/exams.reader';
import { portfoliosReader } from '../portfolios/portfolios.reader';
import type { Role } from '../users/entities/user.entity';
import { usersReader } from '../users/users.reader';

/**
 * What an administrator's page about one person lists of their activity, read through each owning module's
 * reader (architecture invariant 13): this module owns no table.
 */
@Injectable()
export class PersonActivityRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db() {
    return typed(this.dataSource);
  }

  /** The person's roles; null when there is no such person. */
  async roles(userId: string): Promise<Role[] | null> {
    const db = this.db();
    const row = await db.selectFrom(usersReader.people(db).as('u')).select('u.roles').where('u.id', '=', userId).executeTakeFirst();
    return row ? (row.roles as Role[]) : null;
  }

  /** Every AIDA attempt, newest first. */
  async attempts(userId: string) {
    const db = this.db();
    return db
      .selectFrom(examsReader.attempts(db).as('a'))
      .selectAll('a')
      .where('a.userId', '=', userId)
      .orderBy('a.startedAt', 'desc')
      .execute();
  }

  /** Each portfolio with its submitted versions (none for a draft never submitted), newest first. */
  async portfolios(userId: string) {
    const db = this.db();
    return db
      .selectFrom(portfoliosReader.portfolios(db).as('p'))
      .leftJoin(portfoliosReader.submissions(db).as('s'), 's.portfolioId', 'p.id')
      .select(['p.id as portfolioId', 'p.credential', 's.id as submissionId', 's.version', 's.status', 's.submittedAt'])
      .where('p.userId', '=', userId)
      .orderBy('p.credential')
      .orderBy('s.version', 'desc')
      .execute();
  }

  /** Every certificate issued to them, newest first (superseded and revoked ones included). */
  async certificates(userId: string) {
    const db = this.db();
    return db
      .selectFrom(certificatesReader.held(db).as('c'))
      .selectAll('c')
      .where('c.userId', '=', userId)
      .orderBy('c.issuedAt', 'desc')
      .execute();
  }
}
