/**
 * What a candidate may declare about themselves, optionally, so the body can check that items work
 * the same for groups of equal ability (differential item functioning). Nothing here is required,
 * nothing is shown to reviewers, and an answer can be withdrawn at any time.
 */
export const CANDIDATE_ATTRIBUTES = {
  firstLanguage: {
    label: 'First language',
    question: 'Is English your first language?',
    values: { english: 'English', other: 'Another language' },
  },
  experience: {
    label: 'Experience',
    question: 'How long have you worked with AI systems in production?',
    values: { 'under-2': 'Under 2 years', '2-5': '2 to 5 years', 'over-5': 'Over 5 years' },
  },
} as const;

export type CandidateAttribute = keyof typeof CANDIDATE_ATTRIBUTES;
export const CANDIDATE_ATTRIBUTE_NAMES = Object.keys(CANDIDATE_ATTRIBUTES) as CandidateAttribute[];
export const attributeValues = (attribute: CandidateAttribute): string[] => Object.keys(CANDIDATE_ATTRIBUTES[attribute].values);
