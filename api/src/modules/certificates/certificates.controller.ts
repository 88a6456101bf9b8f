import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { Authenticated, Public } from '../../common/auth/authenticated.decorator';
import { RequiresStepUp } from '../../common/auth/step-up';
import { ApiNotModifiedResponse, CacheableBody, sendCacheable } from '../../common/http/cacheable';
import { RateLimit } from '../../common/rate-limit/rate-limit.guard';
import { NOT_INDEPENDENT_DOC } from '../independence/not-independent';
import { CertificateStatusService } from './certificate-status.service';
import { CertificatesService } from './certificates.service';
import {
  AdminCertificateDto,
  AdminCertificatesPageDto,
  AdminCertificatesQueryDto,
  CertificateDto,
  PublicCertificateDto,
  StatusChangeDto,
} from './dto/certificate.dto';
import { CsvExport } from '../../common/lists/csv-export';
import { STATUS_LIST_MAX_CACHE_SECONDS, StatusListService } from './status-list.service';
import { HolderPageSettingDto, PublicHolderDto } from './dto/holder-page.dto';
import { HolderPagesService } from './holder-pages.service';
import { AuditRead } from '../audit/audit-read';

const VC_JWT = 'application/vc+jwt';
const JSON_LD = 'application/ld+json';
const SVG = 'image/svg+xml';

/**
 * A certificate's public record is revalidated on every use (no-cache: a cache keeps it, but asks with its ETag
 * first and gets a bodiless 304 while nothing changed): a revocation or suspension shows at once, as do the
 * status changes time makes (expiry).
 */
const PUBLIC_RECORD_CACHE_CONTROL = 'public, no-cache';

/**
 * The longest a cache keeps the JWK Set: as long as a status list, because retiring a key revokes what it
 * signed and must reach verifiers as fast as a revocation does; a new key (rotation, or the one a retirement
 * makes) reaches them within it too.
 */
export const JWKS_MAX_CACHE_SECONDS = STATUS_LIST_MAX_CACHE_SECONDS;

/**
 * How long a replica answers the JWK Set and a status list from memory (SharedResponseCache). A change made on this
 * replica (a status saved, a key added or retired) is served at once; one made elsewhere within this long. The copy
 * carries `Age`, so caches downstream still drop it max-age seconds after it was made: the freshness stays max-age.
 */
const SHARED_CACHE_SECONDS = 10;

@ApiTags('certificates')
@Authenticated()
@Controller('certificates')
export class CertificatesController {
  constructor(
    private readonly certificates: CertificatesService,
    private readonly holderPages: HolderPagesService,
  ) {}

  @Get()
  @ApiOkResponse({ type: [CertificateDto] })
  mine(@CurrentUser() user: AuthUser): Promise<CertificateDto[]> {
    return this.certificates.mine(user);
  }

