import { z } from 'zod';

/*
 * The catalog: cloud providers with their regions and node sizes, and the components a Sovereign
 * can run, grouped in families. One source of truth for the api (validation, install order) and
 * the SPA (wizard cards); the api serves it under /api/v1/catalog.
 */

// ---------------------------------------------------------------------------------------------
// Providers, regions, node sizes
// ---------------------------------------------------------------------------------------------

export const providerIds = ['hetzner', 'huawei', 'oci', 'aws', 'azure'] as const;
export type ProviderId = (typeof providerIds)[number];
export const providerIdSchema = z.enum(providerIds);

export interface Region {
  id: string;
  name: string;
  /** ISO 3166-1 alpha-2 code of the country the region is in. */
  country?: string;
}

export interface Provider {
  id: ProviderId;
  name: string;
  /** Only available providers can be provisioned; the others are shown, marked not yet available. */
  available: boolean;
  regions: Region[];
}

export const nodeSizeCategories = [
  'shared-intel',
  'shared-amd',
  'shared-arm',
  'dedicated',
  'general-purpose',
  'compute-optimized',
  'memory-optimized',
] as const;
export type NodeSizeCategory = (typeof nodeSizeCategories)[number];

export interface NodeSize {
  id: string;
  label: string;
  vcpu: number;
  ramGb: number;
  /** Local disk in GB; null when the provider sizes storage separately (block volumes, EBS). */
  diskGb: number | null;
  /** The disk for people: "160 GB", "Variable" or "EBS-only". */
  diskLabel: string;
  priceHourEur: number;
  priceMonthEur: number;
  category: NodeSizeCategory;
  /** Exactly one size per provider is recommended: the wizard's default for control plane and workers. */
  recommended: boolean;
}

// Hetzner's regions are the locations the OpenTofu module accepts (`var.region`); Hetzner's `sin`
// location exists but the module rejects it, so offering it would only fail at provisioning.
export const providers: Provider[] = [
  {
    id: 'hetzner',
    name: 'Hetzner Cloud',
    available: true,
    regions: [
      { id: 'fsn1', name: 'Falkenstein', country: 'DE' },
      { id: 'nbg1', name: 'Nuremberg', country: 'DE' },
      { id: 'hel1', name: 'Helsinki', country: 'FI' },
      { id: 'ash', name: 'Ashburn', country: 'US' },
      { id: 'hil', name: 'Hillsboro', country: 'US' },
    ],
  },
  {
    id: 'huawei',
    name: 'Huawei Cloud',
    available: false,
    regions: [
      { id: 'eu-west-101', name: 'Dublin', country: 'IE' },
      { id: 'eu-west-204', name: 'Paris', country: 'FR' },
      { id: 'cn-north-4', name: 'Beijing', country: 'CN' },
      { id: 'ap-southeast-1', name: 'Hong Kong', country: 'HK' },
      { id: 'me-east-1', name: 'Riyadh', country: 'SA' },
    ],
  },
  {
    id: 'oci',
    name: 'Oracle Cloud (OCI)',
    available: false,
    regions: [
      { id: 'eu-frankfurt-1', name: 'Frankfurt', country: 'DE' },
      { id: 'eu-amsterdam-1', name: 'Amsterdam', country: 'NL' },
      { id: 'us-ashburn-1', name: 'Ashburn', country: 'US' },
      { id: 'us-phoenix-1', name: 'Phoenix', country: 'US' },
      { id: 'ap-singapore-1', name: 'Singapore', country: 'SG' },
    ],
  },
  {
    id: 'aws',
    name: 'Amazon Web Services',
    available: false,
    regions: [
      { id: 'eu-central-1', name: 'Frankfurt', country: 'DE' },
      { id: 'eu-west-1', name: 'Ireland', country: 'IE' },
      { id: 'us-east-1', name: 'N. Virginia', country: 'US' },
      { id: 'us-west-2', name: 'Oregon', country: 'US' },
      { id: 'ap-southeast-1', name: 'Singapore', country: 'SG' },
    ],
  },
  {
    id: 'azure',
    name: 'Microsoft Azure',
    available: false,
    regions: [
      { id: 'westeurope', name: 'West Europe', country: 'NL' },
      { id: 'northeurope', name: 'North Europe', country: 'IE' },
      { id: 'eastus', name: 'East US', country: 'US' },
      { id: 'westus2', name: 'West US 2', country: 'US' },
      { id: 'southeastasia', name: 'Southeast Asia', country: 'SG' },
    ],
  },
];

/** Hetzner bills in EUR; the label is the upper-case id, as in Hetzner's console. */
function hetzner(
  id: string,
  [vcpu, ramGb, diskGb]: [number, number, number],
  [priceHourEur, priceMonthEur]: [number, number],
  category: NodeSizeCategory,
  recommended = false,
): NodeSize {
  const label = id.toUpperCase();
  return {
    id,
    label,
    vcpu,
    ramGb,
    diskGb,
    diskLabel: `${diskGb} GB`,
    priceHourEur,
    priceMonthEur,
    category,
    recommended,
  };
}

