import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import { RefreshToken } from './entities/refresh-token.entity';

@Injectable()
export class SessionsRepository {
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
