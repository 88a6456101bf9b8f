import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import type { BankItem, BankProblem } from './bank-files';
import { contentHash, contentOf } from './item-content';

/**
 * question-bank/reviews.yaml: the evidence, kept in git beside the items, that every item a
 * candidate can be shown was reviewed. Written by `npm run bank:export-reviews` from the platform's
 * review workflow; the adoptions section is written by people, with the decision spelled out.
 */
export const REVIEWS_FILE = 'reviews.yaml';
export const REQUIRED_APPROVALS = 2;

export interface ExportedReview {
  reviewer: string;
  date: string;
  verdict: 'approve' | 'changes_requested';
  keyConfirmed: boolean;
  cueingOk: boolean;
  criterion: string;
  difficulty: string;
  comment: string;
}

export interface ExportedVersion {
  contentHash: string;
  version: number;
  reviews: ExportedReview[];
  comments: Array<{ author: string; date: string; body: string }>;
  stages: Array<{ to: string; from: string; by: string; date: string; comment: string }>;
}

export interface Adoption {
  decision: string;
  adoptedBy: string;
  date: string;
  /** item id → the content hash adopted (an edit after adoption needs a review). */
  items: Record<string, string>;
}

export interface ReviewsFile {
  adoptions: Adoption[];
  items: Record<string, ExportedVersion[]>;
}

export const EMPTY_REVIEWS: ReviewsFile = { adoptions: [], items: {} };

export function readReviewsFile(bankDir: string): ReviewsFile | null {
  const file = path.join(bankDir, REVIEWS_FILE);
  if (!existsSync(file)) return null;
  const raw = (parse(readFileSync(file, 'utf8')) ?? {}) as Partial<ReviewsFile>;
  return { adoptions: raw.adoptions ?? [], items: raw.items ?? {} };
}

export function renderReviewsFile(reviews: ReviewsFile): string {
  const header = [
    '# Item reviews: the evidence that every pretest and active item was reviewed (question-bank/README.md,',
    '# "Item review"). `items` is written by `npm run bank:export-reviews` from the platform; do not edit it',
    '# by hand. `adoptions` records items a body took into service without the platform workflow, with why.',
    '',
  ].join('\n');
  const sortedItems = Object.fromEntries(Object.entries(reviews.items).sort(([a], [b]) => a.localeCompare(b)));
  return header + stringify({ adoptions: reviews.adoptions, items: sortedItems }, { lineWidth: 120 });
}

/** Whether a reviewer named like this is the item's author (authors may be written as a name or an e-mail). */
export function isAuthor(author: string | null, reviewer: { email: string; fullName: string }): boolean {
  if (!author) return false;
  const a = author.trim().toLowerCase();
  return a === reviewer.email.toLowerCase() || a === reviewer.fullName.trim().toLowerCase() || a.includes(`<${reviewer.email.toLowerCase()}>`);
}

/** The reviewer as the file names them: "Full Name <email>". */
export const reviewerName = (r: { email: string; fullName: string }) => `${r.fullName} <${r.email}>`;

function approvalsOf(version: ExportedVersion | undefined, author: string | null): number {
  if (!version) return 0;
  const approving = version.reviews.filter((r) => r.verdict === 'approve' && r.keyConfirmed && r.cueingOk);
  const people = new Set(
    approving
      .filter((r) => {
        const email = /<([^>]+)>/.exec(r.reviewer)?.[1] ?? '';
        return !isAuthor(author, { email, fullName: r.reviewer.replace(/\s*<[^>]*>$/, '') });
      })
      .map((r) => r.reviewer.toLowerCase()),
  );
  return people.size;
}

/**
 * Every item a candidate can be shown (pretest or active) must have, for its current content, two
 * approving reviews by people other than its author, or be listed in an adoption.
 */
export function checkReviewEvidence(items: BankItem[], reviews: ReviewsFile | null): BankProblem[] {
  const drawable = items.filter((i) => i.status === 'pretest' || i.status === 'active');
  if (!reviews) {
    return drawable.length
      ? [{ file: REVIEWS_FILE, line: 1, message: `${REVIEWS_FILE} is missing: ${drawable.length} pretest/active items have no review evidence` }]
      : [];
  }
  const problems: BankProblem[] = [];
  for (const item of drawable) {
    const hash = contentHash(contentOf(item));
    const adopted = reviews.adoptions.some((a) => a.items?.[item.id] === hash);
    const approvals = approvalsOf((reviews.items[item.id] ?? []).find((v) => v.contentHash === hash), item.author);
    if (adopted || approvals >= REQUIRED_APPROVALS) continue;
    problems.push({
      ...item.source,
      message:
        `item ${item.id}: ${item.status} but its current content has ${approvals} approving review${approvals === 1 ? '' : 's'} ` +
        `(needs ${REQUIRED_APPROVALS} by people other than its author, exported by \`npm run bank:export-reviews\`, or an adoption in ${REVIEWS_FILE}); ` +
        `set it to draft and have it reviewed in the platform`,
    });
  }
  return problems;
}

/** Which items the file's evidence covers and how, for the summary `bank:check` prints. */
export function evidenceSummary(items: BankItem[], reviews: ReviewsFile | null): { reviewed: number; adopted: number } {
  let reviewed = 0;
  let adopted = 0;
  for (const item of items.filter((i) => i.status === 'pretest' || i.status === 'active')) {
    const hash = contentHash(contentOf(item));
    if (approvalsOf((reviews?.items[item.id] ?? []).find((v) => v.contentHash === hash), item.author) >= REQUIRED_APPROVALS) reviewed += 1;
    else if (reviews?.adoptions.some((a) => a.items?.[item.id] === hash)) adopted += 1;
  }
  return { reviewed, adopted };
}

/** Rewrites one item's `status:` line in its bank file, leaving every other line as it was (export catches git up). */
export function setItemStatusInFile(file: string, itemId: string, status: string): void {
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((l) => new RegExp(`^\\s*- id: ${itemId}\\s*$`).test(l));
  if (start < 0) throw new Error(`${itemId} not found in ${file}`);
  for (let i = start + 1; i < lines.length && !/^\s*- id: /.test(lines[i]); i++) {
    if (/^\s+status: \S+\s*$/.test(lines[i])) {
      lines[i] = lines[i].replace(/status: \S+/, `status: ${status}`);
      writeFileSync(file, lines.join('\n'));
      return;
    }
  }
  throw new Error(`${itemId} has no status line in ${file}`);
}
