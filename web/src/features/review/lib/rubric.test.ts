import { describe, expect, it } from 'vitest';
import { emptyState, fromDraft, problemsOf, toDraft } from './rubric';

const criteria = ['D01.1', 'D01.2'];
const domains = ['D01'];

describe('the reviewer rubric', () => {
  it('says every gap in plain words, at its control, in page order', () => {
    expect(problemsOf(emptyState(), criteria, domains)).toEqual([
      { controlId: 'score-D01.1-0', message: 'Choose a score for D01.1' },
      { controlId: 'score-D01.2-0', message: 'Choose a score for D01.2' },
      { controlId: 'met-D01-yes', message: 'Judge whether D01 is met' },
      { controlId: 'rec-pass', message: 'Choose your recommendation' },
    ]);
  });

  it('asks for a comment below 2 only, and is satisfied by a complete review', () => {
    const s = {
      scores: { 'D01.1': { score: 1, comment: ' ' }, 'D01.2': { score: 3, comment: '' } },
      domains: { D01: false },
      recommendation: 'revise' as const,
    };
    expect(problemsOf(s, criteria, domains)).toEqual([
      { controlId: 'note-D01.1', message: 'Say why D01.1 scores 1: a comment is needed below 2' },
    ]);
    s.scores['D01.1'].comment = 'No DPIA attached';
    expect(problemsOf(s, criteria, domains)).toEqual([]);
  });

  it('round-trips through the server draft, keeping what is not chosen yet as null', () => {
    const s = { scores: { 'D01.1': { score: 2, comment: '' } }, domains: {}, recommendation: null };
    const draft = toDraft(s, criteria, domains);
    expect(draft).toEqual({
      criterionScores: [
        { criterion: 'D01.1', score: 2, comment: undefined },
        { criterion: 'D01.2', score: null, comment: undefined },
      ],
      domainJudgements: [{ domain: 'D01', met: null }],
      recommendation: null,
    });
    expect(fromDraft(draft)).toEqual({
      scores: { 'D01.1': { score: 2, comment: '' }, 'D01.2': { score: null, comment: '' } },
      domains: { D01: null },
      recommendation: null,
    });
  });
});
