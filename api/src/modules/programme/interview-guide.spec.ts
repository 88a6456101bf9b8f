import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadFramework } from './framework';
import { loadInterviewGuide } from './interview-guide';

const BANK = path.resolve(__dirname, '../../../../question-bank');

function brokenCopy(edit: (text: string) => string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'guide-'));
  cpSync(path.join(BANK, 'framework'), path.join(dir, 'framework'), { recursive: true });
  writeFileSync(path.join(dir, 'interview-guide.yaml'), edit(readFileSync(path.join(BANK, 'interview-guide.yaml'), 'utf8')));
  return dir;
}

describe('interview guide', () => {
  it('covers every CPAA domain in order and every criterion with a prompt', () => {
    const guide = loadInterviewGuide(BANK, loadFramework(BANK));
    expect(guide.domains.map((d) => d.domain)).toEqual(['D01', 'D02', 'D03', 'D04', 'D05', 'D06', 'D07', 'D08']);
    expect(guide.scale.map((s) => s.score)).toEqual([0, 1, 2, 3]);
  });

  it('names a criterion no prompt covers', () => {
    const dir = brokenCopy((t) => t.replace(/criteria: \[D01\.2, D01\.4\]/, 'criteria: [D01.2]'));
    expect(() => loadInterviewGuide(dir, loadFramework(dir))).toThrow(/D01: no prompt covers D01\.4/);
  });

  it("refuses a prompt that cites another domain's criterion", () => {
    const dir = brokenCopy((t) => t.replace(/criteria: \[D01\.2, D01\.4\]/, 'criteria: [D01.2, D01.4, D02.1]'));
    expect(() => loadInterviewGuide(dir, loadFramework(dir))).toThrow(/D01-P2: D02\.1 is not a criterion of D01/);
  });
});
