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
        <div className="table-wrap card">
          <table className="table" aria-label="Team" data-testid="team-table">
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Roles</th>
                <th scope="col">Since</th>
                <th scope="col">Last sign-in</th>
              </tr>
            </thead>
            <tbody>
              {team.data.map((user) => (
                <tr
                  key={user.id}
                  data-testid={user.id === me.data?.id ? 'team-me' : `team-row-${user.email}`}
                >
                  <th scope="row">
                    {user.email} {user.id === me.data?.id && <span className="muted">(you)</span>}
                  </th>
                  <td>{user.roles.join(', ') || '—'}</td>
                  <td>{formatDate(user.createdAt)}</td>
                  <td>{user.lastSignInAt ? formatDate(user.lastSignInAt) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
