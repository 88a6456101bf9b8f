import * as path from 'node:path';
import { type DataSourceOptions } from 'typeorm';
import { AuditLogEntry } from '../../modules/audit/entities/audit-log-entry.entity';
import { Notification } from '../../modules/notifications/entities/notification.entity';
import { RefreshToken } from '../../modules/auth/entities/refresh-token.entity';
import { User } from '../../modules/users/entities/user.entity';
import { ItemVersion } from '../../modules/question-bank/entities/item-version.entity';
import { Item } from '../../modules/question-bank/entities/item.entity';
import { OutboxMessage } from '../queue/outbox-message.entity';

export const ENTITIES = [User, RefreshToken, AuditLogEntry, OutboxMessage, Notification, Item, ItemVersion];

// Same relative path from api/src/... (ts-jest) and api/dist/api/src/... (compiled).
export const MIGRATIONS_GLOB = path.join(__dirname, '../../../../migrations/*.{ts,js}');

export function dataSourceOptions(databaseUrl: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    // No connectionTimeoutMillis: pg-pool applies it to waiting for a free pooled client too, so under a burst
    // a request that would have waited its turn gets a 503 (the likely cause of a sign-in answered 503 in CI).
    // The price: a database host that drops packets holds requests until TCP gives up.
    extra: { max: poolSize },
  };
}
