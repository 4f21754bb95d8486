import {
  type AssignableOrgRole,
  assignableOrgRoles,
  inviteOrgMemberSchema,
  type Org,
  type OrgMember,
} from '@catalyst/contracts';
import { type FormEvent, useRef, useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable } from '../../components/DataTable';
import { Field } from '../../components/Field';
import { FormSubmit } from '../../components/FormSubmit';
import { QueryState } from '../../components/QueryState';
import { SuccessNotice } from '../../components/SuccessNotice';
import { formatDate } from '../../lib/dates';
import { describeError, fieldErrorsFromIssues, showApiError } from '../../lib/forms';
import { isApiError } from '../../lib/http';
import { useMe } from '../auth/queries';
import { useChangeMemberRole, useInviteMember, useMembers, useRemoveMember } from './queries';

const ROLE_LABELS: Record<OrgMember['role'], string> = {
  owner: 'Owner',
  'org-admin': 'Org-admin',
  member: 'Member',
};

/** A change the owner is asked to confirm: another role for a member, or their removal. */
type Pending =
  | { kind: 'role'; member: OrgMember; role: AssignableOrgRole }
  | { kind: 'remove'; member: OrgMember };

/**
 * Who belongs to the organisation. Its owner invites people by e-mail (as org-admin or member), changes
 * their role and removes them; everyone else sees the list only.
 */
export function MembersPanel({ org }: { org: Org }) {
  const members = useMembers(org.slug);
  const me = useMe();
  const change = useChangeMemberRole(org.slug);
  const remove = useRemoveMember(org.slug);
  const [pending, setPending] = useState<Pending | null>(null);
  const [pendingError, setPendingError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const owner = org.role === 'owner';

  const ask = (next: Pending) => {
    setPendingError(null);
    setNotice(null);
    setPending(next);
  };

  const confirm = () => {
    if (!pending) return;
    const { member } = pending;
    const done = (text: string) => () => {
      setPending(null);
      setNotice(text);
    };
    const failed = (error: unknown) => setPendingError(describeError(error));
    if (pending.kind === 'role') {
      change.mutate(
        { userId: member.userId, role: pending.role },
        { onSuccess: done(`${member.email} is now ${pending.role}.`), onError: failed },
      );
    } else {
      remove.mutate(member.userId, {
        onSuccess: done(`${member.email} no longer belongs to ${org.name}.`),
        onError: failed,
      });
    }
  };

  return (
    <section className="card" aria-labelledby="members-title" data-testid="members-panel">
      <h2 id="members-title" className="card__title">
        Members
      </h2>
      {!owner && (
        <p className="muted" data-testid="members-read-only">
          Only the owner of {org.name} invites people and changes their roles.
        </p>
      )}
      <QueryState query={members} what="the members">
        {(list) => (
          <DataTable
            label="Members"
            rows={list}
            rowKey={(member) => member.userId}
            rowTestId={(member) => `member-row-${member.email}`}
            columns={[
              {
                header: 'E-mail',
                cell: (member) => (
                  <>
                    {member.email} {member.userId === me.data?.id && <span className="muted">(you)</span>}
                  </>
                ),
              },
              { header: 'Role', cell: (member) => ROLE_LABELS[member.role], testId: 'member-role' },
              { header: 'Joined', cell: (member) => formatDate(member.joinedAt) },
              ...(owner
                ? [
                    {
                      header: <span className="visually-hidden">Actions</span>,
                      className: 'table__actions',
                      cell: (member: OrgMember) =>
                        member.role === 'owner' ? null : (
                          <div className="install-actions">
                            <button
                              type="button"
                              className="button button--secondary button--small"
                              onClick={() =>
                                ask({
                                  kind: 'role',
                                  member,
                                  role: member.role === 'member' ? 'org-admin' : 'member',
                                })
                              }
                            >
                              {member.role === 'member' ? 'Make org-admin' : 'Make member'}
                              <span className="visually-hidden"> {member.email}</span>
                            </button>
                            <button
                              type="button"
                              className="button button--danger-outline button--small"
                              onClick={() => ask({ kind: 'remove', member })}
                              aria-label={`Remove ${member.email}`}
                            >
                              Remove
                            </button>
                          </div>
                        ),
                    },
                  ]
                : []),
            ]}
          />
        )}
      </QueryState>
      <SuccessNotice notice={notice} />
      {owner && <InviteForm org={org} onInvited={setNotice} />}

      <ConfirmDialog
        open={pending !== null}
        title={
          pending?.kind === 'remove'
            ? `Remove ${pending.member.email} from ${org.name}?`
            : `Make ${pending?.member.email ?? ''} ${pending?.kind === 'role' ? pending.role : ''}?`
        }
        confirmLabel={pending?.kind === 'remove' ? 'Remove' : 'Change role'}
        danger={pending?.kind === 'remove'}
        busy={change.isPending || remove.isPending}
        error={pendingError}
        onConfirm={confirm}
        onCancel={() => setPending(null)}
      >
        <p>{pending && consequence(pending)}</p>
      </ConfirmDialog>
    </section>
  );
}

/** What confirming does to the person, said before it happens. */
function consequence(pending: Pending): string {
  if (pending.kind === 'remove')
    return 'They lose access to the organisation at once and are signed out everywhere.';
  return pending.role === 'member'
    ? 'They keep using the apps but no longer create environments or install apps, and are signed out everywhere.'
    : 'They may then create and delete environments and install and uninstall apps.';
}

/** The owner's invitation: an e-mail and a role; the person is mailed how to sign in. */
function InviteForm({ org, onInvited }: { org: Org; onInvited: (text: string) => void }) {
  const invite = useInviteMember(org.slug);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<AssignableOrgRole>('member');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setErrors({});
    setProblem(null);
    const parsed = inviteOrgMemberSchema.safeParse({ email, role });
    if (!parsed.success) {
      setErrors(fieldErrorsFromIssues(parsed.error.issues));
      emailRef.current?.focus();
      return;
    }
    invite.mutate(parsed.data, {
      onSuccess: (member) => {
        setEmail('');
        onInvited(`Invitation sent to ${member.email} (${member.role}).`);
      },
      onError: (error) => {
        if (isApiError(error, 'already_member')) {
          setErrors({ email: `${parsed.data.email} already belongs to ${org.name}.` });
        } else {
          showApiError(error, setErrors, setProblem);
        }
        emailRef.current?.focus();
      },
    });
  };

  return (
    <form className="members-invite" onSubmit={submit} noValidate aria-busy={invite.isPending}>
      <h3 className="members-invite__title">Invite someone</h3>
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
        label="Role"
        error={errors.role}
        hint="Org-admins create environments and install apps; members use them."
      >
        {(control) => (
          <select
            {...control}
            name="role"
            value={role}
            onChange={(event) => setRole(event.target.value as AssignableOrgRole)}
          >
            {assignableOrgRoles.map((option) => (
              <option key={option} value={option}>
                {ROLE_LABELS[option]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <FormSubmit problem={problem} pending={invite.isPending}>
        Send invitation
      </FormSubmit>
    </form>
  );
}
