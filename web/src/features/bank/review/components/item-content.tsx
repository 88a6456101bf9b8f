import type { ItemForReview } from '../api/item-review';
import { MIN_PRETEST_RESPONSES, optionLetter, REQUIRED_APPROVALS, STATUS_LABELS } from './labels';

/** The item as a reviewer needs it: its tags, stem, options with the key and rationales, reference and notes. */
export function ItemContent({ item }: { item: ItemForReview }) {
  return (
    <section aria-labelledby="itemreview-item-heading">
      <h2 id="itemreview-item-heading">The item</h2>
      <dl className="meta">
        <dt>Domain</dt>
        <dd>{item.domain}</dd>
        <dt>Criterion</dt>
        <dd>
          {item.criterion} — {item.criterionText}
        </dd>
        <dt>Difficulty (author’s)</dt>
        <dd>{item.difficulty}</dd>
        <dt>Status</dt>
        <dd>{STATUS_LABELS[item.status] ?? item.status}</dd>
        <dt>Version</dt>
        <dd>{item.version}</dd>
        <dt>Author</dt>
        <dd>{item.author ?? 'not recorded'}</dd>
        <dt>Approvals</dt>
        <dd>
          {item.approvals} of {REQUIRED_APPROVALS} for this version
        </dd>
        {item.status !== 'draft' && (
          <>
            <dt>Responses</dt>
            <dd>
              {item.responses} to this version in finished attempts
              {item.status === 'pretest' ? ` (${MIN_PRETEST_RESPONSES} needed to activate it)` : ''}
            </dd>
          </>
        )}
      </dl>
      <h3>Stem</h3>
      <p className="itemreview-stem">{item.stem}</p>
      <h3>Options</h3>
      <ol className="itemreview-options" type="A">
        {item.options.map((o, i) => (
          <li key={i} className={o.key ? 'itemreview-key' : undefined}>
            <p className="itemreview-option-text">
              <span className="visually-hidden">Option {optionLetter(i)}: </span>
              {o.key ? (
                <strong>
                  {o.text} <span className="itemreview-key-tag">(key)</span>
                </strong>
              ) : (
                o.text
              )}
            </p>
            <p className="hint">Rationale: {o.rationale}</p>
          </li>
        ))}
      </ol>
      <h3>Reference</h3>
      <p>{item.reference || 'None given.'}</p>
      <h3>Author’s notes</h3>
      <p>{item.notes}</p>
    </section>
  );
}
