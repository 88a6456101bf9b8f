import { Link } from 'react-router';
import { ListTable } from '../../../../components/list-table';
import { ListFilters } from '../../../../components/list-filters';
import { Page } from '../../../../components/page';
import { useListParams } from '../../../../lib/list-params';
import { type AdminAttempt, ATTEMPT_FILTERS, downloadAttemptsCsv, useAttempts } from '../api/exam-admin';

const STATUS_WORDS: Record<AdminAttempt['status'], string> = { in_progress: 'In progress', submitted: 'Submitted', expired: 'Expired' };

/** Every AIDA attempt, for administrators: search by candidate, filter by status, result and day started, sort, page, export. */
export function AttemptsPage() {
  const list = useListParams(ATTEMPT_FILTERS, { sort: 'startedAt', order: (sort) => (sort === 'candidate' ? 'asc' : 'desc') });
  const attempts = useAttempts(list.query);

  return (
    <Page title="AIDA attempts">
      <p>
        Every attempt at the AIDA examination. Exam settings and accommodations are on the <Link to="/admin/exam">AIDA examination</Link>{' '}
        page.
      </p>
      <ListFilters list={list} label="Find attempts">
        {(field) => (
          <>
            <div className="field">
              <label htmlFor="attempts-query">Candidate name or e-mail address</label>
              <input id="attempts-query" type="search" {...field('query')} />
            </div>
            <div className="field">
              <label htmlFor="attempts-status">Status</label>
              <select id="attempts-status" {...field('status')}>
                <option value="">Any status</option>
                {Object.entries(STATUS_WORDS).map(([value, words]) => (
                  <option key={value} value={value}>
                    {words}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="attempts-result">Result</label>
              <select id="attempts-result" {...field('result')}>
                <option value="">Any result</option>
                <option value="passed">Passed</option>
                <option value="failed">Failed</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="attempts-from">Started from</label>
              <input id="attempts-from" type="date" {...field('from')} />
            </div>
            <div className="field">
              <label htmlFor="attempts-to">Started until</label>
              <input id="attempts-to" type="date" {...field('to')} />
            </div>
          </>
        )}
      </ListFilters>
      <ListTable<AdminAttempt>
        caption="AIDA attempts"
        noun={['attempt', 'attempts']}
        empty="No attempt matches this search."
        data={attempts.data}
        loading={attempts.isFetching}
        error={attempts.error}
        rowKey={(a) => a.id}
        {...list.table}
        onExport={() => downloadAttemptsCsv(list.filtersQuery)}
        columns={[
          {
            header: 'Candidate',
            rowHeader: true,
            sortKey: 'candidate',
            cell: (a) => (
              <>
                <Link to={`/admin/people/${a.userId}`}>{a.candidateName}</Link> <span className="hint">{a.candidateEmail}</span>
              </>
            ),
          },
          {
            header: 'Started',
            sortKey: 'startedAt',
            cell: (a) => <time dateTime={a.startedAt}>{new Date(a.startedAt).toLocaleString()}</time>,
          },
          {
            header: 'Submitted',
            sortKey: 'submittedAt',
            cell: (a) => (a.submittedAt ? <time dateTime={a.submittedAt}>{new Date(a.submittedAt).toLocaleString()}</time> : '—'),
          },
          { header: 'Status', cell: (a) => STATUS_WORDS[a.status] },
          {
            header: 'Score',
            sortKey: 'scorePercent',
            className: 'numeric',
            cell: (a) => (a.scorePercent === null ? '—' : `${a.scorePercent}%`),
          },
          { header: 'Result', cell: (a) => (a.passed === null ? '—' : a.passed ? 'Passed' : 'Failed') },
        ]}
      />
    </Page>
  );
}
