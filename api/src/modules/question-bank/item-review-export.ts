import type { ItemComment, ItemReview, ItemStageChange } from './item-review.repository';
import { reviewerName, type ReviewsFile } from './reviews-file';

/** The review records of the workflow, as the repository reads them. */
export interface ReviewRecords {
  reviews: ItemReview[];
  comments: ItemComment[];
  stages: ItemStageChange[];
}

/**
 * The platform's review records as question-bank/reviews.yaml holds them: per item, one entry per
 * reviewed content hash, oldest version first. Adoptions are written by people and kept from the file.
 */
export function reviewsFileFrom(existing: ReviewsFile | null, records: ReviewRecords): ReviewsFile {
  const items: ReviewsFile['items'] = {};
  const versionOf = (itemId: string, hash: string, version: number) => {
    const list = (items[itemId] ??= []);
    let entry = list.find((v) => v.contentHash === hash);
    if (!entry) list.push((entry = { contentHash: hash, version, reviews: [], comments: [], stages: [] }));
    return entry;
  };
  for (const r of records.reviews) {
    versionOf(r.itemId, r.contentHash, r.version).reviews.push({
      reviewer: reviewerName({ email: r.reviewerEmail, fullName: r.reviewerName }),
      date: r.createdAt.toISOString(),
      verdict: r.verdict,
      keyConfirmed: r.keyConfirmed,
      cueingOk: r.cueingOk,
      criterion: r.criterion,
      difficulty: r.difficulty,
      comment: r.comment,
    });
  }
  for (const c of records.comments) {
    versionOf(c.itemId, c.contentHash, c.version).comments.push({
      author: reviewerName({ email: c.authorEmail, fullName: c.authorName }),
      date: c.createdAt.toISOString(),
      body: c.body,
    });
  }
  for (const s of records.stages) {
    versionOf(s.itemId, s.contentHash, s.version).stages.push({
      from: s.fromStatus,
      to: s.toStatus,
      by: reviewerName({ email: s.actorEmail, fullName: s.actorName }),
      date: s.createdAt.toISOString(),
      comment: s.comment,
    });
  }
  for (const list of Object.values(items)) list.sort((a, b) => a.version - b.version);
  return { adoptions: existing?.adoptions ?? [], items };
}
