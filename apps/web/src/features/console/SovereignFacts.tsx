import { type SovereignFacts as Facts, findComponent } from '@catalyst/contracts';
import { DataTable } from '../../components/DataTable';
import { formatDateTime } from '../../lib/dates';

/** What the Sovereign knows about itself (its facts file): name, topology, versions, install set. */
export function SovereignFacts({ facts, heading = 'This Sovereign' }: { facts: Facts; heading?: string }) {
  const workers = facts.regions.reduce((sum, r) => sum + r.workerCount, 0);
  return (
    <section
      className="card console-facts"
      data-testid="sovereign-facts"
      aria-labelledby="sovereign-facts-title"
    >
      <h2 id="sovereign-facts-title" className="console-subtitle">
        {heading}
      </h2>
      <dl className="console-dl">
        <dt>FQDN</dt>
        <dd data-testid="sovereign-fqdn">
          <code>{facts.fqdn}</code>
        </dd>
        {facts.orgName && (
          <>
            <dt>Organisation</dt>
            <dd data-testid="sovereign-org">{facts.orgName}</dd>
          </>
        )}
        <dt>High availability</dt>
        <dd data-testid="sovereign-ha">
          {facts.ha ? 'Yes: three control-plane nodes per region' : 'No: one control-plane node per region'}
        </dd>
        <dt>Created</dt>
        <dd data-testid="sovereign-created">
          <time dateTime={facts.createdAt}>{formatDateTime(facts.createdAt)}</time>
        </dd>
        <dt>Deployment</dt>
        <dd data-testid="sovereign-deployment">
          <code>{facts.deploymentId}</code>
        </dd>
        <dt>k3s</dt>
        <dd data-testid="sovereign-k3s">
          <code>{facts.k3sVersion}</code>
        </dd>
        <dt>Workers</dt>
        <dd data-testid="sovereign-workers">{workers}</dd>
      </dl>
      <h3 className="console-subtitle">Regions</h3>
      <DataTable
        label="Regions"
        testId="sovereign-regions"
        rows={facts.regions}
        rowKey={(r) => `${r.provider}/${r.region}`}
        rowTestId={(r) => `sovereign-region-${r.region}`}
        empty="No regions."
        columns={[
          { header: 'Region', cell: (r) => <code>{r.region}</code> },
          { header: 'Provider', cell: (r) => r.provider },
          { header: 'Control plane', cell: (r) => <code>{r.controlPlaneSize}</code> },
          { header: 'Worker size', cell: (r) => (r.workerCount > 0 ? <code>{r.workerSize}</code> : '—') },
          { header: 'Worker count', numeric: true, cell: (r) => r.workerCount },
        ]}
      />
      <h3 className="console-subtitle">Installed components</h3>
      {facts.components.length === 0 ? (
        <p className="muted" data-testid="sovereign-components">
          None recorded.
        </p>
      ) : (
        <ul className="plain-list console-facts__components" data-testid="sovereign-components">
          {facts.components.map((id) => (
            <li key={id} data-testid={`sovereign-component-${id}`}>
              {findComponent(id)?.name ?? id} <code>{id}</code>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
