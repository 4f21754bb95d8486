import { hetznerTokenSchema } from '@catalyst/contracts';
import { type ReactNode, useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Field } from '../../components/Field';

/**
 * Confirms an action on a run's cloud resources (a wipe, a retry that runs OpenTofu) with the Hetzner
 * API token, which the api does not keep once a run stops. Mount it only while it is asked, so the token never outlives the question.
 * Test ids: `<testIdPrefix>-dialog`, `-token-input` and `-confirm`.
 */
export function HetznerTokenDialog({
  title,
  children,
  confirmLabel,
  cancelLabel,
  testIdPrefix,
  danger = true,
  onCancel,
  onConfirm,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  testIdPrefix: string;
  /** Styles the confirm button as destructive (wipe); a retry is not. */
  danger?: boolean;
  onCancel: () => void;
  onConfirm: (token: string) => void;
}) {
  const [token, setToken] = useState('');
  const parsed = hetznerTokenSchema.safeParse(token);
  return (
    <ConfirmDialog
      open
      title={title}
      confirmLabel={confirmLabel}
      cancelLabel={cancelLabel}
      danger={danger}
      confirmDisabled={!parsed.success}
      testId={`${testIdPrefix}-dialog`}
      confirmTestId={`${testIdPrefix}-confirm`}
      onCancel={onCancel}
      onConfirm={() => {
        if (parsed.success) onConfirm(parsed.data);
      }}
    >
      {children}
      <Field label="Hetzner API token">
        {(control) => (
          <input
            {...control}
            type="password"
            autoComplete="off"
            spellCheck={false}
            data-testid={`${testIdPrefix}-token-input`}
            value={token}
            onChange={(event) => setToken(event.target.value)}
          />
        )}
      </Field>
    </ConfirmDialog>
  );
}
