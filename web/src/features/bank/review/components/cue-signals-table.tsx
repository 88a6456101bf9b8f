import type { ItemForReview } from '../api/item-review';
import { CUE_LABELS, optionLetter } from './labels';

const RANK_WORDS: Record<number, string> = { 1: 'longest', 4: 'shortest' };
/** Options of equal length share the mean of their ranks (2.5 = tied for 2nd and 3rd): show the span. */
function rankText(option: { length: number; lengthRank: number }, options: Array<{ length: number }>): string {
  const tiedWith = options.filter((o) => o.length === option.length).length - 1;
  if (tiedWith === 0)
    return `${option.lengthRank} of ${options.length}${RANK_WORDS[option.lengthRank] ? ` (${RANK_WORDS[option.lengthRank]})` : ''}`;
  return `${option.lengthRank - tiedWith / 2}–${option.lengthRank + tiedWith / 2} of ${options.length} (tied)`;
}

/** What a test-wise candidate could use to find the key without reading the stem, option by option. */
export function CueSignalsTable({ options }: { options: ItemForReview['options'] }) {
  return (
    <section aria-labelledby="itemreview-cues-heading">
      <h2 id="itemreview-cues-heading">Cue signals</h2>
      <p>
        Look for a key that stands out from the distractors in form rather than substance — the longest or shortest option, the only one
        with (or without) a cue word, or the one that repeats most of the PSF’s wording — since a test-wise candidate can pick it without
        the competence the item tests.
      </p>
      <table className="itemreview-cues">
        <caption>Cue signals per option</caption>
        <thead>
          <tr>
            <th scope="col">Option</th>
            <th scope="col">Length (characters)</th>
            <th scope="col">Length rank</th>
            <th scope="col">Cue word families found</th>
            <th scope="col">PSF-wording words</th>
          </tr>
        </thead>
        <tbody>
          {options.map((o, i) => (
            <tr key={i}>
              <th scope="row">
                {optionLetter(i)}
                {o.key ? ' (key)' : ''}
              </th>
              <td>{o.length}</td>
              <td>{rankText(o, options)}</td>
              <td>{o.cues.length ? o.cues.map((c) => CUE_LABELS[c] ?? c).join('; ') : 'none'}</td>
              <td>{o.psfOverlap}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
