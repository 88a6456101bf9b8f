import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { SigningKeys } from '../../infrastructure/signing/signing-keys';
import { CertificatesRepository, type StoredStatusList } from './certificates.repository';
import { statusListCredential } from './open-badge';

/** The longest a verifier's or proxy's cache keeps a served list (a revocation reaches caches within it). */
export const STATUS_LIST_MAX_CACHE_SECONDS = 60;

export interface SignedStatusList {
  jwt: string;
  validUntil: Date;
}

/**
 * Status list credentials that cannot be replayed as current: each is valid for STATUS_LIST_TTL_SECONDS
 * (validUntil, and the JWT's exp), signed on request and kept until half of that is gone, so a served
 * list always has at least half its validity ahead. A change of a bit stores the bits without a usable
 * signature, so the very next request signs a list that shows it.
 */
@Injectable()
export class StatusListService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly certificates: CertificatesRepository,
    private readonly keys: SigningKeys,
  ) {}

  async signed(listId: number): Promise<SignedStatusList> {
    const stored = await this.certificates.statusList(listId);
    if (!stored) throw new NotFoundException('No such status list');
    const fresh = this.fresh(stored);
    if (fresh) return fresh;
    return this.dataSource.transaction(async (tx) => {
      const locked = await this.certificates.lockStatusList(tx, listId);
      if (!locked) throw new NotFoundException('No such status list');
      const signedMeanwhile = this.fresh(locked);
      if (signedMeanwhile) return signedMeanwhile;
      const from = new Date(Math.floor(Date.now() / 1000) * 1000);
      const until = new Date(from.getTime() + this.config.statusListTtlSeconds * 1000);
      const jwt = await this.keys.signVcJwt(statusListCredential(this.config.publicUrl, listId, locked.bits, { from, until }));
      await this.certificates.saveStatusList(tx, listId, locked.bits, jwt);
      return { jwt, validUntil: until };
    });
  }

  /** Seconds a cache may keep the list: never past its validUntil. */
  maxAge(list: SignedStatusList): number {
    return Math.max(0, Math.min(STATUS_LIST_MAX_CACHE_SECONDS, Math.floor((list.validUntil.getTime() - Date.now()) / 1000)));
  }

  private fresh(list: StoredStatusList): SignedStatusList | null {
    if (!list.jwt || !list.validUntil) return null;
    const left = list.validUntil.getTime() - Date.now();
    const ttl = this.config.statusListTtlSeconds * 1000;
    // A list signed under a longer TTL (the setting was lowered) is signed again too.
    return left > ttl / 2 && left <= ttl + 1000 ? { jwt: list.jwt, validUntil: list.validUntil } : null;
  }
}
