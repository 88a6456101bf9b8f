import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { SortOrder, Sorting } from '../components/data-table';

export const DEFAULT_PAGE_SIZE = 25;
/** The most rows the list endpoints send in one page. */
export const MAX_PAGE_SIZE = 500;

/** The address keeps the page size only when someone chose one. */
function addressOf(query: Record<string, string | number>, params: URLSearchParams): Record<string, string | number | undefined> {
  return { ...query, pageSize: params.get('pageSize') ?? undefined };
}

export interface ListParams<F extends string> {
  /** The filters as the address holds them (absent ones left out). */
  filters: Partial<Record<F, string>>;
  page: number;
  pageSize: number;
  sort: string;
  order: SortOrder;
  /** What the list endpoint takes: the filters, the page, and the order when it is not the default. */
  query: Record<string, string | number>;
  setFilters: (filters: Partial<Record<F, string>>) => void;
  setPage: (page: number) => void;
  setPageSize: (pageSize: number) => void;
  /** Sorts by a column; choosing the sorted column again turns the order round. */
  sortBy: (key: string) => void;
  /** What a ListTable takes from this state: its sorting, paging and page-size handlers. */
  table: { sorting: Sorting; onPage: (page: number) => void; onPageSize: (pageSize: number) => void };
  /** The filters alone (no page or page size): what a CSV export of the list takes. */
  filtersQuery: Record<string, string | number>;
}

/**
 * A server-side list's state lives in the address, in the very parameters its API takes (so a
 * dashboard figure can link to the filtered list, and a link back keeps the results): the named
 * filters, `page`, `sort` and `order`. Changing a filter or the order goes back to page 1.
 */
export function useListParams<F extends string>(
  filterNames: readonly F[],
  defaults: { sort: string; order: (sort: string) => SortOrder; pageSize?: number },
): ListParams<F> {
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => {
    const filters: Partial<Record<F, string>> = {};
    for (const name of filterNames) {
      const value = params.get(name)?.trim();
      if (value) filters[name] = value;
    }
    const pageNumber = Number(params.get('page'));
    const page = Number.isInteger(pageNumber) && pageNumber > 1 ? pageNumber : 1;
    const sizeNumber = Number(params.get('pageSize'));
    const pageSize =
      Number.isInteger(sizeNumber) && sizeNumber >= 1 && sizeNumber <= MAX_PAGE_SIZE
        ? sizeNumber
        : (defaults.pageSize ?? DEFAULT_PAGE_SIZE);
    const sort = params.get('sort') || defaults.sort;
    const orderParam = params.get('order');
    const order: SortOrder = orderParam === 'asc' || orderParam === 'desc' ? orderParam : defaults.order(sort);
    const query: Record<string, string | number> = { ...(filters as Record<string, string>), pageSize };
    if (page > 1) query.page = page;
    if (params.get('sort')) query.sort = sort;
    if (orderParam) query.order = order;
    return { filters, page, pageSize, sort, order, query };
    // filterNames and defaults are fixed per list; the address is what changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [params]);

  const write = useCallback(
    (next: Record<string, string | number | undefined>) =>
      setParams(
        Object.fromEntries(
          Object.entries(next)
            .filter(([, v]) => v !== undefined && v !== '')
            .map(([k, v]) => [k, String(v)]),
        ),
      ),
    [setParams],
  );

  const setPage = (page: number) => write({ ...addressOf(state.query, params), page: page > 1 ? page : undefined });
  const setPageSize = (pageSize: number) => write({ ...addressOf(state.query, params), page: undefined, pageSize });
  const sortBy = (key: string) => {
    const order = key === state.sort ? (state.order === 'asc' ? 'desc' : 'asc') : defaults.order(key);
    write({ ...(state.filters as Record<string, string>), sort: key, order, pageSize: params.get('pageSize') ?? undefined });
  };
  const { page: _page, pageSize: _pageSize, ...filtersQuery } = state.query;
  return {
    ...state,
    filtersQuery,
    table: { sorting: { key: state.sort, order: state.order, onSort: sortBy }, onPage: setPage, onPageSize: setPageSize },
    setPage,
    setPageSize,
    sortBy,
    setFilters: (filters) =>
      write({
        ...filters,
        sort: params.get('sort') ?? undefined,
        order: params.get('order') ?? undefined,
        pageSize: params.get('pageSize') ?? undefined,
      }),
  };
}
