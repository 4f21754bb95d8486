import { type AssignableRole, invitationRequestSchema, type TeamMember } from '@catalyst/contracts';
import { type FormEvent, useRef, useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable } from '../../components/DataTable';
import { Field } from '../../components/Field';
import { FormSubmit } from '../../components/FormSubmit';
import { PageHeader } from '../../components/PageHeader';
import { SuccessNotice } from '../../components/SuccessNotice';
import { formatDate } from '../../lib/dates';
import { describeError, fieldErrorsFromIssues, showApiError } from '../../lib/forms';
import { useMe } from '../auth/queries';
import { useInviteToTeam, useSetTeamRole, useTeam } from './queries';

const ADMIN: AssignableRole = 'sovereign-admin';

/** A change the admin is asked to confirm: taking a role away signs the person out everywhere. */
type Pending = { user: TeamMember; role: AssignableRole };

/**
 * Everyone who has signed in to this Sovereign or was invited, and their roles. Admins invite people, give
 * sovereign-admin and take it away; roles that come from CATALYST_ADMIN_EMAILS are shown as such and only the
 * configuration removes them.
 */
export function TeamPage() {
  const me = useMe();
  const team = useTeam();
  const setRole = useSetTeamRole();
  const [pending, setPending] = useState<Pending | null>(null);
  const [pendingError, setPendingError] = useState<string | null>(null);
  const [rowError, setRowError] = useState<{ userId: string; message: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const grant = (user: TeamMember) => {
    setNotice(null);
    setRowError(null);
    setRole.mutate(
      { userId: user.id, role: ADMIN, held: true },
      {
        onSuccess: () => setNotice(`${user.email} is now ${ADMIN}.`),
        onError: (error) => setRowError({ userId: user.id, message: describeError(error) }),
      },
    );
  };

  const confirmRemoval = () => {
    if (!pending) return;
    const { user, role } = pending;
    setRole.mutate(
      { userId: user.id, role, held: false },
      {
        onSuccess: () => {
          setPending(null);
          setNotice(`${user.email} is no longer ${role} and was signed out everywhere.`);
        },
        onError: (error) => setPendingError(describeError(error)),
      },
    );
  };

  return (
    <section className="console-page">
      <PageHeader eyebrow="Sovereign console" title="Team" />
      {team.isError && (
        <p className="alert alert--error" role="alert">
          The team could not be loaded.
        </p>
      )}
      {team.data && (
        <DataTable
          label="Team"
          testId="team-table"
          framed
          rows={team.data}
          rowKey={(user) => user.id}
          rowTestId={(user) => (user.id === me.data?.id ? 'team-me' : `team-row-${user.email}`)}
          columns={[
            {
              header: 'User',
              cell: (user) => (
                <>
                  {user.email} {user.id === me.data?.id && <span className="muted">(you)</span>}
                </>
              ),
            },
            { header: 'Roles', cell: (user) => <RoleList user={user} />, testId: 'team-roles' },
            { header: 'Since', cell: (user) => formatDate(user.createdAt) },
            {
              header: 'Last sign-in',
              cell: (user) => (user.lastSignInAt ? formatDate(user.lastSignInAt) : 'not yet'),
            },
            {
              header: <span className="visually-hidden">Actions</span>,
              className: 'table__actions',
              cell: (user) => (
                <div className="team-actions">
                  <RoleAction
                    user={user}
                    busy={setRole.isPending}
                    onGrant={() => grant(user)}
                    onRemove={() => {
                      setNotice(null);
                      setRowError(null);
                      setPendingError(null);
                      setPending({ user, role: ADMIN });
                    }}
                  />
                  {rowError?.userId === user.id && (
                    <span className="team-actions__error" role="alert">
                      {rowError.message}
                    </span>
                  )}
                </div>
              ),
            },
          ]}
        />
      )}
      <SuccessNotice notice={notice} />
      <InviteForm onInvited={setNotice} />

      <ConfirmDialog
        open={pending !== null}
        title={`Remove ${pending?.role ?? ''} from ${pending?.user.email ?? ''}?`}
        confirmLabel="Remove role"
        danger
        busy={setRole.isPending}
        error={pendingError}
        testId="team-remove-dialog"
        confirmTestId="team-remove-confirm"
        onConfirm={confirmRemoval}
        onCancel={() => setPending(null)}
      >
        <p>
          {pending?.user.id === me.data?.id
            ? 'You lose the console at once and are signed out everywhere.'
            : 'They lose the console at once and are signed out everywhere.'}
        </p>
      </ConfirmDialog>
    </section>
  );
}

/** Each role once; one from the configuration says so, since only the configuration removes it. */
function RoleList({ user }: { user: TeamMember }) {
  return (
    <ul className="team-roles">
      {user.roles.map((role) => (
        <li key={role} data-testid={`team-role-${role}`}>
          {role}
          {user.configuredRoles.includes(role) && (
            <span className="muted" title="From CATALYST_ADMIN_EMAILS: edit the configuration to remove it">
              {' '}
              (configuration)
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

/** Give sovereign-admin, take an assigned one away, or say why it cannot be taken here. */
function RoleAction({
  user,
  busy,
  onGrant,
  onRemove,
}: {
  user: TeamMember;
  busy: boolean;
  onGrant: () => void;
  onRemove: () => void;
}) {
  if (user.configuredRoles.includes(ADMIN)) return <span className="muted">Admin by configuration</span>;
  if (user.assignedRoles.includes(ADMIN))
    return (
      <button
        type="button"
        className="button button--danger-outline button--small"
        disabled={busy}
        onClick={onRemove}
        aria-label={`Remove ${ADMIN} from ${user.email}`}
      >
        Remove {ADMIN}
      </button>
    );
  return (
    <button
      type="button"
      className="button button--secondary button--small"
      disabled={busy}
      onClick={onGrant}
      aria-label={`Make ${user.email} ${ADMIN}`}
    >
      Make {ADMIN}
    </button>
  );
}

/** The admin's invitation: an e-mail and whether to make them sovereign-admin; they are mailed how to sign in. */
function InviteForm({ onInvited }: { onInvited: (text: string) => void }) {
  const invite = useInviteToTeam();
  const [email, setEmail] = useState('');
  const [admin, setAdmin] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setErrors({});
    setProblem(null);
    const parsed = invitationRequestSchema.safeParse({ email, roles: admin ? [ADMIN] : [] });
    if (!parsed.success) {
      setErrors(fieldErrorsFromIssues(parsed.error.issues));
      emailRef.current?.focus();
      return;
    }
    invite.mutate(parsed.data, {
      onSuccess: (user) => {
        setEmail('');
        setAdmin(false);
        onInvited(`Invitation sent to ${user.email}${admin ? ` (${ADMIN})` : ''}.`);
      },
      onError: (error) => {
        showApiError(error, setErrors, setProblem);
        emailRef.current?.focus();
      },
    });
  };

  return (
    <form
      className="card team-invite"
      onSubmit={submit}
      noValidate
      aria-busy={invite.isPending}
      aria-labelledby="team-invite-title"
      data-testid="team-invite"
    >
      <h2 id="team-invite-title" className="card__title">
        Invite someone
      </h2>
      <Field label="E-mail" error={errors.email} errorAlert={false}>
        {(control) => (
          <input
            ref={emailRef}
            {...control}
            type="email"
            name="email"
            autoComplete="off"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        )}
      </Field>
      <Field
        label="Sovereign-admin"
        labelAfter
        hint="Runs this console: vouchers, tenants, the team. Without it they sign in as a tenant."
      >
        {(control) => (
          <input
            {...control}
            type="checkbox"
            name="sovereign-admin"
            checked={admin}
            onChange={(event) => setAdmin(event.target.checked)}
          />
        )}
      </Field>
      <FormSubmit problem={problem} pending={invite.isPending}>
        Send invitation
      </FormSubmit>
    </form>
  );
}