const USD_TO_EUR = 0.92;
const HOURS_PER_MONTH = 730;

/** Other providers list USD per hour: EUR per hour rounded to 4 places, per month (730 h) to 2. */
function fromUsd(
  id: string,
  label: string,
  [vcpu, ramGb]: [number, number],
  diskLabel: string,
  usdHour: number,
  category: NodeSizeCategory,
  recommended = false,
): NodeSize {
  const eurHour = usdHour * USD_TO_EUR;
  return {
    id,
    label,
    vcpu,
    ramGb,
    diskGb: null,
    diskLabel,
    priceHourEur: Math.round(eurHour * 10_000) / 10_000,
    priceMonthEur: Math.round(eurHour * HOURS_PER_MONTH * 100) / 100,
    category,
    recommended,
  };
}

/** OCI flexible shapes are priced per OCPU and per GB of memory (USD per hour). */
const OCI_SHAPES = {
  'VM.Standard.E5.Flex': { ocpu: 0.03, gb: 0.002, vcpuPerOcpu: 2, category: 'general-purpose' },
  'VM.Standard.E4.Flex': { ocpu: 0.025, gb: 0.0015, vcpuPerOcpu: 2, category: 'general-purpose' },
  'VM.Standard3.Flex': { ocpu: 0.04, gb: 0.0015, vcpuPerOcpu: 2, category: 'general-purpose' },
  'VM.Standard.A1.Flex': { ocpu: 0.01, gb: 0.0015, vcpuPerOcpu: 1, category: 'shared-arm' },
} as const;

function oci(shape: keyof typeof OCI_SHAPES, ocpus: number, ramGb: number, recommended = false): NodeSize {
  const rate = OCI_SHAPES[shape];
  return fromUsd(
    `${shape}.${ocpus}.${ramGb}`,
    `${shape} (${ocpus} OCPU / ${ramGb} GB)`,
    [ocpus * rate.vcpuPerOcpu, ramGb],
    'Variable',
    ocpus * rate.ocpu + ramGb * rate.gb,
    rate.category,
    recommended,
  );
}

const huawei = (id: string, size: [number, number], usd: number, c: NodeSizeCategory, rec = false) =>
  fromUsd(id, id, size, 'Variable', usd, c, rec);
const aws = (id: string, size: [number, number], usd: number, c: NodeSizeCategory, rec = false) =>
  fromUsd(id, id, size, 'EBS-only', usd, c, rec);
const azure = (id: string, size: [number, number], usd: number, c: NodeSizeCategory, rec = false) =>
  fromUsd(id, id, size, 'Variable', usd, c, rec);

