import { Link, useLocation } from 'react-router';
import { ListTable } from '../../../../components/list-table';
import { ListFilters } from '../../../../components/list-filters';
import { Page } from '../../../../components/page';
import { useListParams } from '../../../../lib/list-params';
import { downloadPeopleCsv, PEOPLE_FILTERS, type Person, ROLES, usePeople } from '../api/people';
import { StandingBadge } from '../components/standing-badge';

export function PeoplePage() {
  const list = useListParams(PEOPLE_FILTERS, { sort: 'createdAt', order: (sort) => (sort === 'createdAt' ? 'desc' : 'asc') });
  const { search } = useLocation();
  const people = usePeople(list.query);

  return (
    <Page title="People">
      <p>Everyone with an account: find a person to change their roles, deactivate or reactivate the account, or force a password reset.</p>
      <ListFilters list={list} label="Find people">
        {(field) => (
          <>
            <div className="field">
              <label htmlFor="people-query">Name or e-mail address</label>
              <input id="people-query" type="search" {...field('query')} />
            </div>
            <div className="field">
              <label htmlFor="people-role">Role</label>
              <select id="people-role" {...field('role')}>
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
              <select id="people-status" {...field('status')}>
                <option value="">Any status</option>
                <option value="active">Active</option>
                <option value="deactivated">Deactivated</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="people-from">Joined from</label>
              <input id="people-from" type="date" {...field('createdFrom')} />
            </div>
            <div className="field">
              <label htmlFor="people-to">Joined until</label>
              <input id="people-to" type="date" {...field('createdTo')} />
            </div>
          </>
        )}
      </ListFilters>
      <ListTable<Person>
        caption="People"
        noun={['person', 'people']}
        empty="Nobody matches this search."
        data={people.data}
        loading={people.isFetching}
        error={people.error}
        rowKey={(p) => p.id}
        {...list.table}
        onExport={() => downloadPeopleCsv(list.filtersQuery)}
        columns={[
          {
            header: 'Name',
            rowHeader: true,
            sortKey: 'fullName',
            cell: (p) => <Link to={`/admin/people/${p.id}${search}`}>{p.fullName}</Link>,
          },
          { header: 'E-mail', sortKey: 'email', cell: (p) => p.email },
          { header: 'Roles', cell: (p) => p.roles.join(', ') },
          { header: 'Status', cell: (p) => <StandingBadge person={p} /> },
          { header: 'Second factor', cell: (p) => (p.secondFactorEnabled ? 'Yes' : 'No') },
          {
            header: 'Joined',
            sortKey: 'createdAt',
            cell: (p) => <time dateTime={p.createdAt}>{new Date(p.createdAt).toLocaleDateString()}</time>,
          },
        ]}
      />
    </Page>
  );
}
