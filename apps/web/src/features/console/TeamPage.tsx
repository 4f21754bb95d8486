import { PageHeader } from '../../components/PageHeader';
import { formatDate } from '../../lib/dates';
import { useMe } from '../auth/queries';

/** Who is signed in and with which roles; the api has no users endpoint for a team list yet. */
export function TeamPage() {
  const me = useMe();
  const user = me.data;
  return (
    <section className="console-page">
      <PageHeader eyebrow="Sovereign console" title="Team" />
      {user && (
        <div className="table-wrap card">
          <table className="table" aria-label="Team" data-testid="team-table">
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Roles</th>
                <th scope="col">Since</th>
              </tr>
            </thead>
            <tbody>
              <tr data-testid="team-me">
                <th scope="row">
                  {user.email} <span className="muted">(you)</span>
                </th>
                <td>{user.roles.join(', ') || '—'}</td>
                <td>{formatDate(user.createdAt)}</td>
              </tr>
            </tbody>
          </table>
        </div>
      )}
      <p className="alert alert--info" data-testid="team-unavailable">
        Team management is not available yet: the api has no endpoint to list users or change their roles, so
        only your own account is shown.
      </p>
    </section>
  );
}
