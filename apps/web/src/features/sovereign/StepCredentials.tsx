import { hetznerTokenSchema, sshPublicKeySchema } from '@catalyst/contracts';
import { useEffect, useRef, useState } from 'react';
import { Field } from '../../components/Field';
import { isApiError } from './api';
import { StepTitle, useStepUpdate } from './fields';
import { useValidateToken } from './queries';
import { canGenerateKeys, downloadText, generateEd25519 } from './sshkey';
import { type TokenCheck, useWizard } from './store';
import { fieldError, resolvedFqdn } from './validation';

const TOKEN_DEBOUNCE_MS = 600;

export function StepCredentials() {
  const { state } = useWizard();
  const set = useStepUpdate();
  const [showToken, setShowToken] = useState(false);
  const validate = useValidateToken();
  const token = state.hetznerToken.trim();
  const formatOk = hetznerTokenSchema.safeParse(token).success;
  const check = state.tokenCheck?.token === token ? state.tokenCheck : null;
  const projectId = state.hetznerProjectId.trim();

  const runCheck = (value: string) => {
    set((s) => ({ ...s, tokenCheck: null }));
    validate.mutate(
      { token: value, projectId: /^\d{1,20}$/.test(projectId) ? projectId : undefined },
      {
        onSuccess: (answer) =>
          set((s) => ({
            ...s,
            tokenCheck: {
              token: value,
              status: answer.valid ? 'valid' : answer.status,
              message: answer.message,
            },
          })),
        onError: (error) =>
          set((s) => ({
            ...s,
            tokenCheck: {
              token: value,
              status: 'error',
              message: isApiError(error) ? error.message : 'The token could not be checked.',
            },
          })),
      },
    );
  };
  const runCheckRef = useRef(runCheck);
  runCheckRef.current = runCheck;

  // Live check: once the token has the right shape and has stopped changing.
  const alreadyChecked = Boolean(check);
  useEffect(() => {
    if (!formatOk || alreadyChecked) return;
    const timer = setTimeout(() => runCheckRef.current(token), TOKEN_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [token, formatOk, alreadyChecked]);

  const tokenError =
    token && !formatOk ? hetznerTokenSchema.safeParse(token).error?.issues[0]?.message : undefined;

  return (
    <div className="sov-step">
      <StepTitle title="Cloud credentials">
        The token is used to create the servers and is never stored in this browser.
      </StepTitle>
      <section className="sov-subsection">
        <h3>Hetzner Cloud</h3>
        <div className="sov-grid-2">
          <Field
            compact
            label="Hetzner API token"
            hint="Security → API tokens in the Hetzner Console, with Read & Write"
            error={tokenError ?? fieldError(state, 3, 'credentials.hetznerToken')}
          >
            {(control) => (
              <div className="sov-secret">
                <input
                  {...control}
                  data-testid="hetzner-token-input"
                  type={showToken ? 'text' : 'password'}
                  autoComplete="off"
                  spellCheck={false}
                  value={state.hetznerToken}
                  onChange={(e) => set((s) => ({ ...s, hetznerToken: e.target.value }))}
                />
                <button
                  type="button"
                  className="button button--secondary button--small"
                  data-testid="hetzner-token-toggle"
                  aria-pressed={showToken}
                  onClick={() => setShowToken((v) => !v)}
                >
                  {showToken ? 'Hide' : 'Show'}
                </button>
                <button
                  type="button"
                  className="button button--secondary button--small"
                  data-testid="hetzner-token-validate"
                  disabled={!formatOk || validate.isPending}
                  onClick={() => runCheck(token)}
                >
                  Validate
                </button>
              </div>
            )}
          </Field>
          <Field
            compact
            label="Hetzner project ID"
            hint="The number in the Console URL (…/projects/1234567)"
            error={fieldError(state, 3, 'credentials.hetznerProjectId')}
          >
            {(control) => (
              <input
                {...control}
                data-testid="hetzner-project-input"
                inputMode="numeric"
                value={state.hetznerProjectId}
                onChange={(e) => set((s) => ({ ...s, hetznerProjectId: e.target.value }))}
              />
            )}
          </Field>
        </div>
        <TokenStatus pending={validate.isPending && formatOk} check={check} />
      </section>
      <SshKeySection />
    </div>
  );
}

const tokenStatusText: Record<TokenCheck['status'], string> = {
  valid: 'Token valid',
  invalid: 'Token rejected',
  'read-only': 'Token is read-only',
  unreachable: 'Hetzner unreachable',
  'rate-limited': 'Rate limited',
  error: 'Check failed',
};

function TokenStatus({ pending, check }: { pending: boolean; check: TokenCheck | null }) {
  if (pending) {
    return (
      <p className="sov-status sov-status--pending" data-testid="token-status" role="status">
        Checking the token with Hetzner…
      </p>
    );
  }
  if (!check) return null;
  return (
    <p
      className={`sov-status ${check.status === 'valid' ? 'sov-status--ok' : 'sov-status--bad'}`}
      data-testid="token-status"
      data-status={check.status}
      role="status"
    >
      <strong>{tokenStatusText[check.status]}</strong> — {check.message}
    </p>
  );
}

function SshKeySection() {
  const { state } = useWizard();
  const set = useStepUpdate();
  const [privateKey, setPrivateKey] = useState<string | null>(null);
  const [genError, setGenError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const keyName = resolvedFqdn(state) || 'catalyst';
  const pasted = state.sshPublicKey.trim();
  const pasteError =
    pasted && !sshPublicKeySchema.safeParse(pasted).success
      ? sshPublicKeySchema.safeParse(pasted).error?.issues[0]?.message
      : undefined;
  const stepError = fieldError(state, 3, 'credentials.sshPublicKey');

  const generate = async () => {
    setBusy(true);
    setGenError(null);
    try {
      const key = await generateEd25519(`catalyst@${keyName}`);
      setPrivateKey(key.privateKey);
      set((s) => ({ ...s, sshPublicKey: key.publicKey, sshFingerprint: key.fingerprint }));
    } catch {
      setGenError('This browser cannot generate Ed25519 keys. Paste a public key instead.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="sov-subsection" data-testid="ssh-key-section">
      <h3>SSH key</h3>
      <p className="muted">The servers accept this key for break-glass access.</p>
      <div className="sov-chips">
        <button
          type="button"
          className="sov-chip"
          data-testid="ssh-mode-paste"
          aria-pressed={state.sshMode === 'paste'}
          onClick={() => set((s) => ({ ...s, sshMode: 'paste' }))}
        >
          Paste a public key
        </button>
        <button
          type="button"
          className="sov-chip"
          data-testid="ssh-mode-generate"
          aria-pressed={state.sshMode === 'generate'}
          onClick={() => set((s) => ({ ...s, sshMode: 'generate' }))}
        >
          Generate one in this browser
        </button>
      </div>
      {state.sshMode === 'paste' ? (
        <Field compact label="OpenSSH public key" error={pasteError ?? stepError}>
          {(control) => (
            <textarea
              {...control}
              data-testid="ssh-paste-input"
              spellCheck={false}
              placeholder="ssh-ed25519 AAAA… you@host"
              value={state.sshPublicKey}
              onChange={(e) => set((s) => ({ ...s, sshPublicKey: e.target.value, sshFingerprint: '' }))}
            />
          )}
        </Field>
      ) : (
        <div className="sov-ssh-generate">
          <button
            type="button"
            className="button"
            data-testid="ssh-generate-button"
            disabled={busy || !canGenerateKeys()}
            onClick={generate}
          >
            {busy ? 'Generating…' : state.sshPublicKey ? 'Generate a new key' : 'Generate an Ed25519 key'}
          </button>
          {genError && (
            <p className="sov-field__error" role="alert">
              {genError}
            </p>
          )}
          {stepError && !genError && (
            <p className="sov-field__error" role="alert">
              {stepError}
            </p>
          )}
          {privateKey && (
            <div className="alert alert--info" data-testid="ssh-private-key-warning">
              <p>
                Download the private key now: it exists only in this page and is never sent to Catalyst. It
                cannot be downloaded again.
              </p>
              <button
                type="button"
                className="button button--small"
                data-testid="ssh-download-private-key"
                onClick={() => {
                  downloadText(`${keyName}.key`, privateKey, 'application/x-pem-file');
                  setPrivateKey(null);
                }}
              >
                Download private key
              </button>
            </div>
          )}
        </div>
      )}
      {state.sshPublicKey && !pasteError && (
        <div className="sov-ssh-preview">
          <code data-testid="ssh-public-key-preview">{state.sshPublicKey}</code>
          {state.sshFingerprint && (
            <p className="muted" data-testid="ssh-fingerprint">
              {state.sshFingerprint}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
