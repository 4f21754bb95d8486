import { fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ConfirmDialog } from './ConfirmDialog';

/** A page with a button that opens the dialog, as the app's pages do. */
function Page({ busy = false, onCancel = () => {} }: { busy?: boolean; onCancel?: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Delete everything
      </button>
      <ConfirmDialog
        open={open}
        title="Delete everything?"
        confirmLabel="Delete"
        busy={busy}
        onConfirm={() => setOpen(false)}
        onCancel={() => {
          onCancel();
          setOpen(false);
        }}
      >
        <label htmlFor="reason">Reason</label>
        <input id="reason" />
      </ConfirmDialog>
    </>
  );
}

const tab = (shift = false) =>
  fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Tab', shiftKey: shift });

describe('ConfirmDialog', () => {
  it('moves focus into the dialog, keeps Tab inside it, and gives focus back to the opener', () => {
    render(<Page />);
    const opener = screen.getByRole('button', { name: 'Delete everything' });
    opener.focus();
    fireEvent.click(opener);

    const dialog = screen.getByRole('dialog', { name: 'Delete everything?' });
    const reason = within(dialog).getByLabelText('Reason');
    const confirm = within(dialog).getByRole('button', { name: 'Delete' });
    expect(document.activeElement).toBe(reason);

    // Shift+Tab from the first control wraps to the last, Tab from the last back to the first.
    tab(true);
    expect(document.activeElement).toBe(confirm);
    tab();
    expect(document.activeElement).toBe(reason);

    fireEvent.click(confirm);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('closes with Escape, but not while busy', () => {
    const onCancel = vi.fn();
    const { rerender } = render(<Page busy onCancel={onCancel} />);
    const opener = screen.getByRole('button', { name: 'Delete everything' });
    opener.focus();
    fireEvent.click(opener);

    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(onCancel).not.toHaveBeenCalled();
    expect(screen.getByRole('dialog')).toBeTruthy();

    rerender(<Page onCancel={onCancel} />);
    fireEvent.keyDown(screen.getByLabelText('Reason'), { key: 'Escape' });
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('keeps the confirm button off until the answer is complete', () => {
    render(
      <ConfirmDialog
        open
        title="Wipe?"
        confirmLabel="Wipe"
        confirmDisabled
        onConfirm={vi.fn()}
        onCancel={vi.fn()}
      />,
    );
    expect((screen.getByRole('button', { name: 'Wipe' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