export const nodeSizes: Record<ProviderId, NodeSize[]> = {
  hetzner: [
    hetzner('cx23', [2, 4, 40], [0.0064, 3.99], 'shared-intel'),
    hetzner('cx33', [4, 8, 80], [0.0104, 6.49], 'shared-intel'),
    hetzner('cx43', [8, 16, 160], [0.0192, 11.99], 'shared-intel'),
    hetzner('cx53', [16, 32, 320], [0.036, 22.49], 'shared-intel'),
    hetzner('cpx22', [2, 4, 80], [0.0128, 7.99], 'shared-amd'),
    hetzner('cpx32', [4, 8, 160], [0.0232, 14.49], 'shared-amd', true),
    hetzner('cpx42', [8, 16, 320], [0.0408, 25.49], 'shared-amd'),
    hetzner('cpx52', [12, 24, 480], [0.0585, 36.49], 'shared-amd'),
    hetzner('cpx62', [16, 32, 640], [0.0809, 50.49], 'shared-amd'),
    hetzner('cax11', [2, 4, 40], [0.0072, 4.49], 'shared-arm'),
    hetzner('cax21', [4, 8, 80], [0.0128, 7.99], 'shared-arm'),
    hetzner('cax31', [8, 16, 160], [0.0256, 15.99], 'shared-arm'),
    hetzner('cax41', [16, 32, 320], [0.0505, 31.49], 'shared-arm'),
    hetzner('ccx13', [2, 8, 80], [0.0256, 15.99], 'dedicated'),
    hetzner('ccx23', [4, 16, 160], [0.0505, 31.49], 'dedicated'),
    hetzner('ccx33', [8, 32, 240], [0.1001, 62.49], 'dedicated'),
    hetzner('ccx43', [16, 64, 360], [0.2003, 124.99], 'dedicated'),
    hetzner('ccx53', [32, 128, 600], [0.4006, 249.99], 'dedicated'),
    hetzner('ccx63', [48, 192, 960], [0.6001, 374.49], 'dedicated'),
  ],
  huawei: [
    huawei('s7.large.2', [2, 4], 0.085, 'general-purpose'),
    huawei('s7.xlarge.2', [4, 8], 0.17, 'general-purpose'),
    huawei('s7.2xlarge.2', [8, 16], 0.34, 'general-purpose'),
    huawei('s7.4xlarge.2', [16, 32], 0.68, 'general-purpose'),
    huawei('c7n.large.2', [2, 4], 0.1, 'general-purpose'),
    huawei('c7n.xlarge.2', [4, 8], 0.2, 'general-purpose', true),
    huawei('c7n.2xlarge.2', [8, 16], 0.4, 'general-purpose'),
    huawei('c7n.4xlarge.2', [16, 32], 0.8, 'general-purpose'),
    huawei('m7.large.8', [2, 16], 0.114, 'memory-optimized'),
    huawei('m7.xlarge.8', [4, 32], 0.228, 'memory-optimized'),
    huawei('m7.2xlarge.8', [8, 64], 0.456, 'memory-optimized'),
  ],
  oci: [
    oci('VM.Standard.E5.Flex', 1, 8),
    oci('VM.Standard.E5.Flex', 2, 16, true),
    oci('VM.Standard.E5.Flex', 4, 32),
    oci('VM.Standard.E5.Flex', 8, 64),
    oci('VM.Standard.E4.Flex', 2, 16),
    oci('VM.Standard.E4.Flex', 4, 32),
    oci('VM.Standard3.Flex', 2, 16),
    oci('VM.Standard3.Flex', 4, 32),
    oci('VM.Standard.A1.Flex', 2, 12),
    oci('VM.Standard.A1.Flex', 4, 24),
    oci('VM.Standard.A1.Flex', 8, 48),
  ],
  aws: [
    aws('m6i.large', [2, 8], 0.096, 'general-purpose'),
    aws('m6i.xlarge', [4, 16], 0.192, 'general-purpose', true),
    aws('m6i.2xlarge', [8, 32], 0.384, 'general-purpose'),
    aws('m6i.4xlarge', [16, 64], 0.768, 'general-purpose'),
    aws('c6i.large', [2, 4], 0.085, 'compute-optimized'),
    aws('c6i.xlarge', [4, 8], 0.17, 'compute-optimized'),
    aws('c6i.2xlarge', [8, 16], 0.34, 'compute-optimized'),
    aws('c6i.4xlarge', [16, 32], 0.68, 'compute-optimized'),
    aws('r6i.large', [2, 16], 0.126, 'memory-optimized'),
    aws('r6i.xlarge', [4, 32], 0.252, 'memory-optimized'),
    aws('r6i.2xlarge', [8, 64], 0.504, 'memory-optimized'),
    aws('m7g.large', [2, 8], 0.0816, 'shared-arm'),
    aws('m7g.xlarge', [4, 16], 0.1632, 'shared-arm'),
    aws('m7g.2xlarge', [8, 32], 0.3264, 'shared-arm'),
    aws('m7g.4xlarge', [16, 64], 0.6528, 'shared-arm'),
  ],
  azure: [
    azure('Standard_D2s_v5', [2, 8], 0.096, 'general-purpose'),
    azure('Standard_D4s_v5', [4, 16], 0.192, 'general-purpose', true),
    azure('Standard_D8s_v5', [8, 32], 0.384, 'general-purpose'),
    azure('Standard_D16s_v5', [16, 64], 0.768, 'general-purpose'),
    azure('Standard_E2s_v5', [2, 16], 0.126, 'memory-optimized'),
    azure('Standard_E4s_v5', [4, 32], 0.252, 'memory-optimized'),
    azure('Standard_E8s_v5', [8, 64], 0.504, 'memory-optimized'),
    azure('Standard_D2ps_v5', [2, 8], 0.077, 'shared-arm'),
    azure('Standard_D4ps_v5', [4, 16], 0.154, 'shared-arm'),
    azure('Standard_D8ps_v5', [8, 32], 0.308, 'shared-arm'),
  ],
};

/** The versions cloud-init installs on a new Sovereign. */
export const platformVersions = { k3s: 'v1.31.4+k3s1', cilium: '1.16.5', flux: '2.4.0' } as const;

export function findProvider(id: string): Provider | undefined {
  return providers.find((provider) => provider.id === id);
}

export function findRegion(provider: string, regionId: string): Region | undefined {
  return findProvider(provider)?.regions.find((region) => region.id === regionId);
}

export function findNodeSize(provider: string, sizeId: string): NodeSize | undefined {
  const sizes = (nodeSizes as Record<string, NodeSize[] | undefined>)[provider];
  return sizes?.find((size) => size.id === sizeId);
}

