import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert } from '../../../../components/alert';
import { DataTable } from '../../../../components/data-table';
import { Page } from '../../../../components/page';
import { PAGE_SIZE, type PeopleSearch, type Person, ROLES, type Role, usePeople } from '../api/people';
import { paramsOf, searchOf } from '../lib/people-search';
import { StandingBadge } from '../components/standing-badge';

export function PeoplePage() {
  const [params, setParams] = useSearchParams();
  const search = searchOf(params);
  const [query, setQuery] = useState(search.query ?? '');
  const [role, setRole] = useState(search.role ?? '');
  const [status, setStatus] = useState(search.status ?? '');
  const people = usePeople(search);
  const page = search.page ?? 1;
  const pages = people.data ? Math.max(1, Math.ceil(people.data.total / PAGE_SIZE)) : 1;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setParams(
      paramsOf({
        query: query.trim() || undefined,
        role: (role || undefined) as Role,
        status: (status || undefined) as PeopleSearch['status'],
      }),
    );
  };
  const goTo = (n: number) => setParams(paramsOf({ ...search, page: n > 1 ? n : undefined }));

  return (
    <Page title="People">
      <p>Everyone with an account: find a person to change their roles, deactivate or reactivate the account, or force a password reset.</p>
      <form className="form people-search" role="search" aria-label="Find people" onSubmit={submit}>
        <div className="field">
          <label htmlFor="people-query">Name or e-mail address</label>
          <input id="people-query" type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="people-role">Role</label>
          <select id="people-role" value={role} onChange={(e) => setRole(e.target.value)}>
            <option value="">Any role</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="people-status">Status</label>
          <select id="people-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">Any status</option>
            <option value="active">Active</option>
            <option value="deactivated">Deactivated</option>
          </select>
        </div>
        <button type="submit">Search</button>
      </form>
      {people.error && <Alert>{people.error.message}</Alert>}
      <p role="status" className="result-count">
        {people.isPending || people.isPlaceholderData
          ? 'Searching…'
          : people.data &&
            `${people.data.total} ${people.data.total === 1 ? 'person' : 'people'} found${pages > 1 ? `; page ${page} of ${pages}` : ''}`}
      </p>
      {people.data && (
        <>
          <DataTable<Person>
            caption="People, newest first"
            captionHidden
            rows={people.data.items}
            rowKey={(p) => p.id}
            empty="Nobody matches this search."
            columns={[
              {
                header: 'Name',
                rowHeader: true,
                cell: (p) => <Link to={`/admin/people/${p.id}${params.size ? `?${params}` : ''}`}>{p.fullName}</Link>,
              },
              { header: 'E-mail', cell: (p) => p.email },
              { header: 'Roles', cell: (p) => p.roles.join(', ') },
              { header: 'Status', cell: (p) => <StandingBadge person={p} /> },
              { header: 'Second factor', cell: (p) => (p.secondFactorEnabled ? 'Yes' : 'No') },
              { header: 'Created', cell: (p) => <time dateTime={p.createdAt}>{new Date(p.createdAt).toLocaleDateString()}</time> },
            ]}
          />
          {pages > 1 && (
            <nav aria-label="Pages of people" className="actions">
              <button type="button" className="button-secondary" disabled={page <= 1} onClick={() => goTo(page - 1)}>
                Previous page
              </button>
              <button type="button" className="button-secondary" disabled={page >= pages} onClick={() => goTo(page + 1)}>
                Next page
              </button>
            </nav>
          )}
        </>
      )}
    </Page>
  );
}
