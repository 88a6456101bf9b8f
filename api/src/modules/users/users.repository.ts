import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Role, User } from './entities/user.entity';

@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    return manager.getRepository(User).findOneBy({ id });
  }

  findByEmailWithPasswordHash(email: string): Promise<User | null> {
    return this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email })
      .getOne();
  }

  listNewestFirst(limit: number): Promise<User[]> {
    return this.dataSource.getRepository(User).find({ order: { createdAt: 'DESC' }, take: limit });
  }

  async insert(manager: EntityManager, user: Pick<User, 'email' | 'fullName' | 'passwordHash' | 'roles'>): Promise<User> {
    const saved = await manager.getRepository(User).save(manager.getRepository(User).create(user));
    return saved;
  }

  async updateRoles(manager: EntityManager, userId: string, roles: Role[]): Promise<void> {
    await manager.getRepository(User).update({ id: userId }, { roles });
  }
}