/** The provider's recommended size (the wizard's default). */
export function recommendedNodeSize(provider: ProviderId): NodeSize {
  const size = nodeSizes[provider].find((candidate) => candidate.recommended);
  if (!size) throw new Error(`No recommended node size for ${provider}`);
  return size;
}

// ---------------------------------------------------------------------------------------------
// Components
// ---------------------------------------------------------------------------------------------

export const componentTiers = ['mandatory', 'recommended', 'optional'] as const;
export type ComponentTier = (typeof componentTiers)[number];

export const familyIds = [
  'pilot',
  'spine',
  'surge',
  'silo',
  'guardian',
  'insights',
  'fabric',
  'cortex',
  'relay',
] as const;
export type FamilyId = (typeof familyIds)[number];

export interface Family {
  id: FamilyId;
  name: string;
  subtitle: string;
  tier: ComponentTier;
}

export const families: Family[] = [
  { id: 'pilot', name: 'PILOT', subtitle: 'GitOps & IaC', tier: 'mandatory' },
  { id: 'spine', name: 'SPINE', subtitle: 'Networking & Service Mesh', tier: 'mandatory' },
  { id: 'surge', name: 'SURGE', subtitle: 'Scaling & Resilience', tier: 'mandatory' },
  { id: 'silo', name: 'SILO', subtitle: 'Storage & Registry', tier: 'mandatory' },
  { id: 'guardian', name: 'GUARDIAN', subtitle: 'Security & Identity', tier: 'mandatory' },
  { id: 'insights', name: 'INSIGHTS', subtitle: 'AIOps & Observability', tier: 'recommended' },
  { id: 'fabric', name: 'FABRIC', subtitle: 'Data & Integration', tier: 'recommended' },
  { id: 'cortex', name: 'CORTEX', subtitle: 'AI & Machine Learning', tier: 'optional' },
  { id: 'relay', name: 'RELAY', subtitle: 'Communication', tier: 'optional' },
];

export interface LogoSurface {
  /** The logo tile's background: the brand's own surface, so marks stay legible in both themes. */
  background: string;
  /** Colour of the letter-mark shown when a component has no logo. */
  text: string;
}

export interface CatalogComponent {
  id: string;
  name: string;
  family: FamilyId;
  description: string;
  /** The declared tier; cnpg and valkey are declared recommended but are mandatory (see `mandatory`). */
  tier: ComponentTier;
  /** Effective: declared mandatory, or a (transitive) dependency of a mandatory component. */
  mandatory: boolean;
  /** Declared recommended and not mandatory: selected by default, and the operator may drop it. */
  recommended: boolean;
  /** Ids of the components this one needs installed first. */
  dependencies: string[];
  /** URL path of the brand mark under the SPA's public assets; null → letter-mark. */
  logo: string | null;
  logoSurface: LogoSurface;
}

/** The surface for a letter-mark that has no brand surface of its own. */
export const fallbackLogoSurface: LogoSurface = { background: '#0F172A', text: '#F8FAFC' };

type Entry = [
  id: string,
  name: string,
  tier: ComponentTier,
  dependencies: string[],
  logo: 'svg' | 'png' | null,
  surface: `${string}/${string}`,
];

const M = 'mandatory';
const R = 'recommended';
const O = 'optional';

