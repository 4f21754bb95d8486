import {
  type AccessToken,
  type CreatedToken,
  createTokenRequestSchema,
  DEFAULT_TOKEN_DAYS,
  MAX_TOKEN_DAYS,
} from '@catalyst/contracts';
import { type FormEvent, useRef, useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable } from '../../components/DataTable';
import { Field } from '../../components/Field';
import { FormSubmit } from '../../components/FormSubmit';
import { PageHeader } from '../../components/PageHeader';
import { SuccessNotice } from '../../components/SuccessNotice';
import { copyText } from '../../lib/clipboard';
import { formatDate, formatDateTime } from '../../lib/dates';
import { describeError, fieldErrorsFromIssues, showApiError } from '../../lib/forms';
import { useOrgs } from '../marketplace/queries';
import { claudeCodeCommand, mcpEndpoint, mcpServersJson } from './mcpSnippet';
import { useCreateToken, useRevokeToken, useTokens } from './queries';
import './access-tokens.css';

function statusOf(token: AccessToken, now = Date.now()): string {
  if (token.revokedAt) return `revoked ${formatDate(token.revokedAt)}`;
  if (Date.parse(token.expiresAt) <= now) return 'expired';
  return 'active';
}

/**
 * Personal access tokens for agents (every signed-in user, their own): create one (shown once), see when each was
 * last used, revoke it. The MCP snippet names this console's endpoint and leaves the token for the user to paste
 * into their agent's configuration.
 */
