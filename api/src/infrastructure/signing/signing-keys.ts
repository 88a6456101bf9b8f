import { ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK, type KeyLike, SignJWT } from 'jose';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import { SecretBox } from '../../common/auth/secret-box';
import { forgetSharedResponses } from '../../common/http/shared-response-cache';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { type SigningKeyRow, SigningKeysRepository } from './signing-keys.repository';

export const SIGNING_KEY_BOX_INFO = 'psf signing key v1';

/** Where the JWK Set is published (CertificatesModule's JwksController). */
export const JWKS_PATH = '/.well-known/jwks.json';

/** A key as the earlier releases kept it: one JSON file each under SIGNING_KEYS_DIR. */
interface FileKey {
  kid: string;
  createdAt: string;
  publicJwk: JWK;
  privateJwk: JWK;
}

export interface RetiredKey {
  kid: string;
  wasCurrent: boolean;
  /** The key that signs from now on. */
  currentKid: string;
}

/** The algorithm new keys sign with: ES256 (P-256), one of the two the OB 3.0 validator accepts (RS256, ES256). */
export const SIGNING_ALG = 'ES256';

/** The kid of a JWS header or a published JWK: an absolute URL whose fragment is the key's stored kid (its thumbprint). */
export function storedKid(kid: string): string {
  return kid.includes('#') ? kid.slice(kid.lastIndexOf('#') + 1) : kid;
}

/**
 * Certificate-signing keys (ES256 since contract v1.1; earlier Ed25519 keys stay published), kept in PostgreSQL so every API and worker replica signs with the
 * same current key. Private keys are sealed with SIGNING_KEY_ENCRYPTION_KEY (else a key derived from
 * JWT_SECRET). The current key signs; previous keys stay in the JWK Set, so credentials signed before a
 * rotation keep verifying; a retired (compromised) key leaves the JWK Set and verifies nothing.
 * Creating, rotating and retiring take one advisory lock, so replicas booting together agree on one key.
 */
