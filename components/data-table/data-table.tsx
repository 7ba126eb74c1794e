'use client';

import {
  useTable,
  type PaginationState,
  type RowData,
  type RowSelectionState,
  type SortingState,
  type Updater,
} from '@tanstack/react-table';
import { Fragment, useMemo, type ReactNode } from 'react';
import { dataTableFeatures, type DataTableColumns } from './features';
import { Pagination } from './pagination';
import { useUrlParams } from './use-url-params';

export interface DataTableProps<TData extends RowData> {
  /** Accessible name of the table (aria-label), e.g. "Jobs". */
  label: string;
  /** Optional visible caption. */
  caption?: ReactNode;
  columns: DataTableColumns<TData>;
  /** One page of rows, already filtered, sorted and sliced by the server. */
  data: TData[];
  getRowId: (row: TData) => string;
  /** Rows matching the filters on the server (for the pagination). */
  total: number;
  /** false: `total` is a lower bound (the server stopped counting). Default true. */
  totalExact?: boolean;
  /**
   * Keyset paging: the URL `cursor` of the next, previous and last pages (null: none). When
   * given, the page buttons write `cursor` instead of `page`.
   */
  cursors?: { next: string | null; prev: string | null; last: string | null };
  /** 1-based page shown. */
  page: number;
  pageSize: number;
  /** Page size the server uses when the URL names none (kept out of the URL). */
  defaultPageSize?: number;
  pageSizeOptions?: number[];
  /** The URL `sort` value ("name", "-nextRunAt"); sortable columns' ids are sort keys. */
  sort?: string;
  /** The sort in effect when the URL names none. */
  defaultSort?: string;
  /** Plural noun for the pagination summary ("jobs"). */
  noun?: string;
  /** Content of an expanded row's detail line; rows with null cannot expand. */
  renderDetails?: (row: TData) => ReactNode | null;
  /**
   * Selected row ids (controlled; ids of rows not on this page are kept). Give it with
   * `onRowSelectionChange` and a `selectColumn` to make rows selectable.
   */
  rowSelection?: RowSelectionState;
  onRowSelectionChange?: (updater: Updater<RowSelectionState>) => void;
  className?: string;
}

const NO_SELECTION: RowSelectionState = {};

/** Shift-click on a row's checkbox selects the range from the previously clicked row. */
const isShiftClick = (e: unknown) => (e as { nativeEvent?: { shiftKey?: boolean } }).nativeEvent?.shiftKey === true;

function sortingFromParam(sort: string | undefined): SortingState {
  if (!sort) return [];
  return sort.startsWith('-') ? [{ id: sort.slice(1), desc: true }] : [{ id: sort, desc: false }];
}

function resolve<T>(updater: Updater<T>, current: T): T {
  return typeof updater === 'function' ? (updater as (old: T) => T)(current) : updater;
}

/**
 * A generic table on TanStack Table v9 with server-side sorting and pagination: the state lives in
 * the URL (`sort`, `page` or `cursor`, `pageSize`), so changing it asks the server for the matching page.
 * Row selection, when asked for, is the caller's state, so it survives a refresh of the data.
 */
