/** One assessor's score for one domain: 0 not met, 1 partly met, 2 met, 3 exceeded. */
export interface DomainScore {
  domain: string;
  score: number;
}

export interface PanelOutcome {
  outcome: 'pass' | 'fail';
  domains: Array<{ domain: string; votes: number; met: boolean }>;
}

/**
 * The panel's result from three independent score sheets: a domain passes when at least
 * `passVotes` assessors scored it `metScore` or higher (default two of three at "met"); the
 * interview passes when every domain does.
 */
export function panelOutcome(sheets: DomainScore[][], domains: string[], metScore: number, passVotes: number): PanelOutcome {
  const results = domains.map((domain) => {
    const votes = sheets.filter((sheet) => (sheet.find((s) => s.domain === domain)?.score ?? -1) >= metScore).length;
    return { domain, votes, met: votes >= passVotes };
  });
  return { outcome: results.every((r) => r.met) ? 'pass' : 'fail', domains: results };
}
