import { createEnvironmentSchema, environmentNameSchema, installAppSchema } from '@catalyst/contracts';
import { z } from 'zod';
import { AuthController } from '../../auth/auth.controller.js';
import { AuthService } from '../../auth/auth.service.js';
import { slugParam, TenantsController } from '../../tenants/tenants.controller.js';
import { TenantsService } from '../../tenants/tenants.service.js';
import { defineTool, installIdSchema } from '../tool.js';

/** An organisation, as the routes' `:slug` parameter parses it. */
const org = slugParam.describe('The organisation slug (see list_orgs)');
const environment = environmentNameSchema.describe('The environment name (see list_environments)');
const installId = installIdSchema.describe('The installed app id (from install_app or list_apps)');

/** Everyone's tools: who am I, and a tenant's own organisations, environments and apps. */
export const tenantTools = [
  defineTool({
    name: 'whoami',
    description:
      'Who this token acts for: the user (id, e-mail, roles) and the organisation the token is limited to, if any. Free.',
    input: z.strictObject({}),
    route: { controller: AuthController, method: 'me' },
    readOnly: true,
    async handler(ctx) {
      const user = await ctx.get(AuthService).me(ctx.caller.principal);
      return { user, token: { id: ctx.caller.tokenId, orgSlug: ctx.caller.orgSlug } };
    },
  }),
  defineTool({
    name: 'list_orgs',
    description:
      'The organisations you belong to, with your role in each (only the token’s organisation for an org-scoped token). Free.',
    input: z.strictObject({}),
    route: { controller: TenantsController, method: 'orgs' },
    readOnly: true,
    async handler(ctx) {
      const orgs = await ctx.get(TenantsService).orgs(ctx.caller.principal);
      const scope = ctx.caller.orgSlug;
      return { orgs: scope ? orgs.filter((o) => o.slug === scope) : orgs };
    },
  }),
  defineTool({
    name: 'list_environments',
    description: 'The environments of an organisation (any member). Free.',
    input: z.strictObject({ org }),
    route: { controller: TenantsController, method: 'environments' },
    orgField: 'org',
    readOnly: true,
    async handler(ctx, input) {
      return { environments: await ctx.get(TenantsService).environments(input.org, ctx.caller.principal) };
    },
  }),
  defineTool({
    name: 'create_environment',
    description:
      'Creates an environment (its own Kubernetes namespace) in an organisation; needs the owner or org-admin role there. Free: apps installed into it are charged.',
    input: z.strictObject({ org, ...createEnvironmentSchema.shape }),
    route: { controller: TenantsController, method: 'createEnvironment' },
    orgField: 'org',
    async handler(ctx, input) {
      return ctx.get(TenantsService).createEnvironment(input.org, input.name, ctx.caller.principal);
    },
  }),
  defineTool({
    name: 'delete_environment',
    description:
      'Deletes an empty environment of an organisation (uninstall its apps first); needs the owner or org-admin role. Free.',
    input: z.strictObject({ org, name: environment }),
    route: { controller: TenantsController, method: 'deleteEnvironment' },
    orgField: 'org',
    async handler(ctx, input) {
      await ctx.get(TenantsService).deleteEnvironment(input.org, input.name, ctx.caller.principal);
      return { org: input.org, name: input.name, deleted: true };
    },
  }),
  defineTool({
    name: 'list_catalog_apps',
    description: 'The apps that can be installed, with their monthly price in baisa and OMR. Free.',
    input: z.strictObject({}),
    route: { controller: TenantsController, method: 'apps' },
    readOnly: true,
    handler(ctx) {
      return { apps: ctx.get(TenantsService).catalogApps() };
    },
  }),
  defineTool({
    name: 'install_app',
    description:
      'Installs a catalog app into an environment; needs the owner or org-admin role. COSTS CREDIT: once the app runs, its monthly price is drawn from the organisation’s wallet (refused up front when the wallet cannot cover it). Returns at once with the installed app’s id and status `installing`; poll get_app_status until it is `running` or `failed`.',
    input: z.strictObject({ org, environment, ...installAppSchema.shape }),
    route: { controller: TenantsController, method: 'install' },
    orgField: 'org',
    async handler(ctx, input) {
      return ctx.get(TenantsService).install(input.org, input.environment, input.appId, ctx.caller.principal);
    },
  }),
  defineTool({
    name: 'list_apps',
    description:
      'The installed apps of an organisation with their status, message and URL (any member). Free.',
    input: z.strictObject({ org }),
    route: { controller: TenantsController, method: 'installs' },
    orgField: 'org',
    readOnly: true,
    async handler(ctx, input) {
      return { apps: await ctx.get(TenantsService).installs(input.org, ctx.caller.principal) };
    },
  }),
  defineTool({
    name: 'get_app_status',
    description:
      'One installed app’s status (`installing`, `running`, `failed`, `suspended`, `uninstalling`, `removed`), message and URL: poll this after install_app or uninstall_app. Free.',
    input: z.strictObject({ org, installId }),
    route: { controller: TenantsController, method: 'installs' },
    orgField: 'org',
    readOnly: true,
    async handler(ctx, input) {
      return ctx.get(TenantsService).installed(input.org, input.installId, ctx.caller.principal);
    },
  }),
  defineTool({
    name: 'retry_app',
    description:
      'Tries a failed app install again (status back to `installing`); needs the owner or org-admin role. Charged like an install once it runs. Poll get_app_status.',
    input: z.strictObject({ org, installId }),
    route: { controller: TenantsController, method: 'retry' },
    orgField: 'org',
    async handler(ctx, input) {
      return ctx.get(TenantsService).retry(input.org, input.installId, ctx.caller.principal);
    },
  }),
  defineTool({
    name: 'uninstall_app',
    description:
      'Uninstalls an app and stops its monthly charge; needs the owner or org-admin role. Returns at once with status `uninstalling`; it becomes `removed` when the cluster is done (poll get_app_status).',
    input: z.strictObject({ org, installId }),
    route: { controller: TenantsController, method: 'uninstall' },
    orgField: 'org',
    async handler(ctx, input) {
      return ctx.get(TenantsService).uninstall(input.org, input.installId, ctx.caller.principal);
    },
  }),
];