const entries: Record<FamilyId, Entry[]> = {
  pilot: [
    ['flux', 'Flux CD', M, [], 'svg', '#326CE5/#FFFFFF'],
    ['crossplane', 'Crossplane', M, [], 'svg', '#1F2937/#FFCD3C'],
    ['gitea', 'Gitea', M, ['cnpg'], 'svg', '#FFFFFF/#609926'],
    ['opentofu', 'OpenTofu', M, [], 'svg', '#0F1115/#FFDA18'],
    ['vcluster', 'vCluster', M, [], 'svg', '#FF6600/#FFFFFF'],
  ],
  spine: [
    ['cilium', 'Cilium', M, [], 'svg', '#1A2236/#FFFFFF'],
    ['coraza', 'Coraza WAF', M, [], 'png', '#1A1A1A/#E53E3E'],
    ['powerdns', 'PowerDNS', M, ['cnpg'], null, '#0B1B33/#60A5FA'],
    ['external-dns', 'External DNS', M, ['powerdns'], 'png', '#FFFFFF/#326CE5'],
    ['envoy', 'Envoy', M, [], 'svg', '#FFFFFF/#B31AAB'],
    ['frpc', 'frpc', R, [], 'svg', '#FFFFFF/#477EE5'],
    ['netbird', 'NetBird', M, [], 'png', '#101724/#F68330'],
    ['strongswan', 'strongSwan', O, [], 'png', '#FFFFFF/#9F1313'],
  ],
  surge: [
    ['vpa', 'VPA', M, [], 'svg', '#FFFFFF/#326CE5'],
    ['keda', 'KEDA', M, [], 'svg', '#326DE6/#FFFFFF'],
    ['reloader', 'Reloader', M, [], 'svg', '#FFFFFF/#FA8303'],
    ['continuum', 'Continuum', R, [], null, '#0E2A2C/#5EEAD4'],
  ],
  silo: [
    ['seaweedfs', 'SeaweedFS', M, [], 'svg', '#FFFFFF/#0E7C7B'],
    ['velero', 'Velero', M, ['seaweedfs'], 'svg', '#1B1F26/#239DE0'],
    ['harbor', 'Harbor', M, ['cnpg', 'seaweedfs', 'valkey'], 'svg', '#FFFFFF/#4596D8'],
  ],
  guardian: [
    ['falco', 'Falco', R, [], 'svg', '#0E1116/#00B5AD'],
    ['kyverno', 'Kyverno', M, [], 'svg', '#FFFFFF/#0095D5'],
    ['trivy', 'Trivy', R, [], 'png', '#FFFFFF/#1904DA'],
    ['syft-grype', 'Syft + Grype', R, [], 'png', '#0F1837/#3FA9F5'],
    ['sigstore', 'Sigstore', R, [], 'svg', '#FAF7EF/#2E2F71'],
    ['keycloak', 'Keycloak', R, ['cnpg'], 'svg', '#FFFFFF/#4D4D4D'],
    ['openbao', 'OpenBao', M, [], 'svg', '#1A1A1A/#02A5A5'],
    ['external-secrets', 'External Secrets', M, ['openbao'], 'svg', '#FFFFFF/#326CE5'],
    ['cert-manager', 'Cert-Manager', M, ['external-dns'], 'svg', '#FFFFFF/#326CE5'],
  ],
  insights: [
    ['grafana', 'Grafana', R, ['cnpg', 'loki', 'mimir', 'tempo', 'keycloak'], 'svg', '#0B0F19/#F46800'],
    ['opentelemetry', 'OpenTelemetry', R, [], 'svg', '#FFFFFF/#425CC7'],
    // The surface the cosmetic guard holds alloy to (logoTone.ts had white). Its mark is a single
    // orange (#FD6F00) shape, so the tile needs the mark drawn light to stay visible.
    ['alloy', 'Alloy', R, ['opentelemetry'], 'svg', '#FF671D/#FFFFFF'],
    ['loki', 'Loki', R, ['seaweedfs'], 'png', '#0B0F19/#FFC832'],
    ['mimir', 'Mimir', R, ['seaweedfs'], 'png', '#0B0F19/#34CDF9'],
    ['tempo', 'Tempo', R, ['seaweedfs'], 'svg', '#0B0F19/#F46800'],
    ['opensearch', 'OpenSearch', R, [], 'svg', '#FFFFFF/#005EB8'],
    ['litmus', 'Litmus', O, [], 'svg', '#878EDE/#FFFFFF'],
    ['openmeter', 'OpenMeter', O, ['cnpg'], 'png', '#1F1F1F/#F23173'],
    ['specter', 'Specter', O, ['bge', 'milvus', 'langfuse', 'vllm', 'kserve'], null, '#1E1B4B/#C7D2FE'],
  ],
  fabric: [
    ['cnpg', 'CloudNative PG', R, [], 'svg', '#FFFFFF/#336791'],
    ['valkey', 'Valkey', R, [], 'svg', '#FFFFFF/#DC382D'],
    ['strimzi', 'Strimzi', R, [], 'svg', '#192C47/#54BAD8'],
    ['debezium', 'Debezium', R, ['strimzi'], 'svg', '#1F2937/#91D443'],
    ['flink', 'Apache Flink', O, [], 'svg', '#FFFFFF/#E65270'],
    ['temporal', 'Temporal', O, ['cnpg'], 'svg', '#127ED1/#FFFFFF'],
    ['clickhouse', 'ClickHouse', O, [], 'svg', '#FFCC00/#000000'],
    ['ferretdb', 'FerretDB', O, ['cnpg'], 'png', '#042B41/#D4A574'],
    ['iceberg', 'Iceberg', O, ['seaweedfs'], 'svg', '#FFFFFF/#277ABE'],
    ['superset', 'Superset', O, ['cnpg'], 'svg', '#FFFFFF/#20A7C9'],
  ],
  cortex: [
    ['kserve', 'KServe', M, [], 'svg', '#FFFFFF/#326CE5'],
    ['knative', 'Knative', O, [], 'svg', '#FFFFFF/#1A73E8'],
    ['axon', 'Axon', R, [], null, '#2D1B69/#A78BFA'],
    ['neo4j', 'Neo4j', O, [], 'svg', '#FFFFFF/#018BFF'],
    ['vllm', 'vLLM', O, [], 'png', '#0F0F23/#FA64C5'],
    ['milvus', 'Milvus', O, ['seaweedfs'], 'svg', '#0E0F2C/#33B5F1'],
    ['bge', 'BGE', O, [], null, '#0E2A2C/#5EEAD4'],
    ['langfuse', 'LangFuse', O, ['cnpg', 'keycloak'], 'png', '#0A0A0A/#83CDA1'],
    ['librechat', 'LibreChat', O, ['ferretdb'], 'svg', '#0E1828/#21FACF'],
  ],
  relay: [
    ['stalwart', 'Stalwart', R, [], 'svg', '#100E42/#DB2D54'],
    ['livekit', 'LiveKit', R, [], 'svg', '#070D1B/#7AFAE1'],
    ['stunner', 'STUNner', R, [], 'svg', '#0F172A/#FF7849'],
    ['matrix', 'Matrix', O, ['cnpg'], 'svg', '#FFFFFF/#000000'],
    ['ntfy', 'Ntfy', O, [], 'svg', '#348878/#FFFFFF'],
  ],
};

