'use client';

import { useId } from 'react';
import { formatCount } from '@/components/charts/format';

export interface PaginationProps {
  /** Accessible name of the navigation landmark. */
  label: string;
  page: number;
  pageSize: number;
  total: number;
  /** Rows on this page (used when the total is a lower bound). */
  rows?: number;
  /** false: `total` is a lower bound (counting stopped); shown with a "+" (say "10,000+", or "500+" for a search). */
  totalExact?: boolean;
  pageCount: number;
  noun: string;
  pageSizeOptions: number[];
  canPrevious: boolean;
  canNext: boolean;
  /**
   * A new view (sort, filter, page) is loading: the page buttons, which belong to the view on
   * screen, wait until it has (a click meanwhile would page the old sort, say).
   */
  busy?: boolean;
  /** Whether "Last page" may be used (default: not on the last page by count). */
  canLast?: boolean;
  onFirst: () => void;
  onPrevious: () => void;
  onNext: () => void;
  onLast: () => void;
  onPageSize: (size: number) => void;
}

/** "Showing 21–40 of 57 jobs", page buttons and a rows-per-page select. */
export function Pagination(props: PaginationProps) {
  const sizeId = useId();
  const { page, pageSize, total, noun, totalExact = true } = props;
  // Past a capped count the rows shown are only known to exist: they bound the count from below.
  const from = !totalExact ? (page - 1) * pageSize + 1 : total === 0 ? 0 : Math.min((page - 1) * pageSize + 1, total);
  const to = totalExact ? Math.min(page * pageSize, total) : from + (props.rows ?? pageSize) - 1;
  const pages = Math.max(props.pageCount, 1);
  const busy = props.busy ?? false;
  const canLast = props.canLast ?? page < pages;
  const sizes = props.pageSizeOptions.includes(pageSize)
    ? props.pageSizeOptions
    : [...props.pageSizeOptions, pageSize].sort((a, b) => a - b);
  return (
    <nav className="pagination" aria-label={props.label}>
      <p className="pagination-summary muted">
        {from > to
          ? `Page ${page} is past the end: ${formatCount(total)} ${noun} in all`
          : `Showing ${formatCount(from)}–${formatCount(to)} of ${formatCount(Math.max(total, to), totalExact)} ${noun}`}
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
        <button type="button" className="btn btn-secondary btn-sm" onClick={props.onFirst} disabled={busy || page <= 1} aria-label="First page">
          «
        </button>
        <button type="button" className="btn btn-secondary btn-sm" onClick={props.onPrevious} disabled={busy || !props.canPrevious}>
          Previous<span className="visually-hidden"> page</span>
        </button>
        <span className="pagination-page">
          {totalExact ? `Page ${formatCount(page)} of ${formatCount(pages)}` : `Page ${formatCount(page)} of ${formatCount(Math.max(pages, page))}+`}
        </span>
        <button type="button" className="btn btn-secondary btn-sm" onClick={props.onNext} disabled={busy || !props.canNext}>
          Next<span className="visually-hidden"> page</span>
        </button>
        <button type="button" className="btn btn-secondary btn-sm" onClick={props.onLast} disabled={busy || !canLast} aria-label="Last page">
          »
        </button>
      </div>
    </nav>
  );
}
