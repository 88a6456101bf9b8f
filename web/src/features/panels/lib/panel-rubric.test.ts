import { describe, expect, it } from 'vitest';
import { criteriaAssessed, scoredCount, sheetFromDraft, sheetProblems, sheetToDraft } from './panel-rubric';

const domains = ['D01', 'D02'];

describe('the panel score sheet', () => {
  it('asks for a score on every domain, by name, at its first level', () => {
    expect(sheetProblems({}, domains, new Map([['D01', 'Data governance']]))).toEqual([
      { controlId: 'score-D01-0', message: 'Choose a score for D01 Data governance' },
      { controlId: 'score-D02-0', message: 'Choose a score for D02' },
    ]);
  });

  it('does not ask for notes, only keeps them within the limit; a fully scored sheet has no problems', () => {
    const sheet = { D01: { score: 0, notes: '' }, D02: { score: 3, notes: 'x'.repeat(4001) } };
    expect(sheetProblems(sheet, domains)).toEqual([
      { controlId: 'note-D02', message: 'Shorten the notes on D02 to 4000 characters or fewer' },
    ]);
    sheet.D02.notes = 'Raised failure modes unprompted';
    expect(sheetProblems(sheet, domains)).toEqual([]);
    expect(scoredCount(sheet, domains)).toBe(2);
  });

  it('round-trips through the server draft, keeping a score not chosen yet as null', () => {
    const draft = sheetToDraft({ D02: { score: 1, notes: 'Thin on evaluation' } }, domains);
    expect(draft).toEqual({
      domains: [
        { domain: 'D01', score: null, notes: '' },
        { domain: 'D02', score: 1, notes: 'Thin on evaluation' },
      ],
    });
    expect(sheetToDraft(sheetFromDraft(draft), domains)).toEqual(draft);
    expect(scoredCount(sheetFromDraft(draft), domains)).toBe(1);
    expect(sheetFromDraft(null)).toEqual({});
  });

  it("lists the criteria a domain's prompts look for, once each, in code order", () => {
    const d = {
      domain: 'D01',
      minutes: 9,
      lookFor: [],
      redFlags: [],
      prompts: [
        { id: 'P1', criteria: ['D01.3', 'D01.1'], prompt: '', followUps: [] },
        { id: 'P2', criteria: ['D01.1', 'D01.2'], prompt: '', followUps: [] },
      ],
    };
    expect(criteriaAssessed(d)).toEqual(['D01.1', 'D01.2', 'D01.3']);
  });
});
