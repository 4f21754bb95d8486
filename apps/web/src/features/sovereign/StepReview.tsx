import { expectedKitReleases, findProvider, installSet, provisionRequestSchema } from '@catalyst/contracts';
import { useNavigate } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { isApiError } from './api';
import { CapacityNote, NODES_STEP } from './CapacityCheck';
import { euro, StepTitle } from './fields';
import { groupByFamily, kitReleaseName } from './kitGroups';
import { regionLabel } from './provisionModel';
import { useCreateDeployment } from './queries';
import { sizesFor } from './StepProvider';
import { type ServerIssue, useWizard, type WizardState, wizardSteps } from './store';
import {
  buildRequest,
  firstInvalidBefore,
  resolvedFqdn,
  smtpEndpoint,
  stepIssues,
  stepOfPath,
} from './validation';

/** Monthly server cost: per region the control plane (three nodes with HA) and the workers. */
export function monthlyEstimate(state: WizardState): number {
  return state.regions.reduce((total, region) => {
    const sizes = sizesFor(region.provider);
    const cp = sizes.find((s) => s.id === region.controlPlaneSize)?.priceMonthEur ?? 0;
    const worker = sizes.find((s) => s.id === region.workerSize)?.priceMonthEur ?? 0;
    return total + cp * (state.haEnabled ? 3 : 1) + worker * region.workerCount;
  }, 0);
}

export function maskSecret(value: string): string {
  const v = value.trim();
  if (!v) return '—';
  return `${'•'.repeat(8)}${v.slice(-4)}`;
}

/** Server issues as field errors, and the step to send the operator back to. */
export function mapServerIssues(details: Record<string, unknown> | undefined): ServerIssue[] {
  const issues = Array.isArray(details?.issues) ? details.issues : [];
  return issues
    .map((issue) => {
      const raw = issue as { path?: unknown; message?: unknown };
      const path = Array.isArray(raw.path)
        ? raw.path.join('.')
        : typeof raw.path === 'string'
          ? raw.path
          : '';
      return { path, message: typeof raw.message === 'string' ? raw.message : 'Invalid value' };
    })
    .filter((issue) => issue.path);
}

