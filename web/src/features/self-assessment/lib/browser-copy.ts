import { isRating, type Ratings } from './scoring';

/**
 * The answers kept in this browser (localStorage), so the self-assessment needs no account and survives a
 * reload. The key carries the format's version: a later format reads its own key and never misreads this one.
 */
export const BROWSER_COPY_KEY = 'psf.selfAssessment.v1';

export interface SelfAssessmentCopy {
  ratings: Ratings;
  /** ISO-8601: when it last changed (the browser's copy) or was saved (the account's). */
  updatedAt: string;
}

/** Only ratings on the scale survive, so a copy edited by hand or left by an older page cannot break the page. */
export function cleanRatings(value: unknown): Ratings {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter(([, r]) => isRating(r))) as Ratings;
}

export function readBrowserCopy(storage: Storage): SelfAssessmentCopy | null {
  try {
    const parsed = JSON.parse(storage.getItem(BROWSER_COPY_KEY) ?? 'null') as { ratings?: unknown; updatedAt?: unknown } | null;
    if (!parsed || typeof parsed.updatedAt !== 'string' || Number.isNaN(Date.parse(parsed.updatedAt))) return null;
    return { ratings: cleanRatings(parsed.ratings), updatedAt: parsed.updatedAt };
  } catch {
    return null;
  }
}

export function writeBrowserCopy(storage: Storage, copy: SelfAssessmentCopy): void {
  try {
    storage.setItem(BROWSER_COPY_KEY, JSON.stringify(copy));
  } catch {
    // Storage full or disabled (private mode): the page still works, it just will not remember.
  }
}

export function clearBrowserCopy(storage: Storage): void {
  storage.removeItem(BROWSER_COPY_KEY);
}

export type CopySource = 'browser' | 'account';

/** When this browser and the account both hold one, the newer wins (ties go to the browser's, which is already shown). */
export function newerCopy(
  browser: SelfAssessmentCopy | null,
  account: SelfAssessmentCopy | null,
): { copy: SelfAssessmentCopy; source: CopySource } | null {
  if (account && (!browser || Date.parse(account.updatedAt) > Date.parse(browser.updatedAt))) return { copy: account, source: 'account' };
  return browser ? { copy: browser, source: 'browser' } : null;
}
