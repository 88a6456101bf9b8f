import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../infrastructure/config/app-config';
import { AUDIT_CHAIN_KEY_INFO, AUDIT_CHECKPOINT_KEY_INFO, deriveAuditKey } from './audit-chain';

/**
 * The audit keys, derived (HKDF) from AUDIT_HMAC_KEY, else JWT_SECRET, under one label per purpose:
 * the chain's HMAC and the checkpoints' MAC. Neither is ever stored in the database. With the
 * fallback, changing JWT_SECRET makes every keyed row fail verification: set AUDIT_HMAC_KEY in production.
 */
@Injectable()
export class AuditKeys {
  readonly chain: Buffer;
  readonly checkpoint: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const root = config.audit.hmacKey ?? config.jwtSecret;
    this.chain = deriveAuditKey(root, AUDIT_CHAIN_KEY_INFO);
    this.checkpoint = deriveAuditKey(root, AUDIT_CHECKPOINT_KEY_INFO);
  }
}
