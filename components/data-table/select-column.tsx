'use client';

import { useEffect, useRef, type InputHTMLAttributes } from 'react';
import type { RowData } from '@tanstack/react-table';
import { dataColumnHelper } from './features';

/** A checkbox that can also show the "some selected" (indeterminate) state. */
function Checkbox({ indeterminate = false, ...props }: InputHTMLAttributes<HTMLInputElement> & { indeterminate?: boolean }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = indeterminate && !props.checked;
  }, [indeterminate, props.checked]);
  return <input ref={ref} type="checkbox" className="row-select" {...props} />;
}

export interface SelectColumnOptions<TData> {
  /** Accessible name of a row's checkbox, e.g. `Select ${job.name}`. */
  rowLabel: (row: TData) => string;
  /** Accessible name of the header checkbox, e.g. "Select all jobs on this page". */
  allLabel: string;
}

/**
 * A leading checkbox column for DataTable's row selection: one checkbox per row (shift-click
 * selects a range) and one in the header that selects or clears every row on the page.
 */
export function selectColumn<TData extends RowData>({ rowLabel, allLabel }: SelectColumnOptions<TData>) {
  return dataColumnHelper<TData>().display({
    id: 'select',
    header: ({ table }) => (
      <Checkbox
        aria-label={allLabel}
        checked={table.getRowModel().rows.length > 0 && table.getIsAllPageRowsSelected()}
        indeterminate={table.getIsSomePageRowsSelected()}
        onChange={table.getToggleAllPageRowsSelectedHandler()}
      />
    ),
    cell: ({ row }) => (
      <Checkbox
        aria-label={rowLabel(row.original)}
        checked={row.getIsSelected()}
        disabled={!row.getCanSelect()}
        onChange={row.getToggleSelectedHandler()}
      />
    ),
  });
}
