import { DataTable } from '../../components/DataTable';
import { PageHeader } from '../../components/PageHeader';
import { formatDate } from '../../lib/dates';
import { useMe } from '../auth/queries';
import { useTeam } from './queries';

/** Everyone who has signed in to this Sovereign and their roles. Roles come from CATALYST_ADMIN_EMAILS and sign-in. */
export function TeamPage() {
  const me = useMe();
  const team = useTeam();
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
            { header: 'Roles', cell: (user) => user.roles.join(', ') || '—' },
            { header: 'Since', cell: (user) => formatDate(user.createdAt) },
            {
              header: 'Last sign-in',
              cell: (user) => (user.lastSignInAt ? formatDate(user.lastSignInAt) : '—'),
            },
          ]}
        />
      )}
    </section>
  );
}
