import type { ReactNode } from 'react';

/**
 * A list's two faces: a muted line when there is nothing to show, else `children` with the items.
 * Every list and table says "nothing yet" the same way through it.
 */
export function EmptyOr<T>({
  items,
  empty,
  emptyTestId,
  inline = false,
  children,
}: {
  items: readonly T[];
  /** What to say when `items` is empty, e.g. "No vouchers yet." */
  empty: ReactNode;
  emptyTestId?: string;
  /** Say it inside running text (a definition, a table cell) rather than as a paragraph. */
  inline?: boolean;
  children: (items: readonly T[]) => ReactNode;
}) {
  if (items.length === 0) {
    const Tag = inline ? 'span' : 'p';
    return (
      <Tag className="muted" data-testid={emptyTestId}>
        {empty}
      </Tag>
    );
  }
  return <>{children(items)}</>;
}
