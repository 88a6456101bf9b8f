import { describe, expect, it } from 'vitest';
import { completeness, guidanceFor, missingForSubmission, sizeText, wordCount } from './portfolio-fields';

const portfolio = {
  evidence: [
    { criterion: 'D01.1', text: 'Classification', narrative: '', attachments: [], updatedAt: null },
    { criterion: 'D01.2', text: 'Consent', narrative: '', attachments: [], updatedAt: null },
    { criterion: 'D02.1', text: 'Evaluation', narrative: '', attachments: [], updatedAt: null },
  ],
};

describe('portfolio editor figures', () => {
  it('counts criteria written in all and per domain, ignoring blank narratives', () => {
    const values = { 'evidence.D01.1': 'We classify.', 'evidence.D01.2': '   ', 'evidence.D02.1': 'Benchmarks.' };
    expect(completeness(values, portfolio)).toEqual({
      written: 2,
      total: 3,
      domains: [
        { code: 'D01', written: 1, total: 2 },
        { code: 'D02', written: 1, total: 1 },
      ],
    });
  });

  it('lists what a submission still needs, in page order, with the control each concerns', () => {
    const values = { 'context.system': 'Claims triage', 'context.organisation': 'Acme', 'evidence.D01.1': 'x' };
    expect(missingForSubmission(values, portfolio)).toEqual([
      { controlId: 'ctx-modelsUsed', message: 'Describe models used' },
      { controlId: 'ctx-usersAffected', message: 'Describe users affected' },
      { controlId: 'ctx-riskLevel', message: 'Choose the risk level' },
      { controlId: 'ev-D01.2', message: 'Write how you meet D01.2' },
      { controlId: 'ev-D02.1', message: 'Write how you meet D02.1' },
    ]);
  });

  it('counts words, states sizes and draws guidance from the criterion', () => {
    expect(wordCount('  We  classify\nevery type. ')).toBe(4);
    expect(wordCount('   ')).toBe(0);
    expect(sizeText(21 * 1_048_576)).toBe('21 MB');
    expect(sizeText(1500)).toBe('2 KB');
    expect(guidanceFor('Consent chain documentation')).toMatch(/^Show how your deployment meets this: consent chain documentation\./);
  });
});
