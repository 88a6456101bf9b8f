import { domainScores, type FrameworkDomain, isRating, RATING_SCALE, type Ratings } from './scoring';

/** A CSV field, quoted when it must be; a leading = + - @ is neutralised so a spreadsheet never runs it as a formula. */
function csvField(value: string | number): string {
  const text = String(value);
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One row per criterion, in the framework's order; an unrated criterion has an empty rating. */
export function selfAssessmentCsv(domains: FrameworkDomain[], ratings: Ratings): string {
  const rows: Array<Array<string | number>> = [['criterion', 'criterion_text', 'domain', 'domain_title', 'rating', 'rating_label']];
  for (const d of domains) {
    for (const c of d.criteria) {
      const r = ratings[c.code];
      const rated = isRating(r);
      rows.push([c.code, c.text, d.code, d.title, rated ? r : '', rated ? RATING_SCALE[r].label : 'Unrated']);
    }
  }
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** The same, machine-readable, with the per-domain scores and the framework's attribution (CC BY 4.0). */
export function selfAssessmentJson(domains: FrameworkDomain[], ratings: Ratings, attribution: string, exportedAt: Date): string {
  const rated = Object.fromEntries(Object.entries(ratings).filter(([, r]) => isRating(r)));
  const scores = domainScores(domains, ratings).map(({ code, points, maxPoints, percent, rated: n }) => ({
    domain: code,
    points,
    maxPoints,
    percent,
    rated: n,
  }));
  const body = { format: 'psf-self-assessment/1', exportedAt: exportedAt.toISOString(), attribution, ratings: rated, domains: scores };
  return JSON.stringify(body, null, 2) + '\n';
}
