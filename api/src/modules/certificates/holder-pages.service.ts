import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { AuditService } from '../audit/audit.service';
import { CertificatesRepository } from './certificates.repository';
import { CertificatesService } from './certificates.service';
import { HolderPageSettingDto, PublicHolderDto } from './dto/holder-page.dto';
import { type HolderPage, HolderPagesRepository } from './holder-pages.repository';

/** 128 random bits, base64url: 22 characters nobody can guess or enumerate (the migration checks the shape). */
const SLUG_SHAPE = /^[A-Za-z0-9_-]{22}$/;
const newSlug = () => randomBytes(16).toString('base64url');

const NOT_FOUND = 'No public holder page has this address';

export const holderPagePath = (slug: string) => `/holders/${slug}`;

/**
 * A holder's opt-in public page listing their valid certificates. Off by default; turning it off makes the
 * address answer 404 at once, and turning it on again gives a new address, so a link shared before stays dead.
 */
@Injectable()
export class HolderPagesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly pages: HolderPagesRepository,
    private readonly certificates: CertificatesRepository,
    private readonly certificateViews: CertificatesService,
    private readonly audit: AuditService,
  ) {}

  async mine(user: AuthUser): Promise<HolderPageSettingDto> {
    return this.setting(await this.pages.findFor(user.id));
  }

  /** Idempotent: a page already on keeps its address (and no second audit record is written). */
  async turnOn(user: AuthUser): Promise<HolderPageSettingDto> {
    const page = await this.dataSource.transaction(async (tx) => {
      const created = await this.pages.insertUnlessOn(tx, user.id, newSlug());
      if (created) await this.audit.append(tx, this.event(user, 'user.holder_page_enabled'));
      return created ?? (await this.pages.findFor(user.id, tx));
    });
    return this.setting(page);
  }

  /** Idempotent: turning off a page that is off changes nothing. */
  async turnOff(user: AuthUser): Promise<HolderPageSettingDto> {
    await this.dataSource.transaction(async (tx) => {
      if (await this.pages.delete(tx, user.id)) await this.audit.append(tx, this.event(user, 'user.holder_page_disabled'));
    });
    return this.setting(undefined);
  }

  /** For the personal-data export: the setting as the holder sees it. */
  exportFor(userId: string): Promise<HolderPageSettingDto> {
    return this.pages.findFor(userId).then((page) => this.setting(page));
  }

  /** The public page: 404 alike for a malformed address, one never issued, and one turned off. */
  async read(slug: string): Promise<PublicHolderDto> {
    const page = SLUG_SHAPE.test(slug) ? await this.pages.findBySlug(slug) : undefined;
    if (!page) throw new NotFoundException(NOT_FOUND);
    const valid = (await this.certificates.listForUser(page.userId))
      .map((c) => this.certificateViews.toDto(c))
      .filter((c) => c.status === 'active');
    return {
      // listForUser is newest first: after a name change the newest certificate carries the current name.
      holderName: valid[0]?.holderName ?? null,
      certificates: valid.map((c) => ({
        number: c.number,
        credential: c.credential,
        issuedAt: c.issuedAt,
        expiresAt: c.expiresAt,
        verifyUrl: c.verifyUrl,
      })),
    };
  }

  private setting(page: HolderPage | undefined): HolderPageSettingDto {
    return page
      ? { enabled: true, url: `${this.config.publicUrl}${holderPagePath(page.slug)}`, enabledAt: page.createdAt.toISOString() }
      : { enabled: false, url: null, enabledAt: null };
  }

  private event(user: AuthUser, action: string) {
    return { actorId: user.id, action, subjectType: 'user', subjectId: user.id, data: {} };
  }
}
