import type { ProvisionRequest } from '@catalyst/contracts';

/** The provision request as stored: every secret removed (they are sealed in their own columns). */
export type StoredRequest = Omit<ProvisionRequest, 'credentials' | 'domain' | 'smtp'> & {
  credentials: Omit<ProvisionRequest['credentials'], 'hetznerToken'>;
  /** The Sovereign's SMTP server without its password (sealed in `sealed_smtp_password`). */
  smtp?: Omit<NonNullable<ProvisionRequest['smtp']>, 'password'>;
  domain:
    | { mode: 'pool'; poolDomain: string; subdomain: string }
    | { mode: 'byo-manual'; domain: string }
    | { mode: 'byo-api'; domain: string; registrar: string };
};

export function withoutSecrets(request: ProvisionRequest): StoredRequest {
  const { hetznerToken: _token, ...credentials } = request.credentials;
  const domain =
    request.domain.mode === 'byo-api'
      ? { mode: request.domain.mode, domain: request.domain.domain, registrar: request.domain.registrar }
      : request.domain;
  const { smtp: fullSmtp, ...rest } = request;
  if (!fullSmtp) return { ...rest, credentials, domain };
  const { password: _password, ...smtp } = fullSmtp;
  return { ...rest, credentials, domain, smtp };
}

export function fqdnOf(domain: StoredRequest['domain']): string {
  return domain.mode === 'pool' ? `${domain.subdomain}.${domain.poolDomain}` : domain.domain;
}
