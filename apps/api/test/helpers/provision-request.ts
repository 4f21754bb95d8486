import type { ProvisionRequest } from '@catalyst/contracts';

/** A 64-character token shaped like Hetzner's (the provider refuses any other length). */
export const FAKE_HETZNER_TOKEN = 'HcT0k3nForTests0nlyAbcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHI';

/** A valid provision request; tests override what they are about. */
export function provisionRequest(overrides: Partial<ProvisionRequest> = {}): ProvisionRequest {
  return {
    org: {
      name: 'Omantel Cloud',
      industry: 'Telecommunications',
      size: '10,000+',
      headquarters: 'Muscat, Oman',
      compliance: ['GDPR'],
    },
    topology: {
      regions: [
        {
          provider: 'hetzner',
          cloudRegion: 'fsn1',
          controlPlaneSize: 'cpx32',
          workerSize: 'cpx42',
          workerCount: 1,
        },
      ],
      haEnabled: false,
    },
    credentials: {
      hetznerToken: FAKE_HETZNER_TOKEN,
      hetznerProjectId: '1234567',
      sshPublicKey:
        'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl admin@omantel',
    },
    components: ['harbor', 'trivy'],
    domain: { mode: 'pool', poolDomain: 'omani.works', subdomain: 'omantel' },
    adminEmail: 'admin@omantel.om',
    ...overrides,
  };
}

/** A topology of one Hetzner cluster per region (cpx32 control plane, one cpx42 worker), in the order given. */
export function inRegions(regions: readonly string[]): ProvisionRequest['topology'] {
  return {
    haEnabled: false,
    regions: regions.map((cloudRegion) => ({
      provider: 'hetzner',
      cloudRegion,
      controlPlaneSize: 'cpx32',
      workerSize: 'cpx42',
      workerCount: 1,
    })),
  };
}
