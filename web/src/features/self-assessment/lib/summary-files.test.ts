import { describe, expect, it } from 'vitest';
import type { FrameworkDomain } from './scoring';
import { selfAssessmentCsv, selfAssessmentJson } from './summary-files';

const DOMAINS: FrameworkDomain[] = [
  { code: 'D01', title: 'Governance, "risk" & roles', criteria: [{ code: 'D01.1', text: 'Owners are named, and accountable' }] },
  { code: 'D02', title: 'Data', criteria: [{ code: 'D02.1', text: '=HYPERLINK("x")' }] },
];

describe('selfAssessmentCsv', () => {
  it('writes one quoted-as-needed row per criterion, unrated ones with an empty rating', () => {
    expect(selfAssessmentCsv(DOMAINS, { 'D01.1': 2 }).split('\r\n')).toEqual([
      'criterion,criterion_text,domain,domain_title,rating,rating_label',
      'D01.1,"Owners are named, and accountable",D01,"Governance, ""risk"" & roles",2,Mostly in place',
      `D02.1,"'=HYPERLINK(""x"")",D02,Data,,Unrated`,
      '',
    ]);
  });
});

describe('selfAssessmentJson', () => {
  it('carries the ratings, the scores per domain and the attribution', () => {
    const json = JSON.parse(selfAssessmentJson(DOMAINS, { 'D01.1': 3 }, 'PSF v1.0, CC BY 4.0', new Date('2026-12-03T10:00:00Z')));
    expect(json).toEqual({
      format: 'psf-self-assessment/1',
      exportedAt: '2026-12-03T10:00:00.000Z',
      attribution: 'PSF v1.0, CC BY 4.0',
      ratings: { 'D01.1': 3 },
      domains: [
        { domain: 'D01', points: 3, maxPoints: 3, percent: 100, rated: 1 },
        { domain: 'D02', points: 0, maxPoints: 3, percent: 0, rated: 0 },
      ],
    });
  });
});
