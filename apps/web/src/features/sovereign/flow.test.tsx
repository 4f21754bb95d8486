import {
  bssSettingsSchema,
  createDeploymentResponseSchema,
  credentialsValidateResponseSchema,
  deploymentSchema,
  sessionResponseSchema,
  subdomainCheckResponseSchema,
} from '@catalyst/contracts';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { answer, apiError, stubApi, testUser } from '../../test/api';
import * as make from '../../test/factories';
import { renderApp } from '../../test/renderApp';
import { STORAGE_KEY } from './store';

const TOKEN = 'T'.repeat(64);
const SSH = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN8iCw9NhqjBwzzOKJeDTT2brxnEV4nikQzKbgc15cqu ada@laptop';
const ID = make.DEPLOYMENT_ID;

function seed(state: Record<string, unknown>) {
  window.localStorage.setItem(STORAGE_KEY, JSON.stringify({ version: 1, state }));
}

const settings = () =>
  answer(bssSettingsSchema, make.bssSettings({ sovereignPoolDomains: ['pool.example'] }));

describe('wizard flow', () => {
  it('validates the token live, provisions, maps a server issue back, then opens the provision page', async () => {
    seed({
      step: 3,
      org: {
        name: 'Acme',
        industry: 'Banking',
        size: '100–500',
        headquarters: 'Muscat, Oman',
        compliance: [],
      },
      regions: [
        {
          provider: 'hetzner',
          cloudRegion: 'fsn1',
          controlPlaneSize: 'cpx32',
          workerSize: 'cpx32',
          workerCount: 1,
        },
      ],
      haEnabled: false,
      poolDomain: 'pool.example',
      subdomain: 'acme',
      adminEmail: 'ops@acme.example',
    });
    const api = stubApi({
      'GET /auth/me': () => answer(sessionResponseSchema, { user: testUser }),
      'POST /api/v1/credentials/validate': [
        () =>
          answer(
            credentialsValidateResponseSchema,
            make.tokenCheck({ valid: false, status: 'read-only', message: 'The token is read-only.' }),
          ),
        () =>
          answer(
            credentialsValidateResponseSchema,
            make.tokenCheck({ message: 'The token can read and write project 42.' }),
          ),
      ],
      'GET /api/v1/bss/settings': settings,
      'POST /api/v1/subdomains/check': () =>
        answer(subdomainCheckResponseSchema, make.subdomainCheck({ fqdn: 'acme.pool.example' })),
      'POST /api/v1/deployments': [
        () =>
          apiError(400, 'validation_failed', 'The request is invalid', {
            issues: [
              {
                path: ['topology', 'regions', 0, 'cloudRegion'],
                message: 'Hetzner Cloud has no region "fsn1"',
              },
            ],
          }),
        () => answer(createDeploymentResponseSchema, make.createdDeployment({ id: ID }), 201),
      ],
      [`GET /api/v1/deployments/${ID}`]: () =>
        answer(
          deploymentSchema,
          make.deployment({
            status: 'queued',
            hasCloudResources: false,
            createdAt: '2026-01-01T00:00:00.000Z',
            updatedAt: '2026-01-01T00:00:00.000Z',
          }),
        ),
    });
    const { router } = renderApp('/sovereign/');

    // Reload lands on the saved step; the token was not saved.
    const token = (await screen.findByTestId('hetzner-token-input')) as HTMLInputElement;
    expect(token.value).toBe('');
    expect(token.type).toBe('password');
    fireEvent.change(token, { target: { value: TOKEN } });
    fireEvent.change(screen.getByTestId('hetzner-project-input'), { target: { value: '42' } });
    await waitFor(() =>
      expect(screen.getByTestId('token-status').getAttribute('data-status')).toBe('read-only'),
    );
    expect(screen.getByTestId('token-status').textContent).toContain('The token is read-only.');
    fireEvent.click(screen.getByTestId('hetzner-token-validate'));
    await waitFor(() => expect(screen.getByTestId('token-status').getAttribute('data-status')).toBe('valid'));
    expect(api.callsTo('POST', '/api/v1/credentials/validate')[1]?.body).toEqual({
      provider: 'hetzner',
      token: TOKEN,
      projectId: '42',
    });

    fireEvent.change(screen.getByTestId('ssh-paste-input'), { target: { value: 'ssh-rsa nope' } });
    expect(screen.getByText(/Paste an OpenSSH public key/)).toBeTruthy();
    fireEvent.change(screen.getByTestId('ssh-paste-input'), { target: { value: SSH } });
    fireEvent.click(screen.getByTestId('wizard-next'));
    expect(screen.getByTestId('wizard-step-5').getAttribute('aria-current')).toBe('step');
    fireEvent.click(screen.getByTestId('wizard-next'));
    expect(screen.getByTestId('wizard-step-6').getAttribute('aria-current')).toBe('step');
    await waitFor(() =>
      expect(screen.getByTestId('subdomain-status').getAttribute('data-status')).toBe('available'),
    );
    fireEvent.click(screen.getByTestId('wizard-next'));
    expect(screen.getByTestId('wizard-step-7').getAttribute('aria-current')).toBe('step');

    expect(screen.getByTestId('review-token').textContent).toBe(`••••••••${TOKEN.slice(-4)}`);
    expect(screen.getByTestId('review-fqdn').textContent).toBe('acme.pool.example');
    // cpx32 control plane + one cpx32 worker.
    expect(screen.getByTestId('review-monthly-estimate').textContent).toBe('€28.98/mo');

    fireEvent.click(screen.getByTestId('provision-button'));
    await waitFor(() =>
      expect(screen.getByTestId('wizard-step-3').getAttribute('aria-current')).toBe('step'),
    );
    expect(screen.getByText('Hetzner Cloud has no region "fsn1"')).toBeTruthy();
    const body = api.callsTo('POST', '/api/v1/deployments')[0]?.body as Record<string, unknown>;
    expect(body.credentials).toEqual({ hetznerToken: TOKEN, hetznerProjectId: '42', sshPublicKey: SSH });
    expect(body.domain).toEqual({ mode: 'pool', poolDomain: 'pool.example', subdomain: 'acme' });
    expect(body.topology).toEqual({
      regions: [
        {
          provider: 'hetzner',
          cloudRegion: 'fsn1',
          controlPlaneSize: 'cpx32',
          workerSize: 'cpx32',
          workerCount: 1,
        },
      ],
      haEnabled: false,
    });

    fireEvent.click(screen.getByTestId('wizard-step-7'));
    fireEvent.click(screen.getByTestId('provision-button'));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/sovereign/provision/${ID}`));
    expect(await screen.findByTestId('phase-card-preflight')).toBeTruthy();
  });
});
