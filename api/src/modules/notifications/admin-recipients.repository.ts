import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import { usersReader } from '../users/users.reader';

export interface AdminRecipient {
  id: string;
  email: string;
  fullName: string;
}

/** Who hears of the platform's own trouble: the administrators whose accounts are active. */
@Injectable()
export class AdminRecipientsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async activeAdmins(): Promise<AdminRecipient[]> {
    const db = typed(this.dataSource);
    return db
      .selectFrom(usersReader.people(db).as('u'))
      .select(['u.id', 'u.email', 'u.fullName'])
      .where((eb) => eb(eb.val('admin'), '=', eb.fn.any('u.roles')))
      .where('u.deactivatedAt', 'is', null)
      .orderBy('u.email')
      .execute();
  }
}
