import { formatDateTime } from '../../lib/dates';
import { jobLog, type KitApp, type KitLogState, releaseName } from './model';
import { StatusBadge } from './shared';

/** One bootstrap-kit job: a button row that opens its log in place (no navigation). */
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
  const panelId = `job-expansion-${app.id}`;
  return (
    <li className={`console-job${expanded ? ' is-expanded' : ''}`}>
      <button
        type="button"
        className="console-job__row"
        data-testid={`job-row-${app.id}`}
        aria-expanded={expanded}
        aria-controls={panelId}
        onClick={onToggle}
      >
        <span className="console-job__chevron" aria-hidden="true">
          {expanded ? '▾' : '▸'}
        </span>
        <span className="console-job__name">
          Install {app.name} <code className="muted">{releaseName(app.id)}</code>
        </span>
        <StatusBadge status={app.state} />
        <span className="muted console-small">{app.updatedAt ? formatDateTime(app.updatedAt) : '—'}</span>
      </button>
      {expanded && (
        <section
          className="console-job__expansion"
          id={panelId}
          data-testid={panelId}
          aria-label={`Log of ${app.name}`}
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
        </section>
      )}
    </li>
  );
}
