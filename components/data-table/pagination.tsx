'use client';

import { useId } from 'react';

export interface PaginationProps {
  /** Accessible name of the navigation landmark. */
  label: string;
  page: number;
  pageSize: number;
  total: number;
  pageCount: number;
  noun: string;
  pageSizeOptions: number[];
  canPrevious: boolean;
  canNext: boolean;
  onFirst: () => void;
  onPrevious: () => void;
  onNext: () => void;
  onLast: () => void;
  onPageSize: (size: number) => void;
}

/** "Showing 21–40 of 57 jobs", page buttons and a rows-per-page select. */
export function Pagination(props: PaginationProps) {
  const sizeId = useId();
  const { page, pageSize, total, noun } = props;
  const from = total === 0 ? 0 : Math.min((page - 1) * pageSize + 1, total);
  const to = Math.min(page * pageSize, total);
  const pages = Math.max(props.pageCount, 1);
  const sizes = props.pageSizeOptions.includes(pageSize)
    ? props.pageSizeOptions
    : [...props.pageSizeOptions, pageSize].sort((a, b) => a - b);
  return (
    <nav className="pagination" aria-label={props.label}>
      <p className="pagination-summary muted">
        {from > to ? `Page ${page} is past the end: ${total} ${noun} in all` : `Showing ${from}–${to} of ${total} ${noun}`}
      </p>
      <div className="pagination-controls">
        <label htmlFor={sizeId} className="inline-label">
          Rows per page
        </label>
        <select id={sizeId} className="select-sm" value={pageSize} onChange={(e) => props.onPageSize(Number(e.target.value))}>
          {sizes.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <button type="button" className="btn btn-secondary btn-sm" onClick={props.onFirst} disabled={page <= 1} aria-label="First page">
          «
        </button>
        <button type="button" className="btn btn-secondary btn-sm" onClick={props.onPrevious} disabled={!props.canPrevious}>
          Previous<span className="visually-hidden"> page</span>
        </button>
        <span className="pagination-page">
          Page {page} of {pages}
        </span>
        <button type="button" className="btn btn-secondary btn-sm" onClick={props.onNext} disabled={!props.canNext}>
          Next<span className="visually-hidden"> page</span>
        </button>
        <button type="button" className="btn btn-secondary btn-sm" onClick={props.onLast} disabled={page >= pages} aria-label="Last page">
          »
        </button>
      </div>
    </nav>
  );
}
