import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CREDENTIALS_FILE } from './credentials';
import { FRAMEWORK_FILE } from './framework';
import { ProgrammeCatalogue } from './programme-catalogue';
import { PROGRAMME_FILE, citationsOf } from './programme-pages';

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

  it("loads the public pages' text, and stops the boot on a fee without its currency or a history without the framework's version", () => {
    expect(catalogue.pages.certifications.AIDA.fee).toEqual({ amount: 0, currency: 'EUR' });
    expect(catalogue.pages.framework.versions.map((v) => v.version)).toContain('1.0');
    const fee = copyWith(PROGRAMME_FILE, (t) => t.replace('fee: { amount: 350, currency: EUR }', 'fee: { amount: 350 }'));
    expect(() => ProgrammeCatalogue.load(fee)).toThrow(/certifications\.CPAP\.fee\.currency/);
    const history = copyWith(PROGRAMME_FILE, (t) => t.replace('- version: "1.0"', '- version: "0.9"'));
    expect(() => ProgrammeCatalogue.load(history)).toThrow(/must include version 1\.0/);
  });

  it('cites the framework in APA, IEEE and BibTeX from its own metadata', () => {
    const c = citationsOf(catalogue.framework, 'https://productionai.institute/standard');
    expect(c.apa).toBe(
      'Production AI Institute. (2024). Production Safety Framework (Version 1.0). https://productionai.institute/standard',
    );
    expect(c.ieee).toBe(
      'Production AI Institute, "Production Safety Framework," Version 1.0, 2024. [Online]. Available: https://productionai.institute/standard',
    );
    expect(c.bibtex).toMatch(/^@misc\{psf2024v10,\n {2}author = \{\{Production AI Institute\}\},/);
    expect(c.bibtex).toContain('note = {Version 1.0. Licensed under CC BY 4.0}');
  });
});
