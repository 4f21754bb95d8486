import type { ReactNode } from 'react';
import { formatDateTime } from '../../lib/dates';
import { jobLog, type KitApp, type KitLogState, releaseName } from './model';
import { StatusBadge } from './shared';

/**
 * A job's row: a button that opens its details in place (no navigation). The bootstrap-kit job of a
 * deployment (JobRow) and a Sovereign's own release (OwnComponents) differ only in title and details.
 */
export function JobRowFrame({
  id,
  title,
  state,
  updatedAt,
  expanded,
  onToggle,
  detailsLabel,
  children,
}: {
  id: string;
  title: ReactNode;
  state: string;
  updatedAt?: string;
  expanded: boolean;
  onToggle: () => void;
  detailsLabel: string;
  children: ReactNode;
}) {
  const panelId = `job-expansion-${id}`;
  return (
    <li className={`console-job${expanded ? ' is-expanded' : ''}`}>
      <button
        type="button"
        className="console-job__row"
        data-testid={`job-row-${id}`}
        aria-expanded={expanded}
        aria-controls={panelId}
        onClick={onToggle}
      >
        <span className="console-job__chevron" aria-hidden="true">
          {expanded ? '▾' : '▸'}
        </span>
        <span className="console-job__name">{title}</span>
        <StatusBadge status={state} />
        <span className="muted console-small">{updatedAt ? formatDateTime(updatedAt) : '—'}</span>
      </button>
      {expanded && (
        <section
          className="console-job__expansion"
          id={panelId}
          data-testid={panelId}
          aria-label={detailsLabel}
        >
          {children}
        </section>
      )}
    </li>
  );
}

/** One bootstrap-kit job: its log opens in place. */
export function JobRow({
  app,
  log,
  expanded,
  onToggle,
  waiting,
}: {
  app: KitApp;
  log: KitLogState;
  expanded: boolean;
  onToggle: () => void;
  /** The stream is still open: more lines may come. */
  waiting: boolean;
}) {
  const lines = jobLog(log, app.id);
  return (
    <JobRowFrame
      id={app.id}
      title={
        <>
          Install {app.name} <code className="muted">{releaseName(app.id)}</code>
        </>
      }
      state={app.state}
      updatedAt={app.updatedAt}
      expanded={expanded}
      onToggle={onToggle}
      detailsLabel={`Log of ${app.name}`}
    >
      {app.message && <p className="console-small">{app.message}</p>}
      <pre className="console-log">
        {lines.length === 0 ? (
          <span className="muted">
            {waiting ? 'Reading the log…' : 'No log lines for this job in the deployment’s events.'}
          </span>
        ) : (
          lines.map((line) => (
            <div key={line.seq} className={`console-log__line is-${line.kind}`}>
              <span className="muted">{new Date(line.time).toLocaleTimeString()}</span>{' '}
              {line.kind === 'state' ? <strong>{line.text}</strong> : line.text}
            </div>
          ))
        )}
      </pre>
    </JobRowFrame>
  );
}
