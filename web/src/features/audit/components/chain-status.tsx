import { useAuditChain } from '../api/audit-chain';

/**
 * Whether the log's chain holds, at the top of the viewer: checked once per visit and announced politely
 * (role="status"), since the result arrives after the page and must not interrupt reading.
 */
export function ChainStatus() {
  const chain = useAuditChain();
  const report = chain.data;
  return (
    <section aria-labelledby="chain-heading" className="audit-chain">
      <h2 id="chain-heading">Chain verification</h2>
      <div role="status" className={report ? (report.valid ? 'chain-valid' : 'chain-broken') : undefined}>
        {chain.isPending && <p>Checking every link of the chain…</p>}
        {chain.error && <p>The chain could not be checked: {chain.error.message}</p>}
        {report?.valid && (
          <p>
            <strong>The chain verifies:</strong> all {report.checkedRows} entries link up, and {report.checkpoints}{' '}
            {report.checkpoints === 1 ? 'checkpoint' : 'checkpoints'} kept outside the database{' '}
            {report.checkpoints === 1 ? 'matches' : 'match'}
            {report.lastCheckpointAt && (
              <>
                {' '}
                (latest <time dateTime={report.lastCheckpointAt}>{utc(report.lastCheckpointAt)}</time>)
              </>
            )}
            .
          </p>
        )}
        {report && !report.valid && (
          <p>
            <strong>The chain does not verify</strong>
            {report.firstBrokenId ? `: the first bad entry is #${report.firstBrokenId}` : ''}. {report.reason} ({report.checkedRows} entries
            checked.)
          </p>
        )}
      </div>
    </section>
  );
}

/** A time as the audit viewer shows it: UTC, to the second (the filters' days are UTC days too). */
export function utc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}