export function StepReview() {
  const { state, update } = useWizard();
  const navigate = useNavigate();
  const create = useCreateDeployment();
  /** Exactly the HelmReleases the run watches (the provision page shows the same list). */
  const watched = expectedKitReleases(installSet(state.components));
  const fqdn = resolvedFqdn(state);
  const blocking = firstInvalidBefore(state, 6);
  const goTo = (step: number) => update((s) => ({ ...s, step }));

  const provision = () => {
    if (blocking !== -1) {
      update((s) => ({ ...s, step: blocking, attempted: [...new Set([...s.attempted, blocking])] }));
      return;
    }
    const parsed = provisionRequestSchema.safeParse(buildRequest(state));
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({
        path: i.path.map(String).join('.'),
        message: i.message,
      }));
      update((s) => ({
        ...s,
        serverIssues: issues,
        step: Math.min(...issues.map((i) => stepOfPath(i.path))),
      }));
      return;
    }
    update((s) => (s.serverIssues.length > 0 ? { ...s, serverIssues: [] } : s));
    create.mutate(parsed.data, {
      onSuccess: (created) => {
        void navigate({ to: '/sovereign/provision/$id', params: { id: created.id } });
      },
      onError: (error) => {
        if (!isApiError(error)) return;
        let issues = error.status === 400 ? mapServerIssues(error.details) : [];
        if (error.code === 'fqdn_in_use') {
          issues = [
            {
              path: state.domainMode === 'pool' ? 'domain.subdomain' : 'domain.domain',
              message: error.message,
            },
          ];
        }
        if (issues.length > 0) {
          const step = Math.min(...issues.map((i) => stepOfPath(i.path)));
          update((s) => ({
            ...s,
            serverIssues: issues,
            step,
            subdomainCheck: error.code === 'fqdn_in_use' ? null : s.subdomainCheck,
          }));
        }
      },
    });
  };

  const serverError =
    create.error &&
    isApiError(create.error) &&
    create.error.status !== 400 &&
    create.error.code !== 'fqdn_in_use'
      ? create.error.message
      : null;

  return (
    <div className="sov-step">
      <StepTitle title="Ready to launch">Check everything, then provision.</StepTitle>
      {blocking !== -1 && (
        <div className="alert alert--error" role="alert" data-testid="review-blocking">
          <p>
            {wizardSteps[blocking]?.label} needs attention:{' '}
            {stepIssues(state, blocking)[0]?.message ?? 'complete this step'}.
            {((blocking === 3 && !state.hetznerToken) ||
              (blocking === 5 && state.smtpEnabled && state.smtpUsername.trim() && !state.smtpPassword)) &&
              ' Secrets are not kept when the page reloads.'}
          </p>
          <button type="button" className="button button--small" onClick={() => goTo(blocking)}>
            Go to {wizardSteps[blocking]?.label}
          </button>
        </div>
      )}
      <div className="sov-review-grid">
        <ReviewSection title="Organisation" step={0} onEdit={goTo}>
          <Row label="Name" value={state.org.name} />
          <Row label="Industry" value={state.org.industry} />
          <Row label="Size" value={state.org.size} />
          <Row label="Headquarters" value={state.org.headquarters} />
          <Row label="Compliance" value={state.org.compliance.join(', ') || '—'} />
        </ReviewSection>
        <ReviewSection title="Topology" step={1} onEdit={goTo}>
          <Row label="Regions" value={String(state.regions.length)} />
          <Row
            label="High availability"
            value={state.haEnabled ? 'Yes (3 control-plane nodes per region)' : 'No'}
          />
        </ReviewSection>
        <ReviewSection title="Provider" step={2} onEdit={goTo}>
          {state.regions.map((region, i) => (
            <Row
              // biome-ignore lint/suspicious/noArrayIndexKey: regions are positional
              key={i}
              label={`Region ${i + 1}`}
              testId={`review-region-${i}`}
              value={`${findProvider(region.provider)?.name ?? region.provider} · ${regionLabel(
                region.provider,
                region.cloudRegion,
              )} · CP ${region.controlPlaneSize}${
                region.workerCount > 0 ? ` · ${region.workerCount} × ${region.workerSize}` : ' · no workers'
              }`}
            />
          ))}
        </ReviewSection>
        <ReviewSection title="Credentials" step={3} onEdit={goTo}>
          <Row label="Hetzner token" value={maskSecret(state.hetznerToken)} testId="review-token" />
          <Row label="Project ID" value={state.hetznerProjectId || '—'} />
          <Row
            label="SSH key"
            value={state.sshFingerprint || `${state.sshPublicKey.split(' ')[0] ?? ''} key`}
            testId="review-ssh"
          />
        </ReviewSection>
        <ReviewSection title="Domain" step={5} onEdit={goTo}>
          <Row label="Mode" value={state.domainMode} />
          <Row label="Address" value={fqdn || '—'} testId="review-fqdn" />
          {state.domainMode === 'byo-api' && (
            <>
              <Row label="Registrar" value={state.registrar || '—'} />
              {Object.entries(state.registrarCredentials).map(([name, value]) => (
                <Row key={name} label={name} value={maskSecret(value)} />
              ))}
            </>
          )}
          <Row label="Admin e-mail" value={state.adminEmail} />
          {state.smtpEnabled ? (
            <>
              <Row label="Outbound mail" value={smtpEndpoint(state)} testId="review-smtp" />
              <Row label="Sender" value={state.smtpFrom.trim()} testId="review-smtp-from" />
            </>
          ) : (
            <Row label="Outbound mail" value="None: mail waits in the dev outbox" testId="review-smtp" />
          )}
        </ReviewSection>
        <ReviewSection title="Estimate" step={2} onEdit={goTo}>
          <Row
            label="Servers per month"
            value={`${euro(monthlyEstimate(state))}/mo`}
            testId="review-monthly-estimate"
          />
          <p className="muted sov-small">
            Hetzner list prices of the chosen server types; load balancer, volumes and traffic are extra.
          </p>
        </ReviewSection>
      </div>
      <ReviewSection title={`Install set (${watched.length})`} step={4} onEdit={goTo}>
        <p className="muted sov-small">
          What the Sovereign installs and the run watches: the selected components, what they need, and the
          platform's own releases.
        </p>
        <CapacityNote state={state} onChooseNodes={() => goTo(NODES_STEP)} />
        <ul className="sov-kit-groups" data-testid="review-install-set">
          {groupByFamily(watched, (id) => id).map((group) => (
            <li key={group.id} className="sov-kit-group" data-testid={`review-install-group-${group.id}`}>
              <h4>
                {group.name} <span className="muted">{group.subtitle}</span>{' '}
                <span className="muted" data-testid={`review-install-count-${group.id}`}>
                  ({group.items.length})
                </span>
              </h4>
              <ul className="sov-install-list">
                {group.items.map((id) => (
                  <li key={id} data-testid={`review-install-${id}`}>
                    {kitReleaseName(id)}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </ReviewSection>
      {serverError && (
        <div className="alert alert--error" role="alert">
          {serverError}
        </div>
      )}
      <div>
        <button
          type="button"
          className="button"
          data-testid="provision-button"
          disabled={create.isPending}
          onClick={provision}
        >
          {create.isPending ? 'Provisioning…' : 'Provision'}
        </button>
      </div>
    </div>
  );
}

function ReviewSection({
  title,
  step,
  onEdit,
  children,
}: {
  title: string;
  step: number;
  onEdit: (step: number) => void;
  children: ReactNode;
}) {
  return (
    <section className="sov-review-section">
      <header>
        <h3>{title}</h3>
        <button type="button" className="link-button" onClick={() => onEdit(step)}>
          Edit
        </button>
      </header>
      {children}
    </section>
  );
}

function Row({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="sov-review-row">
      <span className="muted">{label}</span>
      <span data-testid={testId}>{value || '—'}</span>
    </div>
  );
}
