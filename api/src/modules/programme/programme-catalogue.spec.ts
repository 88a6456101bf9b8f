import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CREDENTIALS_FILE } from './credentials';
import { FRAMEWORK_FILE } from './framework';
import { ProgrammeCatalogue } from './programme-catalogue';

const BANK = path.resolve(__dirname, '../../../../question-bank');

/** A copy of the real programme files with one file edited. */
function copyWith(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'programme-'));
  cpSync(path.join(BANK, 'framework'), path.join(dir, 'framework'), { recursive: true });
  for (const f of ['blueprint.yaml', 'interview-guide.yaml']) cpSync(path.join(BANK, f), path.join(dir, f));
  writeFileSync(path.join(dir, file), edit(readFileSync(path.join(dir, file), 'utf8')));
  return dir;
}

describe('ProgrammeCatalogue', () => {
  const catalogue = ProgrammeCatalogue.load(BANK);

  it('loads the framework, the three credentials, the blueprint and the interview guide', () => {
    expect(catalogue.framework.domains.map((d) => d.code)).toEqual(['D01', 'D02', 'D03', 'D04', 'D05', 'D06', 'D07', 'D08']);
    expect(catalogue.framework.attribution).toContain('CC BY 4.0');
    expect(catalogue.credential('CPAP')).toEqual({ name: 'PSF CPAP Practitioner Certification', validityDays: 1095, requires: ['AIDA'] });
    expect(catalogue.credential('AIDA').requires).toEqual([]);
    expect(catalogue.blueprint.questionCount).toBe(20);
    expect(catalogue.interviewGuide.domains).toHaveLength(8);
  });

  it('answers the questions modules ask of it', () => {
    expect(catalogue.domainsOf('CPAP')).toEqual(['D01', 'D02', 'D03', 'D04', 'D05', 'D06', 'D07']);
    expect(catalogue.criteriaOf('CPAP')).toHaveLength(35);
    expect(catalogue.criteriaOf('CPAA')).toHaveLength(40);
    expect(catalogue.domainTitle('D01')).toBe('Data Governance & PII');
    expect(catalogue.criterionText('D01.3')).toMatch(/^PII identification/);
    expect(() => catalogue.credential('XYZ')).toThrow('unknown credential XYZ');
  });

  it('lets configuration override a credential validity', () => {
    expect(ProgrammeCatalogue.load(BANK, { CPAA: 400 }).credential('CPAA').validityDays).toBe(400);
  });

  it('stops the boot on a credentials file of the wrong shape, naming the field', () => {
    const dir = copyWith(CREDENTIALS_FILE, (t) => t.replace('validityDays: 730', 'validityDays: "two years"'));
    expect(() => ProgrammeCatalogue.load(dir)).toThrow(/credentials\.AIDA\.validityDays/);
    const unknown = copyWith(CREDENTIALS_FILE, (t) => t.replace('requires: [AIDA]', 'requires: [AIDA, PHD]'));
    expect(() => ProgrammeCatalogue.load(unknown)).toThrow(/credentials\.CPAP\.requires\.1/);
  });

  it('stops the boot on a framework whose criterion sits under another domain', () => {
    const dir = copyWith(FRAMEWORK_FILE, (t) => t.replace('code: D01.5', 'code: D02.5'));
    expect(() => ProgrammeCatalogue.load(dir)).toThrow(/D02\.5 is listed under D01/);
  });
});
