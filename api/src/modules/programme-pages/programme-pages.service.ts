import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../infrastructure/config/app-config';
import { ExamsService } from '../exams/exams.service';
import type { CredentialCode } from '../programme/credentials';
import { ProgrammeCatalogue } from '../programme/programme-catalogue';
import type { CredentialFactsDto, ProgrammeCredentialDto, ProgrammeDto } from './dto/programme.dto';

const CODES: CredentialCode[] = ['AIDA', 'CPAP', 'CPAA'];

/**
 * What the public pages show about the programme: the body's text (programme.yaml) joined with what the
 * platform knows itself, so a time limit or a validity is stated in one place only.
 */
@Injectable()
export class ProgrammePagesService {
  constructor(
    private readonly programme: ProgrammeCatalogue,
    private readonly exams: ExamsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async programmePage(): Promise<ProgrammeDto> {
    const { pages, framework } = this.programme;
    const exam = await this.exams.publicFacts();
    return {
      ...pages.programme,
      attribution: framework.attribution,
      credentials: CODES.map((code) => this.credentialPage(code, code === 'AIDA' ? exam : undefined)),
    };
  }

  private credentialPage(code: CredentialCode, exam?: Awaited<ReturnType<ExamsService['publicFacts']>>): ProgrammeCredentialDto {
    const page = this.programme.pages.certifications[code];
    const credential = this.programme.credential(code);
    const certification = this.programme.certification(code)!;
    const domains = this.programme.framework.domains.filter((d) => certification.domains.includes(d.code));
    const facts: CredentialFactsDto = exam
      ? {
          questionCount: exam.questionCount,
          timeLimitMinutes: Math.round(exam.timeLimitSeconds / 60),
          passMarkPercent: exam.passMarkPercent,
          retakeCooldownDays: Math.round((exam.retakeCooldownSeconds / 86_400) * 10) / 10,
        }
      : {
          criteriaCount: this.programme.criteriaOf(code).length,
          reviewDueDays: this.config.review.dueDays,
          ...(code === 'CPAA' ? { interviewMinutes: this.programme.interviewGuide.durationMinutes } : {}),
        };
    return {
      code,
      name: credential.name,
      kind: certification.kind,
      summary: certification.summary,
      headline: page.headline,
      attests: page.attests,
      audience: page.audience,
      steps: page.steps,
      requires: credential.requires.map((r) => ({ code: r, name: this.programme.credential(r).name })),
      domains: domains.map((d) => ({ code: d.code, title: d.title, criteria: d.criteria.length })),
      validityDays: credential.validityDays,
      fee: page.fee,
      ...(page.feeNote ? { feeNote: page.feeNote } : {}),
      facts,
    };
  }
}