export function TokensPage() {
  const tokens = useTokens();
  const revoke = useRevokeToken();
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revoking, setRevoking] = useState<AccessToken | null>(null);
  const [revokeError, setRevokeError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const confirmRevoke = () => {
    if (!revoking) return;
    const { id, name } = revoking;
    setRevokeError(null);
    revoke.mutate(id, {
      onSuccess: () => {
        setRevoking(null);
        if (created?.id === id) setCreated(null);
        setNotice(`Token “${name}” revoked: agents using it are refused from now on.`);
      },
      onError: (error) => setRevokeError(describeError(error)),
    });
  };

  return (
    <section className="page" data-testid="tokens-page">
      <PageHeader eyebrow="Your account" title="Access tokens">
        <p>
          A token lets an AI agent act for you through this console's MCP endpoint, with your roles as they
          are at each call. Paste it into your agent's configuration once; never paste it into a chat.
        </p>
      </PageHeader>

      {created && <CreatedTokenPanel token={created} onDone={() => setCreated(null)} />}
      <SuccessNotice notice={notice} />

      {tokens.isError && (
        <p className="alert alert--error" role="alert">
          Your tokens could not be loaded.
        </p>
      )}
      {tokens.data && (
        <DataTable
          label="Access tokens"
          testId="tokens-table"
          framed
          rows={tokens.data}
          rowKey={(token) => token.id}
          rowTestId={(token) => `token-row-${token.name}`}
          empty="No tokens yet."
          emptyTestId="tokens-empty"
          columns={[
            { header: 'Name', cell: (token) => token.name },
            {
              header: 'Organisation',
              cell: (token) => token.orgSlug ?? <span className="muted">all of yours</span>,
              testId: 'token-org',
            },
            { header: 'Created', cell: (token) => formatDate(token.createdAt) },
            { header: 'Expires', cell: (token) => formatDate(token.expiresAt) },
            {
              header: 'Last used',
              cell: (token) => (token.lastUsedAt ? formatDateTime(token.lastUsedAt) : 'never'),
              testId: 'token-last-used',
            },
            { header: 'Status', cell: (token) => statusOf(token), testId: 'token-status' },
            {
              header: <span className="visually-hidden">Actions</span>,
              className: 'table__actions',
              cell: (token) =>
                token.revokedAt ? null : (
                  <button
                    type="button"
                    className="button button--danger-outline button--small"
                    disabled={revoke.isPending}
                    aria-label={`Revoke ${token.name}`}
                    onClick={() => {
                      setNotice(null);
                      setRevokeError(null);
                      setRevoking(token);
                    }}
                  >
                    Revoke
                  </button>
                ),
            },
          ]}
        />
      )}

      <CreateTokenForm
        onCreated={(token) => {
          setNotice(null);
          setCreated(token);
        }}
      />
      <McpSnippet />

      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke “${revoking?.name ?? ''}”?`}
        confirmLabel="Revoke token"
        danger
        busy={revoke.isPending}
        error={revokeError}
        testId="token-revoke-dialog"
        confirmTestId="token-revoke-confirm"
        onConfirm={confirmRevoke}
        onCancel={() => setRevoking(null)}
      >
        <p>Agents configured with this token are refused at their next call. This cannot be undone.</p>
      </ConfirmDialog>
    </section>
  );
}

/** The new token, this once: copy it now, it is stored only as a hash. */
function CreatedTokenPanel({ token, onDone }: { token: CreatedToken; onDone: () => void }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  return (
    <section className="card access-token-created" aria-label="New token" data-testid="token-created">
      <h2 className="card__title">Copy your new token “{token.name}” now</h2>
      <p>
        It is shown only this once; Catalyst keeps only a hash of it. Paste it into your agent's
        configuration.
      </p>
      <div className="access-token-created__value">
        <code data-testid="token-value">{token.token}</code>
        <button
          type="button"
          className="button button--secondary button--small"
          onClick={async () => setCopied(await copyText(token.token))}
        >
          Copy token
        </button>
      </div>
      {copied === true && (
        <p className="muted" role="status">
          Copied.
        </p>
      )}
      {copied === false && (
        <p className="muted" role="status">
          Could not copy: select the token and copy it by hand.
        </p>
      )}
      <button type="button" className="button button--small" onClick={onDone}>
        Done, I have copied it
      </button>
    </section>
  );
}

/** Name, life (1–90 days) and an optional organisation of the user's to narrow the token to. */
function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedToken) => void }) {
  const create = useCreateToken();
  const orgs = useOrgs();
  const [name, setName] = useState('');
  const [days, setDays] = useState(String(DEFAULT_TOKEN_DAYS));
  const [orgSlug, setOrgSlug] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setErrors({});
    setProblem(null);
    const parsed = createTokenRequestSchema.safeParse({
      name,
      expiresInDays: days.trim() === '' ? Number.NaN : Number(days),
      ...(orgSlug ? { orgSlug } : {}),
    });
    if (!parsed.success) {
      setErrors(fieldErrorsFromIssues(parsed.error.issues));
      nameRef.current?.focus();
      return;
    }
    create.mutate(parsed.data, {
      onSuccess: (token) => {
        setName('');
        setDays(String(DEFAULT_TOKEN_DAYS));
        setOrgSlug('');
        onCreated(token);
      },
      onError: (error) => {
        showApiError(error, setErrors, setProblem);
      },
    });
  };

  return (
    <form
      className="card access-token-form"
      onSubmit={submit}
      noValidate
      aria-busy={create.isPending}
      aria-labelledby="token-create-title"
      data-testid="token-create"
    >
      <h2 id="token-create-title" className="card__title">
        New token
      </h2>
      <Field label="Name" hint="What uses it, e.g. “laptop claude”" error={errors.name}>
        {(control) => (
          <input
            ref={nameRef}
            {...control}
            name="name"
            autoComplete="off"
            maxLength={64}
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        )}
      </Field>
      <Field label="Expires after (days)" hint={`1 to ${MAX_TOKEN_DAYS}`} error={errors.expiresInDays}>
        {(control) => (
          <input
            {...control}
            name="expiresInDays"
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_TOKEN_DAYS}
            value={days}
            onChange={(event) => setDays(event.target.value)}
          />
        )}
      </Field>
      <Field
        label="Organisation"
        hint="Narrow the token to one organisation, or let it act wherever you may."
        error={errors.orgSlug}
      >
        {(control) => (
          <select
            {...control}
            name="orgSlug"
            value={orgSlug}
            onChange={(event) => setOrgSlug(event.target.value)}
          >
            <option value="">All my organisations</option>
            {(orgs.data ?? []).map((org) => (
              <option key={org.slug} value={org.slug}>
                {org.name} ({org.slug})
              </option>
            ))}
          </select>
        )}
      </Field>
      <FormSubmit problem={problem} pending={create.isPending}>
        Create token
      </FormSubmit>
    </form>
  );
}

/** How to connect an agent: this console's endpoint, with a placeholder where the user pastes their token. */
function McpSnippet() {
  const endpoint = mcpEndpoint();
  return (
    <section className="card" aria-labelledby="token-mcp-title" data-testid="token-mcp-snippet">
      <h2 id="token-mcp-title" className="card__title">
        Connect an agent
      </h2>
      <p>
        MCP endpoint: <code data-testid="token-mcp-endpoint">{endpoint}</code>. Replace the placeholder with
        your token in your agent's configuration (docs/mcp.md shows Claude Code, qwen-code, opencode and
        Cline).
      </p>
      <p className="muted">Claude Code:</p>
      <pre className="access-token-snippet" data-testid="token-snippet-claude">
        {claudeCodeCommand(endpoint)}
      </pre>
      <p className="muted">qwen-code (settings.json):</p>
      <pre className="access-token-snippet" data-testid="token-snippet-json">
        {mcpServersJson(endpoint)}
      </pre>
    </section>
  );
}