/** One sentence per component for its card. */
const descriptions: Record<string, string> = {
  flux: 'GitOps engine that keeps the cluster in step with its Git repository.',
  crossplane: 'Manages cloud resources as Kubernetes objects, reconciled like any workload.',
  gitea: 'Self-hosted Git service that holds the Sovereign’s own GitOps repositories.',
  opentofu: 'Open-source infrastructure as code that provisions the cloud resources underneath.',
  vcluster: 'Runs isolated virtual Kubernetes clusters inside the host cluster.',
  cilium: 'eBPF networking, network policy and service mesh for every pod.',
  coraza: 'Web application firewall that blocks attacks with the OWASP Core Rule Set.',
  powerdns: 'Authoritative DNS server that answers for the Sovereign’s own zones.',
  'external-dns': 'Publishes DNS records for services and ingresses as they come and go.',
  envoy: 'High-performance proxy at the edge that routes all incoming traffic.',
  frpc: 'Tunnel client that exposes services running behind NAT or a firewall.',
  netbird: 'WireGuard mesh VPN for private operator access to the Sovereign.',
  strongswan: 'IPsec VPN for site-to-site links to on-premises networks.',
  vpa: 'Right-sizes pod CPU and memory requests from observed usage.',
  keda: 'Scales workloads on events such as queue length, down to zero when idle.',
  reloader: 'Restarts workloads when the ConfigMaps or Secrets they use change.',
  continuum: 'Lease-based failover orchestrator that moves workloads between regions without split-brain.',
  seaweedfs: 'S3-compatible object storage for backups, images and telemetry.',
  velero: 'Backs up and restores cluster resources and persistent volumes.',
  harbor: 'Container registry with vulnerability scanning, signing and replication.',
  falco: 'Detects suspicious behaviour in containers and hosts at runtime.',
  kyverno: 'Policy engine that validates, mutates and generates Kubernetes resources.',
  trivy: 'Scans images and the cluster for vulnerabilities and misconfigurations.',
  'syft-grype': 'Builds software bills of materials and matches them against known vulnerabilities.',
  sigstore: 'Signs container images and verifies signatures before they run.',
  keycloak: 'Identity and access management with single sign-on over OIDC and SAML.',
  openbao: 'Secrets manager (an open-source Vault fork) for keys, credentials and PKI.',
  'external-secrets': 'Syncs secrets from OpenBao into Kubernetes Secrets.',
  'cert-manager': 'Issues and renews TLS certificates automatically.',
  grafana: 'Dashboards and alerting over metrics, logs and traces.',
  opentelemetry: 'Vendor-neutral collection of traces, metrics and logs from applications.',
  alloy: 'Grafana’s telemetry collector that ships signals to Loki, Mimir and Tempo.',
  loki: 'Log aggregation that indexes labels only and keeps logs in object storage.',
  mimir: 'Scalable long-term storage for Prometheus metrics.',
  tempo: 'Distributed tracing backend that keeps traces in object storage.',
  opensearch: 'Search and analytics engine for logs and full-text search.',
  litmus: 'Chaos engineering that injects faults to prove the platform recovers.',
  openmeter: 'Meters usage events for billing, quotas and showback.',
  specter:
    'AIOps agents that explain incidents and check compliance with models running inside the Sovereign.',
  cnpg: 'Operator that runs highly available PostgreSQL clusters with continuous backup.',
  valkey: 'In-memory key-value store (an open-source Redis fork) for caches and queues.',
  strimzi: 'Runs Apache Kafka clusters on Kubernetes for event streaming.',
  debezium: 'Streams database changes into Kafka as events (change data capture).',
  flink: 'Stateful stream processing for real-time data pipelines.',
  temporal: 'Durable workflow engine that keeps long-running processes going through failures.',
  clickhouse: 'Column-oriented database for fast analytics over large datasets.',
  ferretdb: 'MongoDB-compatible document database that stores its data in PostgreSQL.',
  iceberg: 'Open table format for large analytic datasets on object storage.',
  superset: 'Data exploration and dashboards for business intelligence.',
  kserve: 'Serves machine-learning models behind autoscaling inference endpoints.',
  knative: 'Serverless runtime that scales request-driven workloads, down to zero.',
  axon: 'OpenOva’s AI gateway: one governed API in front of the models the Sovereign serves.',
  neo4j: 'Graph database for connected data and knowledge graphs.',
  vllm: 'High-throughput inference server for large language models.',
  milvus: 'Vector database for similarity search over embeddings.',
  bge: 'BGE embedding models that turn text into vectors for semantic search.',
  langfuse: 'Tracing, evaluation and prompt management for LLM applications.',
  librechat: 'Self-hosted chat interface for the AI models the Sovereign runs.',
  stalwart: 'All-in-one mail server speaking SMTP, IMAP and JMAP.',
  livekit: 'Real-time audio and video over WebRTC.',
  stunner: 'Kubernetes media gateway that relays WebRTC traffic over STUN and TURN.',
  matrix: 'Federated, end-to-end encrypted messaging server.',
  ntfy: 'Push notifications to phones and desktops over plain HTTP.',
};

