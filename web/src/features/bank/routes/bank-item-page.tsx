import { Link, useParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { Page } from '../../../components/page';
import { useItem } from '../api/bank';

export function BankItemPage() {
  const { itemId = '' } = useParams();
  const item = useItem(itemId);
  return (
    <Page title={`Item ${itemId}`}>
      <p>
        <Link to="/admin/bank">Back to the question bank</Link>
      </p>
      <p>
        <Link to={`/reviewer/items/${itemId}`}>Review workflow for this item</Link>
      </p>
      {item.error && <Alert>{item.error.message}</Alert>}
      {item.data && (
        <>
          <dl className="meta">
            <dt>Domain</dt>
            <dd>{item.data.domain}</dd>
            <dt>Criterion</dt>
            <dd>{item.data.criterion}</dd>
            <dt>Status</dt>
            <dd>{item.data.status}</dd>
            <dt>File</dt>
            <dd>{item.data.sourceFile ?? '—'}</dd>
          </dl>
          <h2>Versions</h2>
          {item.data.versions.map((v) => (
            <section key={v.id} className="version" aria-labelledby={`v-${v.id}`}>
              <h3 id={`v-${v.id}`}>
                Version {v.version}
                {v.current ? ' (current)' : ''} · {v.difficulty} ·{' '}
                <time dateTime={v.createdAt}>{new Date(v.createdAt).toLocaleString()}</time>
              </h3>
              <p>{v.stem}</p>
              <ol type="a">
                {v.options.map((o) => (
                  <li key={o.id}>
                    {o.key ? <strong>{o.text} (key)</strong> : o.text}
                    <p className="hint">{o.rationale}</p>
                  </li>
                ))}
              </ol>
              <p className="hint">Author notes: {v.notes}</p>
            </section>
          ))}
        </>
      )}
    </Page>
  );
}
