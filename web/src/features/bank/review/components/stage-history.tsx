import type { ItemForReview } from '../api/item-review';
import { STATUS_LABELS } from './labels';

const label = (status: string) => STATUS_LABELS[status] ?? status;

/** The platform's stage decisions on the item, oldest first. */
export function StageHistory({ item }: { item: ItemForReview }) {
  return (
    <section aria-labelledby="itemreview-stages-heading">
      <h2 id="itemreview-stages-heading">Stage history</h2>
      {item.stages.length === 0 ? (
        <p>No stage change in the platform yet: the item is {label(item.status).toLowerCase()} as its bank file says.</p>
      ) : (
        <table className="itemreview-stages">
          <caption>Stage changes of {item.id} in the platform</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Version</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">By</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {item.stages.map((s, i) => (
              <tr key={i}>
                <td>
                  <time dateTime={s.createdAt}>{new Date(s.createdAt).toLocaleString()}</time>
                </td>
                <td>{s.version}</td>
                <td>{label(s.from)}</td>
                <td>{label(s.to)}</td>
                <td>{s.by}</td>
                <td>{s.comment || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
