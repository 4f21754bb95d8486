import type { SovereignSmtp } from '@catalyst/contracts';
import type { ClusterObject } from '../helmwatch/helmwatch.service.js';
import type { SovereignKubeconfig } from '../helmwatch/kubeconfig.js';
import { PhaseFailed } from './deployments.errors.js';
import type { RunContext } from './phases/run-context.js';

/** Where the Sovereign's Catalyst runs (the kit's bp-catalyst-platform targetNamespace). */
export const SOVEREIGN_MAIL_NAMESPACE = 'catalyst-system';
/** The Secret its chart reads SMTP_URL and MAIL_FROM from (bp-catalyst-platform's values.yaml). */
export const SOVEREIGN_MAIL_SECRET = 'catalyst-smtp';

/**
 * The Sovereign's SMTP server as the SMTP_URL nodemailer reads: `tls` is smtps:// (TLS from the first
 * byte); `starttls` is smtp:// with `requireTLS=true`, so a server that offers no STARTTLS is refused
 * rather than spoken to in the clear; `none` is smtp:// with `ignoreTLS=true`. User and password are
 * URL-encoded (nodemailer decodes them).
 */
export function smtpUrlOf(smtp: Omit<SovereignSmtp, 'password'>, password: string | undefined): string {
  const scheme = smtp.security === 'tls' ? 'smtps' : 'smtp';
  const auth =
    smtp.username !== undefined
      ? `${encodeURIComponent(smtp.username)}:${encodeURIComponent(password ?? '')}@`
      : '';
  const query =
    smtp.security === 'starttls' ? '?requireTLS=true' : smtp.security === 'none' ? '?ignoreTLS=true' : '';
  return `${scheme}://${auth}${smtp.host}:${smtp.port}${query}`;
}

/**
 * What the mothership applies on a new Sovereign that was given an SMTP server: the namespace (the kit
 * creates it too; applying it first lets the Secret land before Flux gets there) and the Secret
 * `catalyst-smtp` with SMTP_URL and MAIL_FROM. `data`, not `stringData`, so a server-side apply of the
 * same values converges without touching the object.
 */
export function sovereignMailObjects(
  smtp: Omit<SovereignSmtp, 'password'>,
  password: string | undefined,
): ClusterObject[] {
  const base64 = (value: string) => Buffer.from(value, 'utf8').toString('base64');
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: SOVEREIGN_MAIL_NAMESPACE } },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: SOVEREIGN_MAIL_SECRET,
        namespace: SOVEREIGN_MAIL_NAMESPACE,
        labels: { 'app.kubernetes.io/managed-by': 'catalyst' },
      },
      type: 'Opaque',
      data: { SMTP_URL: base64(smtpUrlOf(smtp, password)), MAIL_FROM: base64(smtp.from) },
    } as ClusterObject,
  ];
}

/**
 * Hands the Sovereign its SMTP settings (request.smtp) as the Secret catalyst-smtp on every region's cluster,
 * once the kubeconfigs have arrived and before the kit is watched, so each region's Catalyst finds it when it
 * starts. Then the sealed password is dropped: the Sovereign holds it now. A later run that finds it dropped has
 * nothing left to hand over. Logs the host and the sender only.
 */
export async function deliverSovereignMail(
  ctx: RunContext,
  kubeconfigs: readonly SovereignKubeconfig[],
): Promise<void> {
  const smtp = ctx.request.smtp;
  if (!smtp) return;
  const { helm, logger } = ctx.deps;
  const where = `${smtp.host}:${smtp.port}`;
  if (smtp.username !== undefined && !ctx.smtpPassword) {
    await ctx.log('bootstrap-kit', `Mail settings (${where}) were handed to the Sovereign by an earlier run`);
    return;
  }
  try {
    for (const kubeconfig of kubeconfigs) {
      await helm.applyObjects(kubeconfig, sovereignMailObjects(smtp, ctx.smtpPassword));
    }
  } catch (error) {
    throw new PhaseFailed(
      ctx.redactor.redact(
        `Could not create the Secret ${SOVEREIGN_MAIL_NAMESPACE}/${SOVEREIGN_MAIL_SECRET} on the Sovereign: ${(error as Error).message}`,
      ),
    );
  }
  if (ctx.smtpPassword) await ctx.writes.update({ sealedSmtpPassword: null });
  logger.info(
    { deploymentId: ctx.row.id, smtpHost: smtp.host, mailFrom: smtp.from },
    'mail settings handed to the Sovereign',
  );
  await ctx.log(
    'bootstrap-kit',
    `Mail settings handed to the Sovereign (Secret ${SOVEREIGN_MAIL_NAMESPACE}/${SOVEREIGN_MAIL_SECRET}): ${where}, from ${smtp.from}`,
  );
}
