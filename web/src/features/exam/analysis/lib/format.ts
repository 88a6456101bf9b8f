import type { ExamWindow, FlagLimits, ItemFlag } from '../api/analysis';

export const DASH = '—';

/** A proportion as a percentage. */
export const percent = (x: number | null | undefined, digits = 0): string =>
  x === null || x === undefined ? DASH : `${(x * 100).toFixed(digits)}%`;

/** A correlation or index with two decimals, a true minus sign for negatives. */
export const decimal = (x: number | null | undefined, digits = 2): string =>
  x === null || x === undefined
    ? DASH
    : x
        .toFixed(digits)
        .replace(/^-/, '−')
        .replace(/^−(0\.0+)$/, '$1');

/** Where a pass mark comes from, in words (complete the sentence “The pass mark is 70%, …”). */
export const SOURCE_WORDS: Record<ExamWindow['source'], string> = {
  blueprint: 'from the blueprint',
  admin_decision: 'set by an administrator',
  standard_setting: 'from a standard-setting study',
};

const SOURCE_SHORT: Record<ExamWindow['source'], string> = {
  blueprint: 'blueprint',
  admin_decision: 'admin decision',
  standard_setting: 'standard-setting study',
};

export const windowStart = (w: ExamWindow): string => (w.startsAt ? new Date(w.startsAt).toLocaleString() : 'the start');

/** How a window is named in the picker: its start, pass mark and source. */
export function windowLabel(w: ExamWindow): string {
  return `From ${windowStart(w)}: pass mark ${w.passMarkPercent}% (${SOURCE_SHORT[w.source]}), ${w.attempts} ${w.attempts === 1 ? 'attempt' : 'attempts'}`;
}

export const FLAG_WORDS: Record<ItemFlag, string> = {
  too_hard: 'too hard',
  too_easy: 'too easy',
  low_discrimination: 'weak discrimination',
  weak_distractor: 'weak distractor',
  positive_distractor: 'distractor draws strong candidates',
  insufficient_data: 'too few responses',
};

/** What each flag means, with the limits the server applied. */
export function flagExplanation(flag: ItemFlag, limits: FlagLimits): string {
  switch (flag) {
    case 'too_hard':
      return `Fewer than ${percent(limits.minFacility)} of candidates answered correctly.`;
    case 'too_easy':
      return `More than ${percent(limits.maxFacility)} of candidates answered correctly, so it separates almost no one.`;
    case 'low_discrimination':
      return `The point-biserial is below ${decimal(limits.minPointBiserial)}: stronger candidates are hardly more likely to answer it correctly than weaker ones.`;
    case 'weak_distractor':
      return `A wrong option was chosen by fewer than ${percent(limits.minDistractorShare)} of candidates, so it does not work as a distractor.`;
    case 'positive_distractor':
      return `A wrong option is chosen more by candidates who score higher on the rest of the exam: check the key and that option's wording.`;
    case 'insufficient_data':
      return `Fewer than ${limits.minN} responses: the statistics are not yet reliable enough to judge the item.`;
  }
}

/** Flags that say something about the item's quality (not just that the sample is small). */
export const qualityFlags = (flags: readonly ItemFlag[]): ItemFlag[] => flags.filter((f) => f !== 'insufficient_data');

export const ROLE_WORDS = { scored: 'scored', pretest: 'pretest', both: 'scored and pretest' } as const;

/** Item id with its version, the way an admin refers to it. */
export const itemName = (i: { itemId: string; version?: number }) => (i.version ? `${i.itemId} v${i.version}` : i.itemId);
