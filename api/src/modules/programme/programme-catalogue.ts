import { type Blueprint, loadBlueprint } from '../question-bank/bank-files';
import { type CredentialCode, type Credential, type Credentials, loadCredentials } from './credentials';
import { type Framework, type FrameworkCertification, type FrameworkCriterion, loadFramework } from './framework';
import { type InterviewGuide, loadInterviewGuide } from './interview-guide';
import { type ProgrammePages, loadProgrammePages } from './programme-pages';

/**
 * The certification programme as the body publishes it: the PSF framework, its credentials, the
 * AIDA blueprint, the CPAA interview guide and what the public pages say about it all. Loaded and checked once at boot (a bad file stops
 * the platform with every problem named), then injected wherever a module needs it.
 */
export class ProgrammeCatalogue {
  private readonly criterionTexts: Map<string, string>;

  constructor(
    readonly framework: Framework,
    readonly credentials: Credentials,
    readonly blueprint: Blueprint,
    readonly interviewGuide: InterviewGuide,
    readonly pages: ProgrammePages,
  ) {
    this.criterionTexts = new Map(framework.domains.flatMap((d) => d.criteria.map((c) => [c.code, c.text])));
  }

  static load(bankDir: string, validityOverrides: Record<string, number | undefined> = {}): ProgrammeCatalogue {
    const framework = loadFramework(bankDir);
    return new ProgrammeCatalogue(
      framework,
      loadCredentials(bankDir, framework, validityOverrides),
      loadBlueprint(bankDir),
      loadInterviewGuide(bankDir, framework),
      loadProgrammePages(bankDir, framework),
    );
  }

  certification(code: string): FrameworkCertification | undefined {
    return this.framework.certifications.find((c) => c.code === code);
  }

  /** The domain codes a credential covers: CPAP D01–D07, AIDA and CPAA D01–D08. */
  domainsOf(code: string): string[] {
    return this.certification(code)?.domains ?? [];
  }

  /** The criteria a credential's portfolio covers: CPAP 35, CPAA 40. */
  criteriaOf(code: string): FrameworkCriterion[] {
    const domains = this.domainsOf(code);
    return this.framework.domains.filter((d) => domains.includes(d.code)).flatMap((d) => d.criteria);
  }

  domainTitle(code: string): string {
    return this.framework.domains.find((d) => d.code === code)?.title ?? code;
  }

  criterionText(code: string): string | undefined {
    return this.criterionTexts.get(code);
  }

  /** A credential by code; the database's CHECK constraints keep codes to the three. */
  credential(code: string): Credential {
    const found = this.credentials[code as CredentialCode];
    if (!found) throw new Error(`unknown credential ${code}`);
    return found;
  }
}