  @Get(':id/pdf')
  @AuditRead({ action: 'certificate.pdf_viewed', subjectType: 'certificate', subjectParam: 'id' })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'the certificate PDF (owner or admin)' })
  async pdf(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) res: Response) {
    const { pdf, number } = await this.certificates.pdf(user, id);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="${number}.pdf"`);
    res.setHeader('Cache-Control', 'private, no-store');
    return new StreamableFile(pdf);
  }

  @Get('holder-page')
  @ApiOkResponse({ type: HolderPageSettingDto, description: 'whether your public holder page is on, and its address' })
  holderPage(@CurrentUser() user: AuthUser): Promise<HolderPageSettingDto> {
    return this.holderPages.mine(user);
  }

  @Put('holder-page')
  @ApiOkResponse({ type: HolderPageSettingDto, description: 'on: a page already on keeps its address; one turned on again gets a new one' })
  turnOnHolderPage(@CurrentUser() user: AuthUser): Promise<HolderPageSettingDto> {
    return this.holderPages.turnOn(user);
  }

  @Delete('holder-page')
  @ApiOkResponse({ type: HolderPageSettingDto, description: 'off: its address answers 404 from now on' })
  turnOffHolderPage(@CurrentUser() user: AuthUser): Promise<HolderPageSettingDto> {
    return this.holderPages.turnOff(user);
  }
}

@ApiTags('public verification')
@Public()
@Controller('public')
export class PublicCertificatesController {
  constructor(
    private readonly certificates: CertificatesService,
    private readonly statusLists: StatusListService,
    private readonly holderPages: HolderPagesService,
  ) {}

  @RateLimit({ limit: 'public', bucket: 'public:holders', per: 'address', what: 'holder page requests from your address' })
  @Get('holders/:slug')
  @ApiOkResponse({ type: PublicHolderDto, description: "a holder's public page (opt-in): their valid certificates" })
  @ApiNotFoundResponse({ description: 'no holder page has this address: never issued, malformed, or turned off by its holder' })
  @ApiNotModifiedResponse()
  async holder(@Param('slug') slug: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    // Revalidated on every use, as a certificate's record is: a page turned off or a revocation shows at once.
    return sendCacheable(res, CacheableBody.json(await this.holderPages.read(slug)), PUBLIC_RECORD_CACHE_CONTROL);
  }

  @RateLimit({ limit: 'public', bucket: 'public:verify', per: 'address', what: 'certificate checks from your address' })
  @Get('certificates/:number')
  @ApiOkResponse({ type: PublicCertificateDto })
  @ApiNotFoundResponse({ description: 'unknown, or mistyped (the check character does not match)' })
  @ApiNotModifiedResponse()
  async verify(@Param('number') number: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    return sendCacheable(res, CacheableBody.json(await this.certificates.verify(number)), PUBLIC_RECORD_CACHE_CONTROL);
  }

  @RateLimit({ limit: 'public', bucket: 'public:credential', per: 'address', what: 'credential requests from your address' })
  @Get('certificates/:number/credential')
  @ApiProduces(VC_JWT)
  @ApiOkResponse({ description: 'OpenBadgeCredential signed as a VC-JWT (ES256, typ JWT, kid the absolute URL of the key in the JWK Set)' })
  async credential(@Param('number') number: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    const jwt = await this.certificates.credentialJwt(number);
    res.setHeader('Content-Type', VC_JWT);
    return jwt;
  }

  @RateLimit({ limit: 'public', bucket: 'public:status-list', per: 'address', what: 'status list requests from your address' })
  @Get('status-lists/:listId')
  @ApiProduces(VC_JWT)
  @ApiOkResponse({
    description:
      'BitstringStatusListCredential signed as a VC-JWT, valid for STATUS_LIST_TTL_SECONDS (validUntil = exp): a change shows in the next ' +
      'list served; Cache-Control max-age never runs past validUntil',
  })
  @ApiBadRequestResponse({ description: 'listId is not a whole number' })
  @ApiNotFoundResponse({ description: 'no status list has this id' })
  @ApiNotModifiedResponse()
  async statusList(@Param('listId', ParseIntPipe) listId: number, @Res({ passthrough: true }) res: Response): Promise<string> {
    const list = await this.statusLists.signed(listId);
    const maxAge = this.statusLists.maxAge(list);
    return sendCacheable(res, CacheableBody.text(list.jwt, VC_JWT), `public, max-age=${maxAge}`, {
      shared: Math.min(SHARED_CACHE_SECONDS, maxAge),
    });
  }
}

/** The issuer profile, achievements and badge images change only with a release or the configuration. */
const DOCUMENT_CACHE_CONTROL = 'public, max-age=300';
const DOCUMENT_SHARED_SECONDS = 300;

/** The documents a credential names by URL (OB 3.0): they must resolve, for wallets and validators. */
@ApiTags('public verification')
@Public()
@Controller('public')
export class PublicAchievementsController {
  constructor(private readonly certificates: CertificatesService) {}

  @RateLimit({ limit: 'public', bucket: 'public:documents', per: 'address', what: 'requests from your address' })
  @Get('issuer')
  @ApiProduces(JSON_LD)
  @ApiOkResponse({ description: "the issuer's Open Badges 3.0 Profile (JSON-LD): the issuer.id of every credential" })
  @ApiNotModifiedResponse()
  issuer(@Res({ passthrough: true }) res: Response): string {
    return sendCacheable(res, CacheableBody.text(JSON.stringify(this.certificates.issuerDocument()), JSON_LD), DOCUMENT_CACHE_CONTROL, {
      shared: DOCUMENT_SHARED_SECONDS,
    });
  }

  @RateLimit({ limit: 'public', bucket: 'public:documents', per: 'address', what: 'requests from your address' })
  @Get('achievements/:code')
  @ApiProduces(JSON_LD)
  @ApiOkResponse({
    description:
      'the Open Badges 3.0 Achievement of a certification (JSON-LD): criteria narrative, badge image, alignment to the PSF domains',
  })
  @ApiNotFoundResponse({ description: 'no certification has this code (AIDA, CPAP, CPAA)' })
  @ApiNotModifiedResponse()
  achievement(@Param('code') code: string, @Res({ passthrough: true }) res: Response): string {
    const body = JSON.stringify(this.certificates.achievementDocument(code));
    return sendCacheable(res, CacheableBody.text(body, JSON_LD), DOCUMENT_CACHE_CONTROL, { shared: DOCUMENT_SHARED_SECONDS });
  }

  @RateLimit({ limit: 'public', bucket: 'public:documents', per: 'address', what: 'requests from your address' })
  @Get('achievements/:code/image.svg')
  @ApiProduces(SVG)
  @ApiOkResponse({ description: "the certification's badge image (the credential's image)" })
  @ApiNotFoundResponse({ description: 'no certification has this code (AIDA, CPAP, CPAA)' })
  @ApiNotModifiedResponse()
  image(@Param('code') code: string, @Res({ passthrough: true }) res: Response): string {
    return sendCacheable(res, CacheableBody.text(this.certificates.badgeImage(code), SVG), DOCUMENT_CACHE_CONTROL, {
      shared: DOCUMENT_SHARED_SECONDS,
    });
  }

  @RateLimit({ limit: 'public', bucket: 'public:documents', per: 'address', what: 'requests from your address' })
  @Get('achievements/:code/image.png')
  @ApiProduces('image/png')
  @ApiOkResponse({ description: "the certification's badge image as PNG, 1200 × 1200 (the verify page's link preview)" })
  @ApiNotFoundResponse({ description: 'no certification has this code (AIDA, CPAP, CPAA)' })
  imagePng(@Param('code') code: string, @Res({ passthrough: true }) res: Response): StreamableFile {
    const png = this.certificates.badgeImagePng(code);
    res.setHeader('Cache-Control', DOCUMENT_CACHE_CONTROL);
    return new StreamableFile(png, { type: 'image/png', length: png.length });
  }
}

@ApiTags('public verification')
@Public()
@Controller('.well-known')
export class JwksController {
  constructor(private readonly certificates: CertificatesService) {}

  @RateLimit({ limit: 'public', bucket: 'public:jwks', per: 'address', what: 'key requests from your address' })
  @Get('jwks.json')
  @ApiOkResponse({ description: "the issuer's public keys (JWK Set: EC P-256 signing keys, and earlier OKP/Ed25519 keys)" })
  @ApiNotModifiedResponse()
  async jwks(@Res({ passthrough: true }) res: Response): Promise<string> {
    return sendCacheable(res, CacheableBody.json(await this.certificates.jwks()), `public, max-age=${JWKS_MAX_CACHE_SECONDS}`, {
      shared: SHARED_CACHE_SECONDS,
    });
  }
}

@ApiTags('admin')
@Authenticated({ roles: ['admin'] })
@Controller('admin/certificates')
export class AdminCertificatesController {
  constructor(private readonly certificates: CertificateStatusService) {}

  @Get()
  @AuditRead({ action: 'certificate.listed', subjectType: 'certificate' })
  @ApiOkResponse({ type: AdminCertificatesPageDto, description: 'one page of certificates, latest issued first unless sorted otherwise' })
  @ApiBadRequestResponse({
    description:
      'an unknown status or sort, a malformed credential code, a day not written YYYY-MM-DD, issuedFrom after issuedTo, a page below 1 or a page size above 500',
  })
  search(@Query() query: AdminCertificatesQueryDto): Promise<AdminCertificatesPageDto> {
    return this.certificates.search(query);
  }

  @Get('export.csv')
  @AuditRead({ action: 'certificate.exported', subjectType: 'certificate' })
  @CsvExport('certificates.csv', 'the certificates the same filters find, in the same order')
  exportCsv(@Query() query: AdminCertificatesQueryDto): Promise<string> {
    return this.certificates.exportCsv(query);
  }

  @Get(':number')
  @ApiOkResponse({ type: AdminCertificateDto })
  find(@Param('number') number: string): Promise<AdminCertificateDto> {
    return this.certificates.adminFind(number);
  }

  @RequiresStepUp(`missing role, or ${NOT_INDEPENDENT_DOC}`)
  @Post(':number/revoke')
  @HttpCode(200)
  @ApiOkResponse({ type: AdminCertificateDto })
  @ApiBadRequestResponse({ description: 'reason is required' })
  @ApiNotFoundResponse({ description: 'no certificate has this number' })
  @ApiConflictResponse({ description: 'already revoked' })
  revoke(@CurrentUser() actor: AuthUser, @Param('number') number: string, @Body() dto: StatusChangeDto): Promise<AdminCertificateDto> {
    return this.certificates.changeStatus(actor, number, 'revoked', dto.reason);
  }

  @RequiresStepUp(`missing role, or ${NOT_INDEPENDENT_DOC}`)
  @Post(':number/suspend')
  @HttpCode(200)
  @ApiOkResponse({ type: AdminCertificateDto })
  @ApiBadRequestResponse({ description: 'reason is required' })
  @ApiNotFoundResponse({ description: 'no certificate has this number' })
  @ApiConflictResponse({ description: 'already suspended, or revoked (a revocation is never weakened)' })
  suspend(@CurrentUser() actor: AuthUser, @Param('number') number: string, @Body() dto: StatusChangeDto): Promise<AdminCertificateDto> {
    return this.certificates.changeStatus(actor, number, 'suspended', dto.reason);
  }

  @RequiresStepUp(`missing role, or ${NOT_INDEPENDENT_DOC}`)
  @Post(':number/reinstate')
  @HttpCode(200)
  @ApiOkResponse({ type: AdminCertificateDto })
  @ApiNotFoundResponse({ description: 'no certificate has this number' })
  @ApiConflictResponse({ description: 'already active, or revoked: revocation is final' })
  reinstate(@CurrentUser() actor: AuthUser, @Param('number') number: string): Promise<AdminCertificateDto> {
    return this.certificates.changeStatus(actor, number, 'active', null);
  }
}
