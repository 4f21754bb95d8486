import { readFileSync } from 'node:fs';
import { AppsV1Api, KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import { Inject, Injectable } from '@nestjs/common';
import { CORE_SCHEMA, load } from 'js-yaml';
import type { Logger } from 'pino';
import { AppError } from '../common/app-error.js';
import { LOGGER } from '../common/tokens.js';
import { CONFIG, type Config } from '../config/config.js';
import { SovereignKube } from './kube.client.js';
import { InvalidKubeconfigError, kubeConfigOptions, parseSovereignKubeconfig } from './kubeconfig.js';

/** The clients Catalyst uses on the cluster it runs on. */
export interface ClusterClients {
  objects: KubernetesObjectApi;
  apps: AppsV1Api;
  /** HelmReleases carrying `labelSelector` (Catalyst's own), across namespaces. */
  releases(labelSelector: string): SovereignKube;
}

/**
 * The cluster this Catalyst runs on, where tenants' apps are deployed: its pod's service account when
 * `KUBERNETES_SERVICE_HOST` is set, else the kubeconfig named by KUBECONFIG. That file is read with the
 * same strict parser as a Sovereign's posted kubeconfig (inline token or client certificate, one https
 * server), so nothing in it can make client-node run a command or read another file. Without either,
 * `clients()` refuses with 503 cluster_unavailable and says why.
 */
@Injectable()
export class LocalCluster {
  private readonly kubeConfig?: KubeConfig;
  private readonly unavailable?: string;
  private built?: ClusterClients;

  constructor(@Inject(CONFIG) config: Config, @Inject(LOGGER) logger: Logger) {
    const where = config.apps.cluster;
    try {
      if (where.inCluster) {
        this.kubeConfig = new KubeConfig();
        this.kubeConfig.loadFromCluster();
      } else if (where.kubeconfigPath) {
        this.kubeConfig = fromKubeconfigFile(where.kubeconfigPath);
      } else {
        this.unavailable =
          'This Catalyst is not connected to a Kubernetes cluster: run it in the cluster, or set KUBECONFIG.';
      }
    } catch (error) {
      this.kubeConfig = undefined;
      this.unavailable = `The cluster to deploy apps into cannot be used: ${(error as Error).message}`;
      logger.error({ reason: this.unavailable }, 'no cluster for tenant apps');
    }
  }

  get available(): boolean {
    return !!this.kubeConfig;
  }

  /** Refuses with 503 cluster_unavailable, saying why, when there is no cluster to deploy into. */
  assertAvailable(): void {
    if (!this.kubeConfig) throw new AppError(503, 'cluster_unavailable', this.unavailable ?? 'No cluster');
  }

  /** Built once: every event the app lifecycle handles uses them, several times over. */
  clients(): ClusterClients {
    this.assertAvailable();
    if (!this.built) {
      const kc = this.kubeConfig as KubeConfig;
      this.built = {
        objects: KubernetesObjectApi.makeApiClient(kc),
        apps: kc.makeApiClient(AppsV1Api),
        releases: (labelSelector) => new SovereignKube(kc, labelSelector),
      };
    }
    return this.built;
  }
}

/** An operator's kubeconfig file, accepted only in the strict shape (its server is the one it names). */
function fromKubeconfigFile(path: string): KubeConfig {
  const text = readFileSync(path, 'utf8');
  const server = serverNamedIn(text);
  try {
    const parsed = parseSovereignKubeconfig(text, {
      hosts: [server.hostname.replace(/^\[|\]$/g, '')],
      port: Number(server.port || 443),
    });
    const kc = new KubeConfig();
    kc.loadFromOptions(kubeConfigOptions(parsed));
    return kc;
  } catch (error) {
    if (error instanceof InvalidKubeconfigError)
      throw new Error(
        `KUBECONFIG (${path}): ${error.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      );
    throw error;
  }
}

function serverNamedIn(text: string): URL {
  let server: unknown;
  try {
    const document = load(text, { schema: CORE_SCHEMA }) as {
      clusters?: { cluster?: { server?: unknown } }[];
    };
    server = document?.clusters?.[0]?.cluster?.server;
  } catch {
    throw new Error('KUBECONFIG is not valid YAML');
  }
  if (typeof server !== 'string') throw new Error('KUBECONFIG names no cluster server');
  try {
    return new URL(server);
  } catch {
    throw new Error('KUBECONFIG names a cluster server that is not a URL');
  }
}
