import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DataTable } from './DataTable';
import { EmptyOr } from './EmptyOr';

const rows = [
  { id: 'a', name: 'Acme', total: '5.000 OMR' },
  { id: 'b', name: 'Bolt', total: '7.000 OMR' },
];

describe('DataTable', () => {
  it('draws a labelled table whose first column heads each row', () => {
    render(
      <DataTable
        label="Orders"
        testId="orders"
        rows={rows}
        rowKey={(row) => row.id}
        rowTestId={(row) => `order-${row.id}`}
        empty="No orders yet."
        columns={[
          { header: 'Name', cell: (row) => row.name },
          { header: 'Total', numeric: true, testId: 'total', cell: (row) => row.total },
          {
            header: <span className="visually-hidden">Actions</span>,
            className: 'table__actions',
            cell: () => '…',
          },
        ]}
      />,
    );
    const table = screen.getByRole('table', { name: 'Orders' });
    expect(table.getAttribute('data-testid')).toBe('orders');
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((th) => th.textContent),
    ).toEqual(['Name', 'Total', 'Actions']);
    expect(
      within(table)
        .getAllByRole('rowheader')
        .map((th) => th.textContent),
    ).toEqual(['Acme', 'Bolt']);
    const total = within(screen.getByTestId('order-b')).getByTestId('total');
    expect(total.textContent).toBe('7.000 OMR');
    expect(total.className).toBe('table__number');
    expect(within(table).getAllByRole('columnheader')[1]?.className).toBe('table__number');
    expect(table.parentElement?.className).toBe('table-wrap');
    expect(screen.queryByText('No orders yet.')).toBeNull();
  });

  it('says there is nothing yet instead of an empty table, or shows the empty table when told nothing', () => {
    const columns = [{ header: 'Name', cell: (row: (typeof rows)[number]) => row.name }];
    const { rerender } = render(
      <DataTable
        label="Orders"
        rows={[]}
        rowKey={(row) => row.id}
        columns={columns}
        empty="No orders yet."
        emptyTestId="none"
      />,
    );
    expect(screen.getByTestId('none').textContent).toBe('No orders yet.');
    expect(screen.queryByRole('table')).toBeNull();

    rerender(<DataTable label="Team" rows={[]} rowKey={(row) => row.id} columns={columns} framed />);
    expect(screen.getByRole('table', { name: 'Team' }).parentElement?.className).toBe('table-wrap card');
  });
});

describe('EmptyOr', () => {
  it('renders the items through children, or a muted line when there are none', () => {
    const list = (items: readonly string[]) => (
      <EmptyOr items={items} empty="Nothing installed yet." emptyTestId="apps-empty">
        {(shown) => (
          <ul>
            {shown.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        )}
      </EmptyOr>
    );
    const { rerender } = render(list(['gitea']));
    expect(screen.getByRole('listitem').textContent).toBe('gitea');
    rerender(list([]));
    const empty = screen.getByTestId('apps-empty');
    expect(empty.textContent).toBe('Nothing installed yet.');
    expect(empty.className).toBe('muted');
    expect(screen.queryByRole('list')).toBeNull();
  });
});