@Injectable()
export class SigningKeys {
  private readonly logger = new Logger(SigningKeys.name);
  private readonly box: SecretBox;
  /** Opened private keys by kid (a kid names one key forever). */
  private readonly opened = new Map<string, KeyLike>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: SigningKeysRepository,
  ) {
    this.box = new SecretBox(config.signingKeyEncryptionKey ?? config.jwtSecret, SIGNING_KEY_BOX_INFO);
  }

  /** The current key, created on first use (importing SIGNING_KEYS_DIR's files on the first boot of this store). */
  async ensureKey(): Promise<SigningKeyRow> {
    const current = await this.keys.current();
    if (current?.alg === SIGNING_ALG) return current;
    await this.dataSource.transaction(async (tx) => {
      await this.keys.lock(tx);
      if ((await this.keys.current(tx))?.alg === SIGNING_ALG) return; // another replica did it while we waited for the lock
      if ((await this.keys.count(tx)) === 0) await this.importFileKeys(tx);
      const found = await this.keys.current(tx);
      if (found?.alg === SIGNING_ALG) return;
      // No key yet, or an Ed25519 key of contract v1.0: an ES256 key signs from now on, the old one stays
      // published (credentials it signed are signed again by the certificates.legacy-signatures reconciler).
      if (found) await this.keys.demoteCurrent(tx);
      await this.addKey(tx);
      if (found) this.logger.log(`signing with a new ${SIGNING_ALG} key; the ${found.alg} key ${found.kid} stays in the JWK Set`);
    });
    forgetSharedResponses(JWKS_PATH);
    return (await this.keys.current())!;
  }

  /** Adds a new key that signs from now on (the current one stays published); returns its kid. */
  async rotate(): Promise<string> {
    const kid = await this.dataSource.transaction(async (tx) => {
      await this.keys.lock(tx);
      if ((await this.keys.count(tx)) === 0) await this.importFileKeys(tx);
      await this.keys.demoteCurrent(tx);
      return this.addKey(tx);
    });
    forgetSharedResponses(JWKS_PATH);
    return kid;
  }

  /**
   * Withdraws a key (in the caller's transaction): it leaves the JWK Set, so nothing it signed verifies
   * any more; when it was the current key, a new one signs from now on.
   */
  async retire(tx: EntityManager, kid: string): Promise<RetiredKey> {
    await this.keys.lock(tx);
    const key = await this.keys.find(tx, kid);
    if (!key) throw new NotFoundException(`No signing key has the kid ${kid}`);
    if (key.status === 'retired') throw new ConflictException(`The signing key ${kid} is already retired`);
    await this.keys.markRetired(tx, kid);
    const wasCurrent = key.status === 'current';
    const currentKid = wasCurrent ? await this.addKey(tx) : (await this.keys.current(tx))!.kid;
    forgetSharedResponses(JWKS_PATH); // before the caller's commit: a copy read meanwhile lives SHARED_CACHE_SECONDS at most
    return { kid, wasCurrent, currentKid };
  }

  async isRetired(kid: string): Promise<boolean> {
    return (await this.keys.status(kid)) === 'retired';
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    await this.ensureKey();
    return { keys: (await this.keys.published()).map((k) => k.publicJwk) };
  }

  /**
   * Signs `payload` as a VC-JWT in OB 3.0's JSON Web Token Proof Format (contract v1.1) with the current key,
   * read at every signature so that a rotation or retirement on any replica applies at once. Header: alg
   * ES256, typ JWT, kid the absolute URL of the key in the JWK Set. The registered claims mirror the
   * credential: iss = issuer.id (or issuer), jti = id, sub = credentialSubject.id, nbf/exp =
   * validFrom/validUntil (in whole seconds), iat.
   */
  async signVcJwt(payload: Record<string, unknown>): Promise<string> {
    const current = await this.ensureKey();
    const jwt = new SignJWT(payload)
      .setProtectedHeader({ alg: current.alg, typ: 'JWT', kid: current.publicJwk.kid ?? current.kid })
      .setIssuedAt();
    const issuer = typeof payload.issuer === 'string' ? payload.issuer : (payload.issuer as { id?: unknown } | undefined)?.id;
    if (typeof issuer === 'string') jwt.setIssuer(issuer);
    if (typeof payload.id === 'string') jwt.setJti(payload.id);
    const subject = (payload.credentialSubject as { id?: unknown } | undefined)?.id;
    if (typeof subject === 'string') jwt.setSubject(subject);
    if (typeof payload.validFrom === 'string') jwt.setNotBefore(Math.floor(Date.parse(payload.validFrom) / 1000));
    if (typeof payload.validUntil === 'string') jwt.setExpirationTime(Math.floor(Date.parse(payload.validUntil) / 1000));
    return jwt.sign(await this.privateKey(current));
  }

  private async privateKey(key: SigningKeyRow): Promise<KeyLike> {
    let opened = this.opened.get(key.kid);
    if (!opened) {
      const jwk = JSON.parse(this.box.open(key.privateKeySealed, key.kid)) as JWK;
      opened = (await importJWK(jwk, key.alg)) as KeyLike;
      this.opened.set(key.kid, opened);
    }
    return opened;
  }

  private async addKey(tx: EntityManager): Promise<string> {
    const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    await this.keys.insert(tx, {
      kid,
      alg: SIGNING_ALG,
      // Published under an absolute kid that dereferences to it (OB 3.0), fixed when the key is made so the
      // credentials it signs keep matching their key if PUBLIC_URL changes later.
      publicJwk: { ...publicJwk, kid: `${this.config.publicUrl}${JWKS_PATH}#${kid}`, alg: SIGNING_ALG, use: 'sig' },
      privateKeySealed: this.box.seal(JSON.stringify(await exportJWK(privateKey)), kid),
      status: 'current',
    });
    return kid;
  }

  /** Keys of the file store (SIGNING_KEYS_DIR), so credentials they signed keep verifying; the newest stays current. */
  private async importFileKeys(tx: EntityManager): Promise<void> {
    const dir = this.config.signingKeysDir;
    if (!existsSync(dir)) return;
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as FileKey)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.kid.localeCompare(b.kid));
    for (const [i, key] of files.entries()) {
      await this.keys.insert(tx, {
        kid: key.kid,
        alg: key.publicJwk.alg ?? 'EdDSA',
        publicJwk: key.publicJwk,
        privateKeySealed: this.box.seal(JSON.stringify(key.privateJwk), key.kid),
        status: i === files.length - 1 ? 'current' : 'previous',
        createdAt: new Date(key.createdAt),
      });
    }
    if (files.length) this.logger.log(`imported ${files.length} signing key(s) from ${dir} into the database`);
  }
}
