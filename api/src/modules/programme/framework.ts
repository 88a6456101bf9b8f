import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

export interface FrameworkCriterion {
  code: string;
  text: string;
}

export interface FrameworkDomain {
  code: string;
  number: number;
  title: string;
  summary: string;
  criteria: FrameworkCriterion[];
}

export interface FrameworkCertification {
  code: 'AIDA' | 'CPAP' | 'CPAA';
  kind: string;
  summary: string;
  domains: string[];
}

export interface Framework {
  code: string;
  version: string;
  title: string;
  publisher: string;
  year: number;
  licence: string;
  citation: string;
  /** What every screen that shows framework content must display (CC BY 4.0). */
  attribution: string;
  domains: FrameworkDomain[];
  certifications: FrameworkCertification[];
}

export const FRAMEWORK_FILE = 'framework/psf-v1.0.yaml';

/** Loads the PSF framework data from the question bank folder (question-bank/framework/). */
export function loadFramework(bankDir: string): Framework {
  const raw = parse(readFileSync(path.join(bankDir, FRAMEWORK_FILE), 'utf8'));
  const f = raw.framework;
  return {
    code: f.code,
    version: String(f.version),
    title: f.title,
    publisher: f.publisher,
    year: f.year,
    licence: f.licence,
    citation: f.citation,
    attribution: `${f.title} v${f.version} © ${f.publisher} (${f.year}), licensed ${f.licence.replace('CC-BY-', 'CC BY ')}. ${f.citation}`,
    domains: raw.domains,
    certifications: raw.certifications,
  };
}
