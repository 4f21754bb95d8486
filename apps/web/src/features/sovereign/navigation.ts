/** Leaves the SPA for another site (the new Sovereign's console); one place, so tests can watch it. */
export function leaveTo(url: string): void {
  window.location.assign(url);
}
