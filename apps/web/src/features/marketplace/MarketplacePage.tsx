import { type AppInstall, type CatalogApp, managesApps, type Org } from '@catalyst/contracts';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Field } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import './marketplace.css';
import { QueryState } from '../../components/QueryState';
import { SuccessNotice } from '../../components/SuccessNotice';
import { describeError } from '../../lib/forms';
import { isApiError } from '../../lib/http';
import { AppCatalog } from './AppCatalog';
import { EnvironmentPicker } from './EnvironmentPicker';
import { InstalledApps } from './InstalledApps';
import { MembersPanel } from './MembersPanel';
import {
  useCatalogApps,
  useEnvironments,
  useInstallApp,
  useInstalls,
  useOrgs,
  useOrgWallet,
  useRetryInstall,
  useUninstallApp,
} from './queries';
import { WalletBalance } from './WalletBalance';

const route = getRouteApi('/authenticated/marketplace');

/** A failed action, said plainly: the api's message, and what to do about it where the user cannot. */
interface Problem {
  text: string;
  hint?: string;
}

/** Why `app` could not be installed, from the api's answer. */
function installProblem(app: CatalogApp, error: unknown): Problem {
  if (isApiError(error, 'insufficient_credit')) {
    return { text: `Not enough credit to install ${app.name}. ${error.message}` };
  }
  if (isApiError(error, 'cluster_unavailable')) {
    return {
      text: `Could not install ${app.name}: ${error.message}`,
      hint: 'Apps run on the cluster of this Sovereign: its operator must connect one before anything can be installed.',
    };
  }
  return { text: `Could not install ${app.name}: ${describeError(error)}` };
}

/** /marketplace/: a tenant's wallet, environments, the app catalogue and what is installed. */
export function MarketplacePage() {
  const orgs = useOrgs();
  return (
    <section className="page">
      <div className="page-header-row">
        <PageHeader eyebrow="Marketplace" title="Marketplace">
          <p>
            Install apps into your organisation's environments. Each app is paid monthly from your wallet.
          </p>
        </PageHeader>
        <WalletBalance />
      </div>
      <QueryState query={orgs} what="your organisations">
        {(list) => (list.length === 0 ? <NoOrg /> : <OrgChooser orgs={list} />)}
      </QueryState>
    </section>
  );
}

function NoOrg() {
  return (
    <div className="card" data-testid="no-org">
      <h2 className="card__title">You have no organisation yet</h2>
      <p className="muted">
        Organisations are created by redeeming a voucher: open the link in your voucher e-mail, or{' '}
        <Link to="/redeem/">enter a voucher code to redeem</Link>.
      </p>
    </div>
  );
}

