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
    // A database host that drops packets fails a connection attempt in 5 s (answered 503) instead of hanging the request.
    extra: { max: poolSize, connectionTimeoutMillis: 5_000 },
  };
}
