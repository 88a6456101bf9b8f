import { Inject, Injectable } from '@nestjs/common';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, JWK, KeyLike, SignJWT } from 'jose';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { APP_CONFIG, AppConfig } from '../config/app-config';

interface StoredKey {
  kid: string;
  createdAt: string;
  publicJwk: JWK;
  privateJwk: JWK;
}

/**
 * Ed25519 signing keys, one JSON file each under the keys folder. The newest signs; every key
 * stays published in the JWK Set, so credentials signed before a rotation keep verifying.
 */
@Injectable()
export class SigningKeys {
  private readonly dir: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.dir = config.signingKeysDir;
  }

  private read(): StoredKey[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(path.join(this.dir, f), 'utf8')) as StoredKey)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.kid.localeCompare(b.kid));
  }

  /** Creates the first key when there is none; safe when several processes start at once. */
  async ensureKey(): Promise<void> {
    if (this.read().length) return;
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const lock = path.join(this.dir, '.generating');
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
    } catch {
      for (let i = 0; i < 100 && !this.read().length; i++) await new Promise((r) => setTimeout(r, 100));
      if (this.read().length) return;
      throw new Error(`signing key generation seems stuck: remove ${lock}`);
    }
    try {
      if (!this.read().length) await this.rotate();
    } finally {
      rmSync(lock, { force: true });
    }
  }

  /** Adds a new key that signs from now on; returns its kid. */
  async rotate(): Promise<string> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const createdAt = new Date().toISOString();
    const key: StoredKey = {
      kid,
      createdAt,
      publicJwk: { ...publicJwk, kid, alg: 'EdDSA', use: 'sig' },
      privateJwk: await exportJWK(privateKey),
    };
    writeFileSync(path.join(this.dir, `${createdAt.replace(/[:.]/g, '-')}-${kid}.json`), JSON.stringify(key, null, 2), {
      mode: 0o600,
      flag: 'wx',
    });
    return kid;
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    await this.ensureKey();
    return { keys: this.read().map((k) => k.publicJwk) };
  }

  /** Signs `payload` as a VC-JWT (JWS, alg EdDSA, typ vc+jwt) with the current key. */
  async signVcJwt(payload: Record<string, unknown>): Promise<string> {
    await this.ensureKey();
    const keys = this.read();
    const current = keys[keys.length - 1];
    const key = (await importJWK(current.privateJwk, 'EdDSA')) as KeyLike;
    return new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', kid: current.kid }).setIssuedAt().sign(key);
  }
}