/**
 * Catalog entries Catalyst cannot install yet, each with the reason: they are not offered in the wizard at all
 * (no card, not in any selection) and the api refuses them. Everything else has a Blueprint (charts/bp-<id>) and a
 * release in the bootstrap kit (bootstrap-kit.ts), which the contract tests hold.
 */
export const notInstallable: Readonly<Record<string, string>> = {
  continuum: 'an OpenOva product with no public chart or image to install',
  axon: 'an OpenOva product with no public chart or image to install',
  specter: 'an OpenOva product with no public chart or image to install',
  vcluster:
    'its open-source chart makes one virtual cluster per release (a per-tenant thing, not a kit release); on-demand virtual clusters are the proprietary vCluster Platform',
  netbird:
    'self-hosted NetBird needs an OIDC realm with two clients, a management.json, gRPC ingress and STUN, none of which the kit provisions yet',
  frpc: 'it tunnels to an frps server whose address and token the operator must give, and the wizard does not ask for them yet',
  openmeter:
    'its chart bundles a passwordless ClickHouse with its own cluster-wide operator, fixed credentials in ConfigMaps and about 3 GiB of Kafka and services, with no values to make it safe or small',
  superset:
    'its Helm chart is deprecated for an operator, and no released version of the chart can be vendored and pinned',
  'syft-grype':
    'command-line scanners with no chart and shell-less images (a scheduled scan needs an image of our own); Trivy does in-cluster SBOM and vulnerability scanning',
};

const declared = familyIds
  .flatMap((family) => entries[family].map((entry) => ({ family, entry })))
  .filter(({ entry }) => !(entry[0] in notInstallable));
const declaredById = new Map(declared.map(({ entry }) => [entry[0], entry]));

/** Every component a declared-mandatory one needs, directly or not, is mandatory too (cnpg, valkey). */
function effectiveMandatory(): Set<string> {
  const result = new Set<string>();
  const visit = (id: string) => {
    if (result.has(id)) return;
    result.add(id);
    for (const dependency of declaredById.get(id)?.[3] ?? []) visit(dependency);
  };
  for (const [id, , tier] of declaredById.values()) if (tier === 'mandatory') visit(id);
  return result;
}

const mandatorySet = effectiveMandatory();

export const components: CatalogComponent[] = declared.map(({ family, entry }) => {
  const [id, name, tier, dependencies, logo, surface] = entry;
  const [background = '', text = ''] = surface.split('/');
  const mandatory = mandatorySet.has(id);
  return {
    id,
    name,
    family,
    description: descriptions[id] ?? '',
    tier,
    mandatory,
    recommended: tier === 'recommended' && !mandatory,
    dependencies,
    logo: logo ? `/component-logos/${id}.${logo}` : null,
    logoSurface: { background, text },
  };
});

const componentsById = new Map(components.map((component) => [component.id, component]));

export function findComponent(id: string): CatalogComponent | undefined {
  return componentsById.get(id);
}

/** The components every Sovereign runs, after transitive promotion, sorted by id. */
export function mandatoryComponentIds(): string[] {
  return components
    .filter((c) => c.mandatory)
    .map((c) => c.id)
    .sort();
}

/** Known ids plus everything they need, directly or not. */
function withDependencies(ids: Iterable<string>): Set<string> {
  const result = new Set<string>();
  const visit = (id: string) => {
    const component = componentsById.get(id);
    if (!component || result.has(id)) return;
    result.add(id);
    for (const dependency of component.dependencies) visit(dependency);
  };
  for (const id of ids) visit(id);
  return result;
}

