import { useId, useMemo, useState } from 'react';
import { Link } from 'react-router';
import type { FlagLimits, ItemAnalysis } from '../api/analysis';
import { decimal, FLAG_WORDS, flagExplanation, itemName, percent, qualityFlags, ROLE_WORDS } from '../lib/format';
import { LazyDetails } from './lazy-details';

type SortKey = 'item' | 'domain' | 'n' | 'facility' | 'pointBiserial' | 'upperLower' | 'exposure' | 'flags';
type Direction = 'ascending' | 'descending';

// Long tables are shown a page at a time: the flagged and sorted top is what an admin acts on.
const PAGE = 50;

const COLUMNS: Array<{ key: SortKey; label: string }> = [
  { key: 'item', label: 'Item' },
  { key: 'domain', label: 'Domain' },
  { key: 'n', label: 'Responses' },
  { key: 'facility', label: 'Facility' },
  { key: 'pointBiserial', label: 'Point-biserial' },
  { key: 'upperLower', label: 'Upper–lower' },
  { key: 'exposure', label: 'Exposure' },
  { key: 'flags', label: 'Flags' },
];

// Quality flags weigh more than a small sample, so "most flagged" puts the items to act on first.
const flagWeight = (i: ItemAnalysis) => qualityFlags(i.flags).length * 2 + (i.flags.includes('insufficient_data') ? 1 : 0);

const sortValue = (i: ItemAnalysis, key: SortKey): string | number | null => {
  switch (key) {
    case 'item':
      return `${i.itemId}#${String(i.version).padStart(4, '0')}`;
    case 'domain':
      return i.domain;
    case 'flags':
      return flagWeight(i);
    default:
      return i[key];
  }
};

/** Items with no figure (too few responses) stay at the bottom whichever way the column is sorted. */
function compare(a: ItemAnalysis, b: ItemAnalysis, key: SortKey, direction: Direction): number {
  const x = sortValue(a, key);
  const y = sortValue(b, key);
  if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
  const order = typeof x === 'string' ? x.localeCompare(String(y)) : x - (y as number);
  return (direction === 'ascending' ? order : -order) || a.itemId.localeCompare(b.itemId) || a.version - b.version;
}