export function DataTable<TData extends RowData>(props: DataTableProps<TData>) {
  const { columns, data, total, page, pageSize, defaultPageSize = 20, noun = 'rows', renderDetails } = props;
  const { setParams, isPending } = useUrlParams();
  const sortParam = props.sort ?? props.defaultSort;
  // Controlled slices are compared by reference: keep them stable between renders.
  const sorting = useMemo(() => sortingFromParam(sortParam), [sortParam]);
  const pagination = useMemo<PaginationState>(() => ({ pageIndex: page - 1, pageSize }), [page, pageSize]);
  const rowSelection = props.rowSelection ?? NO_SELECTION;

  const table = useTable({
    features: dataTableFeatures,
    columns,
    data,
    getRowId: props.getRowId,
    state: { sorting, pagination, rowSelection },
    manualSorting: true,
    manualPagination: true,
    rowCount: total,
    enableMultiSort: false,
    enableSortingRemoval: false,
    autoResetPageIndex: false,
    autoResetExpanded: false,
    getRowCanExpand: (row) => (renderDetails ? renderDetails(row.original) !== null : false),
    enableRowSelection: Boolean(props.onRowSelectionChange),
    isRowRangeSelectionEvent: isShiftClick,
    onRowSelectionChange: props.onRowSelectionChange,
    onSortingChange: (updater) => {
      const [first] = resolve(updater, sorting);
      const value = first ? `${first.desc ? '-' : ''}${first.id}` : null;
      setParams({ sort: value === props.defaultSort ? null : value }, { resetPage: true });
    },
    onPaginationChange: (updater) => {
      const next = resolve(updater, pagination);
      setParams({
        page: next.pageIndex > 0 ? next.pageIndex + 1 : null,
        pageSize: next.pageSize === defaultPageSize ? null : next.pageSize,
      });
    },
  });

  const columnCount = table.getAllLeafColumns().length;
  const { cursors } = props;
  const toCursor = (cursor: string | null) => () => setParams({ cursor, page: null });

  return (
    <div className={`data-table ${props.className ?? ''}`} aria-busy={isPending || undefined}>
      <div className="table-scroll">
        <table className="table" aria-label={props.label}>
          {props.caption ? <caption>{props.caption}</caption> : null}
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const canSort = header.column.getCanSort();
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      className={`col-${header.column.id}`}
                      aria-sort={sorted ? (sorted === 'desc' ? 'descending' : 'ascending') : canSort ? 'none' : undefined}
                    >
                      {header.isPlaceholder ? null : canSort ? (
                        <button type="button" className="sort-button" onClick={header.column.getToggleSortingHandler()}>
                          <table.FlexRender header={header} />
                          <span className="sort-indicator" aria-hidden="true">
                            {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}
                          </span>
                        </button>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map((row) => {
              const expanded = row.getIsExpanded() && renderDetails ? renderDetails(row.original) : null;
              return (
                <Fragment key={row.id}>
                  <tr className={[expanded ? 'is-expanded' : '', row.getIsSelected() ? 'is-selected' : ''].join(' ').trim() || undefined}>
                    {row.getAllCells().map((cell) => (
                      <td key={cell.id} className={`col-${cell.column.id}`}>
                        <table.FlexRender cell={cell} />
                      </td>
                    ))}
                  </tr>
                  {expanded ? (
                    <tr className="detail-row" id={detailRowId(props.label, row.id)}>
                      <td colSpan={columnCount}>{expanded}</td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
      <Pagination
        label={`${props.label} pagination`}
        page={page}
        pageSize={pageSize}
        total={total}
        totalExact={props.totalExact}
        rows={data.length}
        noun={noun}
        pageCount={table.getPageCount()}
        pageSizeOptions={props.pageSizeOptions ?? [10, 20, 50, 100]}
        busy={isPending}
        {...(cursors
          ? {
              canPrevious: Boolean(cursors.prev),
              canNext: Boolean(cursors.next),
              canLast: Boolean(cursors.next && cursors.last),
              onFirst: toCursor(null),
              onPrevious: toCursor(cursors.prev),
              onNext: toCursor(cursors.next),
              onLast: toCursor(cursors.last),
              onPageSize: (size: number) => setParams({ pageSize: size === defaultPageSize ? null : size }, { resetPage: true }),
            }
          : {
              canPrevious: table.getCanPreviousPage(),
              canNext: table.getCanNextPage(),
              onFirst: () => table.firstPage(),
              onPrevious: () => table.previousPage(),
              onNext: () => table.nextPage(),
              onLast: () => table.lastPage(),
              onPageSize: (size: number) => table.setPagination({ pageIndex: 0, pageSize: size }),
            })}
      />
    </div>
  );
}

/** The id of a row's detail line, for aria-controls on its toggle. */
export function detailRowId(tableLabel: string, rowId: string): string {
  return `${tableLabel.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-detail-${rowId}`;
}
