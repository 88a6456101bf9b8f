import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth-user';
import { ProgrammeCatalogue } from '../programme/programme-catalogue';
import type { SaveSelfAssessmentDto } from './dto/self-assessment.dto';
import { SelfAssessmentDto } from './dto/self-assessment.dto';
import { ratingProblems } from './self-assessment-ratings';
import { SelfAssessmentRepository } from './self-assessment.repository';

/**
 * A person's own PSF self-assessment, kept on their account: a practice tool, so it decides nothing,
 * is not audited, and nobody else reads it (the data export and the erasure aside).
 */
@Injectable()
export class SelfAssessmentService {
  private readonly criterionCodes: ReadonlySet<string>;

  constructor(
    catalogue: ProgrammeCatalogue,
    private readonly repository: SelfAssessmentRepository,
  ) {
    this.criterionCodes = new Set(catalogue.framework.domains.flatMap((d) => d.criteria.map((c) => c.code)));
  }

  async mine(user: AuthUser): Promise<SelfAssessmentDto> {
    const saved = await this.repository.findFor(user.id);
    if (!saved) throw new NotFoundException('You have not saved a self-assessment to your account');
    return SelfAssessmentDto.from(saved);
  }

  /** For the personal-data export: null when none is saved. */
  async exportFor(userId: string): Promise<SelfAssessmentDto | null> {
    const saved = await this.repository.findFor(userId);
    return saved ? SelfAssessmentDto.from(saved) : null;
  }

  async save(user: AuthUser, dto: SaveSelfAssessmentDto): Promise<SelfAssessmentDto> {
    const problems = ratingProblems(dto.ratings, this.criterionCodes);
    if (problems.length) throw new BadRequestException(problems.join('; '));
    return SelfAssessmentDto.from(await this.repository.upsert(user.id, dto.ratings));
  }
}
