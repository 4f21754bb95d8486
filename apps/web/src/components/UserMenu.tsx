import { Link, useLocation, useRouter } from '@tanstack/react-router';
import { useLogout, useMe } from '../features/auth/queries';

/** The right end of the header: who is signed in and "Sign out", or a "Sign in" link. */
export function UserMenu() {
  const me = useMe();
  const logout = useLogout();
  const router = useRouter();
  const location = useLocation();

  if (me.isPending) return <div className="user-menu" aria-hidden="true" />;

  const user = me.data;
  if (!user) {
    if (location.pathname === '/login') return <div className="user-menu" />;
    return (
      <div className="user-menu">
        <Link
          to="/login"
          search={{ redirect: location.href }}
          className="button button--secondary button--small"
        >
          Sign in
        </Link>
      </div>
    );
  }

  const signOut = () => {
    logout.mutate(undefined, {
      // Re-run the route guards: a page that needs a session sends the visitor to /login.
      onSuccess: () => router.invalidate(),
    });
  };

  return (
    <div className="user-menu">
      <span className="user-menu__email" data-testid="current-user" title={user.email}>
        {user.email}
      </span>
      <Link to="/tokens" className="link-button" data-testid="user-menu-tokens">
        Access tokens
      </Link>
      <button
        type="button"
        className="button button--secondary button--small"
        onClick={signOut}
        disabled={logout.isPending}
        aria-busy={logout.isPending || undefined}
      >
        Sign out
      </button>
      {logout.isError && (
        <span role="alert" className="user-menu__error">
          Could not sign out: {logout.error.message}
        </span>
      )}
    </div>
  );
}
