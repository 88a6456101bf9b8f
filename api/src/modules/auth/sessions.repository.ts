import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import type { AuthUser } from '../../common/auth/auth-user';
import type { Role } from '../users/entities/user.entity';
import { usersReader } from '../users/users.reader';
import { RefreshToken } from './entities/refresh-token.entity';

@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The person behind an access token, provided their session family has not been revoked (one statement per request). */
  async liveSessionUser(userId: string, familyId: string): Promise<Omit<AuthUser, 'sessionFamilyId'> | null> {
    const row = await typed(this.dataSource)
      .selectFrom(usersReader.people(typed(this.dataSource)).as('u'))
      .select(['u.id', 'u.email', 'u.fullName', 'u.roles', 'u.totpEnabled', 'u.emailVerified'])
      .where('u.id', '=', userId)
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('refreshTokens as t')
            .select('t.id')
            .where('t.familyId', '=', familyId)
            .whereRef('t.userId', '=', 'u.id')
            .where('t.revokedAt', 'is', null),
        ),
      )
      .executeTakeFirst();
    return row ? { ...row, roles: row.roles as Role[] } : null;
  }

  async insertToken(manager: EntityManager, token: Pick<RefreshToken, 'userId' | 'familyId' | 'tokenHash' | 'expiresAt'>): Promise<void> {
    await manager.getRepository(RefreshToken).insert(token);
  }

  /** Locks the row so that two refreshes of the same token are decided one after the other. */
  findByHashForUpdate(manager: EntityManager, tokenHash: string): Promise<RefreshToken | null> {
    return manager
      .getRepository(RefreshToken)
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .where('t.tokenHash = :tokenHash', { tokenHash })
      .getOne();
  }

  async markRotated(manager: EntityManager, id: string): Promise<void> {
    await typed(manager)
      .updateTable('refreshTokens')
      .set({ rotatedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .execute();
  }

  async revokeFamily(manager: EntityManager, familyId: string): Promise<void> {
    await typed(manager)
      .updateTable('refreshTokens')
      .set({ revokedAt: sql<Date>`now()` })
      .where('familyId', '=', familyId)
      .where('revokedAt', 'is', null)
      .execute();
  }
}
