import type { ReactNode } from 'react';
import { EmptyOr } from './EmptyOr';

/** One column of a DataTable. */
export interface Column<T> {
  /** The column header; for an actions column, visually hidden text. */
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** Right-aligned tabular figures (money, counts). */
  numeric?: boolean;
  /** Extra class of each cell, e.g. `table__actions`. */
  className?: string;
  /** `data-testid` of each cell. */
  testId?: string;
}

/**
 * The app's table: a labelled `<table>` that scrolls sideways on a narrow screen, whose first
 * column heads each row; with `empty`, a muted line instead when there are no rows.
 */
export function DataTable<T>({
  label,
  rows,
  rowKey,
  rowTestId,
  columns,
  empty,
  emptyTestId,
  testId,
  framed = false,
}: {
  /** The table's accessible name. */
  label: string;
  rows: readonly T[];
  rowKey: (row: T) => string;
  rowTestId?: (row: T) => string;
  columns: Column<T>[];
  /** What to say when there are no rows; without it an empty table is shown. */
  empty?: ReactNode;
  emptyTestId?: string;
  testId?: string;
  /** Draw the table on a card. */
  framed?: boolean;
}) {
  const table = (
    <div className={framed ? 'table-wrap card' : 'table-wrap'}>
      <table className="table" aria-label={label} data-testid={testId}>
        <thead>
          <tr>
            {columns.map((column, index) => (
              <th
                // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional and fixed
                key={index}
                scope="col"
                className={column.numeric ? 'table__number' : undefined}
              >
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} data-testid={rowTestId?.(row)}>
              {columns.map((column, index) => {
                // The first column names the row, for screen readers reading a cell's row.
                const Cell = index === 0 ? 'th' : 'td';
                const className = [column.numeric ? 'table__number' : '', column.className ?? '']
                  .filter(Boolean)
                  .join(' ');
                return (
                  <Cell
                    // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional and fixed
                    key={index}
                    scope={index === 0 ? 'row' : undefined}
                    className={className || undefined}
                    data-testid={column.testId}
                  >
                    {column.cell(row)}
                  </Cell>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  if (empty === undefined) return table;
  return (
    <EmptyOr items={rows} empty={empty} emptyTestId={emptyTestId}>
      {() => table}
    </EmptyOr>
  );
}