/** The item statistics, sortable by any figure and filtered by domain, role and flags; each item opens its details. */
export function ItemsTable({
  items,
  limits,
  domainTitles,
  itemHref,
}: {
  items: ItemAnalysis[];
  limits: FlagLimits;
  domainTitles: Map<string, string>;
  itemHref: (versionId: string) => string;
}) {
  const id = useId();
  const [sort, setSort] = useState<{ key: SortKey; direction: Direction }>({ key: 'item', direction: 'ascending' });
  const [domain, setDomain] = useState('');
  const [role, setRole] = useState<'' | 'scored' | 'pretest'>('');
  const [flaggedOnly, setFlaggedOnly] = useState(false);
  const [limit, setLimit] = useState(PAGE);

  const domains = useMemo(() => [...new Set(items.map((i) => i.domain))].sort(), [items]);
  const shown = useMemo(
    () =>
      items
        .filter((i) => !domain || i.domain === domain)
        .filter((i) => !role || i.role === role || i.role === 'both')
        .filter((i) => !flaggedOnly || qualityFlags(i.flags).length > 0)
        .sort((a, b) => compare(a, b, sort.key, sort.direction)),
    [items, domain, role, flaggedOnly, sort],
  );
  const visible = shown.slice(0, limit);
  const showAll = () => {
    const next = shown[limit];
    setLimit(Number.POSITIVE_INFINITY);
    // Focus goes to the first row that was hidden, so keyboard users carry on where they were.
    requestAnimationFrame(() => next && document.getElementById(`analysis-item-link-${next.versionId}`)?.focus());
  };
  const sortedBy = COLUMNS.find((c) => c.key === sort.key)!.label.toLowerCase();

  const toggle = (key: SortKey) =>
    setSort((s) => ({ key, direction: s.key === key && s.direction === 'ascending' ? 'descending' : 'ascending' }));

  return (
    <>
      <fieldset className="analysis-filters">
        <legend>Filter the items</legend>
        <div className="field">
          <label htmlFor={`${id}-domain`}>Domain</label>
          <select id={`${id}-domain`} value={domain} onChange={(e) => setDomain(e.target.value)}>
            <option value="">All domains</option>
            {domains.map((d) => (
              <option key={d} value={d}>
                {d} {domainTitles.get(d)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`}>Role</label>
          <select id={`${id}-role`} value={role} onChange={(e) => setRole(e.target.value as typeof role)}>
            <option value="">Scored and pretest</option>
            <option value="scored">Scored only</option>
            <option value="pretest">Pretest only</option>
          </select>
        </div>
        <div className="checkbox">
          <input id={`${id}-flagged`} type="checkbox" checked={flaggedOnly} onChange={(e) => setFlaggedOnly(e.target.checked)} />
          <label htmlFor={`${id}-flagged`}>Flagged only (not counting “too few responses”)</label>
        </div>
      </fieldset>
      <p role="status" className="analysis-count">
        Showing {visible.length} of {shown.length}{' '}
        {shown.length === items.length ? 'item versions' : `matching item versions (${items.length} in all)`}.
      </p>
      <div className="analysis-table-scroll">
        <table className="analysis-items">
          <caption>
            Item statistics, sorted by {sortedBy} ({sort.direction}). Facility is the share correct; point-biserial (corrected, against the
            rest of the exam) and upper–lower (top 27% minus bottom 27%) show how well an item separates stronger from weaker candidates;
            exposure counts the forms the item was drawn onto.
          </caption>
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th key={c.key} scope="col" aria-sort={sort.key === c.key ? sort.direction : undefined}>
                  <button type="button" className="analysis-sort" onClick={() => toggle(c.key)}>
                    {c.label}
                    <span aria-hidden="true" className="analysis-sort-mark">
                      {sort.key === c.key ? (sort.direction === 'ascending' ? '▲' : '▼') : '↕'}
                    </span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {visible.map((i) => (
              <tr key={i.versionId}>
                <th scope="row">
                  <Link id={`analysis-item-link-${i.versionId}`} to={itemHref(i.versionId)}>
                    {itemName(i)}
                  </Link>
                  <span className="hint analysis-role">
                    {ROLE_WORDS[i.role]}
                    {!i.current && ', older version'}
                  </span>
                </th>
                <td>{i.domain}</td>
                <td>{i.n}</td>
                <td>{percent(i.facility)}</td>
                <td>{decimal(i.pointBiserial)}</td>
                <td>{decimal(i.upperLower)}</td>
                <td>{i.exposure}</td>
                <td>
                  {i.flags.length === 0
                    ? 'none'
                    : i.flags.map((f, n) => (
                        <span key={f} className={f === 'insufficient_data' ? 'analysis-flag analysis-flag-thin' : 'analysis-flag'}>
                          {FLAG_WORDS[f]}
                          {n < i.flags.length - 1 ? ', ' : ''}
                        </span>
                      ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {shown.length > visible.length && (
        <p>
          <button type="button" className="button-secondary" onClick={showAll}>
            Show all {shown.length} item versions
          </button>
        </p>
      )}
      <LazyDetails summary="What the flags mean">
        <dl className="meta">
          {(Object.keys(FLAG_WORDS) as Array<keyof typeof FLAG_WORDS>).map((f) => (
            <FlagMeaning key={f} flag={f} limits={limits} />
          ))}
        </dl>
      </LazyDetails>
    </>
  );
}

function FlagMeaning({ flag, limits }: { flag: keyof typeof FLAG_WORDS; limits: FlagLimits }) {
  return (
    <>
      <dt>{FLAG_WORDS[flag]}</dt>
      <dd>{flagExplanation(flag, limits)}</dd>
    </>
  );
}
