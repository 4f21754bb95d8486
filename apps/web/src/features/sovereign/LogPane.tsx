import { useEffect, useRef, useState } from 'react';
import type { StreamState } from './provisionModel';

/** The run's log lines: filter, follow (scroll to the newest) or pause, and copy what is shown. */
export function LogPane({ logs }: { logs: StreamState['logs'] }) {
  const [filter, setFilter] = useState('');
  const [follow, setFollow] = useState(true);
  const [copied, setCopied] = useState(false);
  const paneRef = useRef<HTMLPreElement>(null);
  const q = filter.trim().toLowerCase();
  const shown = q
    ? logs.filter((l) => l.line.toLowerCase().includes(q) || l.phase.toLowerCase().includes(q))
    : logs;
  const text = shown.map((l) => `[${l.phase}] ${l.line}`).join('\n');

  useEffect(() => {
    if (!follow || !paneRef.current || shown.length === 0) return;
    paneRef.current.scrollTop = paneRef.current.scrollHeight;
  }, [follow, shown.length]);

  return (
    <section className="sov-log" aria-label="Logs">
      <header className="sov-log-toolbar">
        <h2>Logs</h2>
        <input
          className="sov-input"
          type="search"
          placeholder="Filter lines"
          aria-label="Filter log lines"
          data-testid="log-filter"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <button
          type="button"
          className="button button--secondary button--small"
          data-testid="log-follow"
          aria-pressed={follow}
          onClick={() => setFollow((f) => !f)}
        >
          {follow ? 'Pause' : 'Follow'}
        </button>
        <button
          type="button"
          className="button button--secondary button--small"
          data-testid="log-copy"
          onClick={() => void navigator.clipboard?.writeText(text).then(() => setCopied(true))}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </header>
      <pre className="sov-log-pane" data-testid="log-pane" ref={paneRef}>
        {shown.length === 0 ? (
          <span className="muted">{logs.length === 0 ? 'Waiting for output…' : 'No line matches.'}</span>
        ) : (
          shown.map((l) => (
            <div key={l.seq} className={l.stream === 'stderr' ? 'is-stderr' : undefined}>
              <span className="sov-log-phase">[{l.phase}]</span> {l.line}
            </div>
          ))
        )}
      </pre>
    </section>
  );
}
