import { BadRequestException, ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { AuditService } from '../audit/audit.service';
import {
  type AdminConflictDeclaration,
  type ConflictDeclaration,
  ConflictDeclarationsRepository,
  type MatchedStaff,
} from './conflict-declarations.repository';
import {
  AdminConflictDeclarationDto,
  ConflictDeclarationDto,
  ConflictDeclarationListDto,
  ConflictStatus,
  DeclareConflictDto,
} from './dto/conflict-declaration.dto';
import type { PortfolioCredential } from './dto/portfolio.dto';
import { PortfoliosRepository } from './portfolios.repository';

const toDto = (d: ConflictDeclaration): ConflictDeclarationDto => ({
  id: d.id,
  credential: d.credential,
  kind: d.kind,
  name: d.name,
  email: d.kind === 'person' ? d.email : null,
  emailDomain: d.kind === 'organisation' ? d.email : null,
  reason: d.reason,
  status: d.status,
  createdAt: d.createdAt.toISOString(),
  decidedAt: d.decidedAt?.toISOString() ?? null,
  decisionNote: d.decisionNote,
});

/** What of a declaration is the candidate's personal data: the free-text reason and a named person. */
const personalOf = (d: Pick<ConflictDeclaration, 'kind' | 'name' | 'email' | 'reason'>) =>
  d.kind === 'person' ? { name: d.name, email: d.email, reason: d.reason } : { reason: d.reason };

/**
 * Conflicts of interest a candidate declares instead of picking reviewers from a directory
 * (ISO/IEC 17024 §5.2, §9.1; architecture invariant 11): a person or an organisation, with a
 * reason, a few per portfolio. The platform works out which staff a declaration names; only an
 * administrator's confirmation makes it keep them from reviewing the portfolio or sitting on the
 * candidate's panel. The candidate never learns whom (or whether anyone) it matched.
 */
@Injectable()
export class ConflictDeclarationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly portfolios: PortfoliosRepository,
    private readonly declarations: ConflictDeclarationsRepository,
    private readonly audit: AuditService,
  ) {}

  private async portfolioOf(user: AuthUser, credential: PortfolioCredential) {
    const p = await this.portfolios.find(user.id, credential);
    if (!p) throw new NotFoundException(`You have no ${credential} portfolio yet`);
    return p;
  }

  private listDto(declarations: ConflictDeclaration[]): ConflictDeclarationListDto {
    const max = this.config.conflictDeclarationsMax;
    const held = declarations.filter((d) => d.status !== 'withdrawn').length;
    return { declarations: declarations.map(toDto), max, remaining: Math.max(0, max - held) };
  }

  async mine(user: AuthUser, credential: PortfolioCredential): Promise<ConflictDeclarationListDto> {
    const p = await this.portfolioOf(user, credential);
    return this.listDto(await this.declarations.list(p.id));
  }

  async declare(user: AuthUser, credential: PortfolioCredential, dto: DeclareConflictDto): Promise<ConflictDeclarationDto> {
    const { name = null, email = null, emailDomain = null } = dto;
    if (dto.kind === 'person') {
      if (!name && !email) throw new BadRequestException('A person needs a name or an e-mail address (or both)');
      if (emailDomain) throw new BadRequestException('emailDomain is for an organisation; give a person their e-mail address');
    } else {
      if (!name) throw new BadRequestException('An organisation needs its name');
      if (email) throw new BadRequestException('email is for a person; give an organisation its emailDomain');
    }
    await this.portfolioOf(user, credential);
    const id = await this.dataSource.transaction(async (tx) => {
      // The portfolio row is the lock: two declarations sent at once cannot both fit the last place.
      const p = (await this.portfolios.find(user.id, credential, tx, true))!;
      const max = this.config.conflictDeclarationsMax;
      if ((await this.declarations.countHeld(tx, p.id)) >= max) {
        throw new BadRequestException(
          `A ${credential} portfolio may hold at most ${max} conflict-of-interest declarations; withdraw a pending one to declare another`,
        );
      }
      const declared = { kind: dto.kind, name, email: dto.kind === 'person' ? email : emailDomain, reason: dto.reason };
      const id = await this.declarations.insert(tx, { portfolioId: p.id, ...declared });
      const matched = await this.declarations.rematch(tx, { id, ...declared, candidateId: user.id });
      await this.audit.append(tx, {
        actorId: user.id,
        action: 'portfolio.conflict_declared',
        subjectType: 'conflict_declaration',
        subjectId: id,
        data: {
          portfolioId: p.id,
          credential,
          kind: dto.kind,
          ...(dto.kind === 'organisation' ? { organisation: name, emailDomain } : {}),
          matchedReviewerIds: matched,
        },
        personal: { userId: user.id, data: personalOf(declared) },
      });
      return id;
    });
    return toDto((await this.declarations.find(id))!);
  }

  /** A pending declaration may be withdrawn while no submission of the portfolio is being judged. */
  async withdraw(user: AuthUser, credential: PortfolioCredential, id: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const d = await this.declarations.find(id, tx, true);
      if (!d || d.candidateId !== user.id || d.credential !== credential) throw new NotFoundException('No such declaration');
      if (d.status !== 'pending') throw new ConflictException(`This declaration was ${d.status} already and cannot be withdrawn`);
      if (await this.declarations.submissionsUnderReview(tx, d.portfolioId)) {
        throw new ConflictException('Your portfolio is being reviewed: a declaration cannot be withdrawn until it is decided');
      }
      await this.declarations.setStatus(tx, id, 'pending', 'withdrawn');
      await this.audit.append(tx, {
        actorId: user.id,
        action: 'portfolio.conflict_withdrawn',
        subjectType: 'conflict_declaration',
        subjectId: id,
        data: { portfolioId: d.portfolioId, credential },
      });
    });
  }

  async list(status: ConflictStatus = 'pending'): Promise<AdminConflictDeclarationDto[]> {
    const rows = await this.declarations.adminList(status);
    const matches = await this.declarations.matchedStaff(rows.map((r) => r.id));
    return rows.map((r) => this.adminDto(r, matches));
  }

  private adminDto(r: AdminConflictDeclaration, matches: MatchedStaff[]): AdminConflictDeclarationDto {
    return {
      ...toDto(r),
      candidateId: r.candidateId,
      candidateName: r.candidateName,
      candidateEmail: r.candidateEmail,
      decidedBy: r.decidedBy,
      matchedReviewers: matches
        .filter((m) => m.declarationId === r.id)
        .map((m) => ({ id: m.id, fullName: m.fullName, email: m.email, organisation: m.organisation })),
    };
  }

  confirm(actor: AuthUser, id: string, note: string | undefined): Promise<AdminConflictDeclarationDto> {
    return this.decide(actor, id, 'confirmed', note?.trim() || null);
  }

  reject(actor: AuthUser, id: string, note: string): Promise<AdminConflictDeclarationDto> {
    return this.decide(actor, id, 'rejected', note.trim());
  }

  private async decide(
    actor: AuthUser,
    id: string,
    outcome: 'confirmed' | 'rejected',
    note: string | null,
  ): Promise<AdminConflictDeclarationDto> {
    await this.dataSource.transaction(async (tx) => {
      const d = await this.declarations.find(id, tx, true);
      if (!d) throw new NotFoundException('No such declaration');
      // Architecture invariant 11: nobody decides a case they are party to.
      if (d.candidateId === actor.id) {
        throw new ForbiddenException({
          message: 'Another administrator must decide on a conflict you declared yourself',
          reason: 'not_independent',
        });
      }
      if (d.status !== 'pending') throw new ConflictException(`This declaration was ${d.status} already`);
      // Staff joined or changed organisation since it was declared: confirm what it names now.
      const matched = outcome === 'confirmed' ? await this.declarations.rematch(tx, d) : null;
      const named = matched ?? (await this.declarations.matchedStaff([id])).map((m) => m.id);
      if (named.includes(actor.id)) {
        throw new ForbiddenException({
          message: 'The declaration names you: another administrator must decide on it',
          reason: 'not_independent',
        });
      }
      await this.declarations.setStatus(tx, id, 'pending', outcome, { by: actor.id, note });
      await this.audit.append(tx, {
        actorId: actor.id,
        action: outcome === 'confirmed' ? 'portfolio.conflict_confirmed' : 'portfolio.conflict_rejected',
        subjectType: 'conflict_declaration',
        subjectId: id,
        data: { portfolioId: d.portfolioId, candidateId: d.candidateId, credential: d.credential, note, matchedReviewerIds: named },
      });
    });
    return this.adminDto((await this.declarations.adminOne(id))!, await this.declarations.matchedStaff([id]));
  }
}