function OrgChooser({ orgs }: { orgs: Org[] }) {
  const search = route.useSearch();
  const navigate = useNavigate();
  const org = orgs.find((candidate) => candidate.slug === search.org) ?? (orgs[0] as Org);
  return (
    <>
      {orgs.length > 1 && (
        <Field className="org-select" label="Organisation">
          {(control) => (
            <select
              {...control}
              value={org.slug}
              onChange={(event) =>
                void navigate({ to: '/marketplace/', search: { org: event.target.value }, replace: true })
              }
            >
              {orgs.map((candidate) => (
                <option key={candidate.slug} value={candidate.slug}>
                  {candidate.name} ({candidate.fqdn})
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <OrgWorkspace key={org.slug} org={org} />
    </>
  );
}

/** An install this page started: its notice follows the install's status as the cluster reports it. */
interface StartedInstall {
  id: string;
  name: string;
  environment: string;
}

function installNotice(started: StartedInstall, installs: AppInstall[] | undefined): string | null {
  const { name, environment } = started;
  switch (installs?.find((install) => install.id === started.id)?.status ?? 'installing') {
    case 'installing':
      return `${name} is being installed in ${environment}. Its address opens once it is running.`;
    case 'running':
      return `${name} is running in ${environment}: its address is open.`;
    default:
      // Failed, suspended or going away: its row says so, with what can be done.
      return null;
  }
}

function OrgWorkspace({ org }: { org: Org }) {
  const environments = useEnvironments(org.slug);
  const catalog = useCatalogApps();
  const installs = useInstalls(org.slug);
  // Whoever may install sees what the org's installs are paid from (its owner's wallet); a member does neither.
  const canManage = managesApps(org.role);
  const wallet = useOrgWallet(org.slug, canManage);
  const install = useInstallApp(org.slug);
  const retry = useRetryInstall(org.slug);
  const uninstall = useUninstallApp(org.slug);
  const [chosen, setChosen] = useState<string | undefined>();
  const [installingAppId, setInstallingAppId] = useState<string | undefined>();
  const [retryingId, setRetryingId] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | StartedInstall | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [removing, setRemoving] = useState<{ install: AppInstall; name: string } | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);

  const envList = environments.data ?? [];
  const environment = envList.some((env) => env.name === chosen) ? chosen : envList[0]?.name;

  const installApp = (app: CatalogApp) => {
    if (!environment) return;
    setNotice(null);
    setProblem(null);
    setInstallingAppId(app.id);
    install.mutate(
      { environment, appId: app.id },
      {
        onSuccess: (installed) =>
          setNotice({ id: installed.id, name: app.name, environment: installed.environment }),
        onError: (error) => setProblem(installProblem(app, error)),
        onSettled: () => setInstallingAppId(undefined),
      },
    );
  };

  const retryInstall = (target: AppInstall, name: string) => {
    setNotice(null);
    setProblem(null);
    setRetryingId(target.id);
    retry.mutate(target.id, {
      onSuccess: () => setNotice(`${name} is being installed again in ${target.environment}.`),
      onError: (error) => setProblem({ text: `Could not retry ${name}: ${describeError(error)}` }),
      onSettled: () => setRetryingId(undefined),
    });
  };

  const confirmUninstall = () => {
    if (!removing) return;
    const { install: target, name } = removing;
    setRemoveError(null);
    setNotice(null);
    setProblem(null);
    uninstall.mutate(target.id, {
      onSuccess: () => {
        setRemoving(null);
        setNotice(`${name} is being uninstalled from ${target.environment}.`);
      },
      onError: (error) => {
        if (isApiError(error) && error.status === 404) {
          setRemoving(null);
          setNotice(`${name} was already uninstalled.`);
        } else {
          setRemoveError(describeError(error));
        }
      },
    });
  };

  return (
    <>
      <section className="card" aria-labelledby="environments-title">
        <h2 id="environments-title" className="card__title">
          {org.name} <span className="muted org-fqdn">{org.fqdn}</span>
        </h2>
        {!canManage && (
          <p className="muted" data-testid="member-note">
            You are a member of {org.name}: you use its apps. Its owner or an org-admin creates environments
            and installs apps.
          </p>
        )}
        <QueryState query={environments} what="the environments">
          {(list) => (
            <EnvironmentPicker
              org={org.slug}
              environments={list}
              selected={environment}
              onSelect={setChosen}
              canCreate={canManage}
            />
          )}
        </QueryState>
      </section>

      <SuccessNotice
        notice={typeof notice === 'string' ? notice : notice && installNotice(notice, installs.data)}
      />
      {problem && (
        <p className="alert alert--error" role="alert">
          {problem.text}
          {problem.hint && (
            <>
              {' '}
              <span className="alert__hint">{problem.hint}</span>
            </>
          )}
        </p>
      )}

      <section className="card" aria-labelledby="apps-title">
        <h2 id="apps-title" className="card__title">
          Apps{environment ? ` for ${environment}` : ''}
        </h2>
        <QueryState query={catalog} what="the apps">
          {(apps) => (
            <AppCatalog
              apps={apps}
              installs={installs.data ?? []}
              environment={environment}
              balanceBaisa={wallet.data?.balanceBaisa}
              installingAppId={installingAppId}
              onInstall={installApp}
              readOnlyReason={canManage ? undefined : 'An owner or org-admin installs apps.'}
            />
          )}
        </QueryState>
      </section>

      <section className="card" aria-labelledby="installed-title">
        <h2 id="installed-title" className="card__title">
          Installed apps
        </h2>
        <QueryState query={installs} what="the installed apps">
          {(list) => (
            <InstalledApps
              installs={list}
              catalog={catalog.data ?? []}
              retryingId={retryingId}
              canManage={canManage}
              onRetry={retryInstall}
              onUninstall={(target, name) => {
                setRemoveError(null);
                setRemoving({ install: target, name });
              }}
            />
          )}
        </QueryState>
      </section>

      <MembersPanel org={org} />

      <ConfirmDialog
        open={removing !== null}
        title={`Uninstall ${removing?.name ?? ''} from ${removing?.install.environment ?? ''}?`}
        confirmLabel="Uninstall"
        danger
        busy={uninstall.isPending}
        error={removeError}
        onConfirm={confirmUninstall}
        onCancel={() => setRemoving(null)}
      >
        <p>
          The app at <code>{removing?.install.url}</code> stops, and its data goes with it.
        </p>
      </ConfirmDialog>
    </>
  );
}
