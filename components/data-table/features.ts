import {
  createColumnHelper,
  rowExpandingFeature,
  rowPaginationFeature,
  rowSelectionFeature,
  rowSortingFeature,
  tableFeatures,
} from '@tanstack/react-table';
import type { ColumnDef, RowData } from '@tanstack/react-table';

/**
 * The TanStack Table v9 features every DataTable registers. Sorting and pagination run on the
 * server (manual modes), so no client row models are registered; expanding powers detail rows
 * and row selection the checkboxes of bulk actions.
 */
export const dataTableFeatures = tableFeatures({ rowSortingFeature, rowPaginationFeature, rowExpandingFeature, rowSelectionFeature });

export type DataTableFeatures = typeof dataTableFeatures;

/** Column definitions accepted by DataTable (each column keeps its own value type). */
export type DataTableColumns<TData extends RowData> = Array<ColumnDef<DataTableFeatures, TData, any>>;

/** A column helper bound to the DataTable features, for rows of type TData. */
export function dataColumnHelper<TData extends RowData>() {
  return createColumnHelper<DataTableFeatures, TData>();
}