/** The wizard's starting selection: mandatory + recommended + what they need, sorted by id. */
export function defaultSelection(): string[] {
  const chosen = components.filter((c) => c.mandatory || c.recommended).map((c) => c.id);
  return [...withDependencies(chosen)].sort();
}

/** Orders ids so that each comes after its dependencies; among ready ids the smallest goes first. */
function dependencyOrder(ids: Set<string>): string[] {
  const pending = [...ids].sort();
  const placed = new Set<string>();
  const order: string[] = [];
  while (order.length < pending.length) {
    const next = pending.find(
      (id) => !placed.has(id) && (componentsById.get(id)?.dependencies ?? []).every((dep) => placed.has(dep)),
    );
    if (next === undefined)
      throw new Error(`Dependency cycle among ${pending.filter((id) => !placed.has(id))}`);
    placed.add(next);
    order.push(next);
  }
  return order;
}

/**
 * What a Sovereign with this selection installs: the mandatory components, the selected ones and
 * everything they need, each after its dependencies (ties by id). Unknown ids are ignored here;
 * `unknownComponentIds` is for rejecting them.
 */
export function installSet(selected: readonly string[]): string[] {
  return dependencyOrder(withDependencies([...mandatoryComponentIds(), ...selected]));
}

/**
 * The selected components whose dependencies are not all selected (a mandatory one counts as selected: every
 * Sovereign runs it), each with what it lacks. The wizard's cascade never sends such a selection.
 */
export function missingDependencies(selected: readonly string[]): { id: string; missing: string[] }[] {
  const chosen = new Set([...selected, ...mandatoryComponentIds()]);
  return [...new Set(selected)].flatMap((id) => {
    const missing = (componentsById.get(id)?.dependencies ?? []).filter(
      (dependency) => !chosen.has(dependency),
    );
    return missing.length ? [{ id, missing }] : [];
  });
}

/** The ids that name no component, each once, in the order given. */
export function unknownComponentIds(ids: readonly string[]): string[] {
  return [...new Set(ids.filter((id) => !componentsById.has(id)))];
}

/** Every component that needs `id`, directly or not, sorted by id: what removing `id` takes with it. */
export function dependentsOf(id: string): string[] {
  const result = new Set<string>();
  const visit = (target: string) => {
    for (const component of components) {
      if (component.dependencies.includes(target) && !result.has(component.id)) {
        result.add(component.id);
        visit(component.id);
      }
    }
  };
  visit(id);
  return [...result].sort();
}

// ---------------------------------------------------------------------------------------------
// API schemas
// ---------------------------------------------------------------------------------------------

export const regionSchema = z.object({
  id: z.string(),
  name: z.string(),
  country: z.string().optional(),
}) satisfies z.ZodType<Region>;

export const nodeSizeSchema = z.object({
  id: z.string(),
  label: z.string(),
  vcpu: z.number(),
  ramGb: z.number(),
  diskGb: z.number().nullable(),
  diskLabel: z.string(),
  priceHourEur: z.number(),
  priceMonthEur: z.number(),
  category: z.enum(nodeSizeCategories),
  recommended: z.boolean(),
}) satisfies z.ZodType<NodeSize>;

export const providerSchema = z.object({
  id: providerIdSchema,
  name: z.string(),
  available: z.boolean(),
  regions: z.array(regionSchema),
}) satisfies z.ZodType<Provider>;

export const providerCatalogSchema = z.object({
  providers: z.array(providerSchema.extend({ nodeSizes: z.array(nodeSizeSchema) })),
});
export type ProviderCatalog = z.infer<typeof providerCatalogSchema>;

export const familySchema = z.object({
  id: z.enum(familyIds),
  name: z.string(),
  subtitle: z.string(),
  tier: z.enum(componentTiers),
}) satisfies z.ZodType<Family>;

export const catalogComponentSchema = z.object({
  id: z.string(),
  name: z.string(),
  family: z.enum(familyIds),
  description: z.string(),
  tier: z.enum(componentTiers),
  mandatory: z.boolean(),
  recommended: z.boolean(),
  dependencies: z.array(z.string()),
  logo: z.string().nullable(),
  logoSurface: z.object({ background: z.string(), text: z.string() }),
}) satisfies z.ZodType<CatalogComponent>;

export const componentCatalogSchema = z.object({
  families: z.array(familySchema),
  components: z.array(catalogComponentSchema),
});
export type ComponentCatalog = z.infer<typeof componentCatalogSchema>;

export const installSetRequestSchema = z.strictObject({
  components: z.array(z.string().trim().max(64)).max(200),
});
export type InstallSetRequest = z.infer<typeof installSetRequestSchema>;

export const installSetResponseSchema = z.object({
  /** Everything to install, each component after its dependencies. */
  components: z.array(z.string()),
  /** What the server added beyond the selection: mandatory components and dependencies. */
  added: z.array(z.string()),
});
export type InstallSetResponse = z.infer<typeof installSetResponseSchema>;
