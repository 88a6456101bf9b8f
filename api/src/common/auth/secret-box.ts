import { Inject, Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../../infrastructure/config/app-config';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Authenticated encryption (AES-256-GCM) of small secrets kept in the database, such as TOTP seeds:
 * a copy of the database alone does not give away anyone's second factor. The key is derived with
 * HKDF-SHA256 from a configured root secret, so the same root can serve other purposes under other
 * `info` labels. A sealed value is `v1.<iv>.<ciphertext>.<tag>` (base64url); the optional context
 * (e.g. the owner's user id) is bound as additional data, so a value copied to another row fails to open.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(rootSecret: string, info: string) {
    if (rootSecret.length < 32) throw new Error('the root secret must be at least 32 characters');
    this.key = Buffer.from(hkdfSync('sha256', Buffer.from(rootSecret, 'utf8'), Buffer.alloc(0), Buffer.from(info, 'utf8'), 32));
  }

  seal(plaintext: string, context = ''): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, ciphertext, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  /** Throws when the value was altered, sealed under another key or context, or is not a sealed value at all. */
  open(sealed: string, context = ''): string {
    const [version, iv, ciphertext, tag, ...rest] = sealed.split('.');
    if (version !== VERSION || rest.length || !iv || ciphertext === undefined || !tag) throw new Error('not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    const tagBytes = Buffer.from(tag, 'base64url');
    if (tagBytes.length !== TAG_BYTES) throw new Error('not a sealed value');
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }
}

export const TOTP_SECRET_BOX_INFO = 'psf totp secret v1';

/**
 * The box TOTP secrets are sealed in (context: the owner's user id). Its root is TOTP_ENCRYPTION_KEY,
 * else JWT_SECRET: with the fallback, changing JWT_SECRET makes every enrolled secret unreadable.
 */
@Injectable()
export class TotpSecretBox extends SecretBox {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super(config.totpEncryptionKey ?? config.jwtSecret, TOTP_SECRET_BOX_INFO);
  }
}
