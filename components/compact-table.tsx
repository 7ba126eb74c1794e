import type { ReactNode } from 'react';

/**
 * A compact table in a flush card that scrolls sideways on narrow screens: the frame the
 * overview's tables and the instances panel share. `children` are the body rows.
 */
export function CompactTable({ className, labelledBy, columns, children }: { className: string; labelledBy: string; columns: string[]; children: ReactNode }) {
  return (
    <div className="card card-flush">
      <div className="table-scroll">
        <table className={`table table-compact ${className}`} aria-labelledby={labelledBy}>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{children}</tbody>
        </table>
      </div>
    </div>
  );
}
