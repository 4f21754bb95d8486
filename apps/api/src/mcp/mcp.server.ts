import { MCP_LOG_TAIL_MAX } from '@catalyst/contracts';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { z } from 'zod';
import { AppError, ForbiddenError, ValidationError } from '../common/app-error.js';
import { LOGGER } from '../common/tokens.js';
import { toFieldIssues } from '../common/zod-issues.js';
import { DeploymentsController, deploymentIdParam } from '../deployments/deployments.controller.js';
import { DeploymentsService } from '../deployments/deployments.service.js';
import { slugParam, TenantsController } from '../tenants/tenants.controller.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { installIdSchema, type McpCaller } from './tool.js';
import { assertInScope, McpToolRegistry } from './tool-registry.js';

/** The server's name and version in the MCP handshake. */
export const MCP_SERVER_INFO = { name: 'catalyst', version: '0.1.0' };

/** The routes whose access rules the two resources follow. */
const EVENTS_ROUTE = {
  name: 'resource:deployment-events',
  route: { controller: DeploymentsController, method: 'logs' },
};
const APP_ROUTE = {
  name: 'resource:app-status',
  route: { controller: TenantsController, method: 'installs' },
};

/** A resource read refused: a JSON-RPC error whose `data` is the api's error body. */
function resourceError(error: AppError): McpError {
  const code =
    error.status === 404
      ? ErrorCode.InvalidParams
      : error.status < 500
        ? ErrorCode.InvalidRequest
        : ErrorCode.InternalError;
  return new McpError(code, error.message, {
    error: { code: error.code, message: error.message, details: error.details },
  });
}

/** Runs a resource read: a domain refusal keeps its code, anything else is logged and answered generically. */
async function guarded<T>(logger: Logger, uri: URL, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof AppError) throw resourceError(error);
    logger.error({ err: error, resource: uri.href.slice(0, 200) }, 'MCP resource read failed');
    throw resourceError(new AppError(500, 'internal_error', 'Something went wrong on our side'));
  }
}

/**
 * One MCP server per HTTP request (stateless: any replica answers any request), built for one caller: tools/list
 * shows what their current roles allow, and resource templates are offered only where the route would let them read.
 */
@Injectable()
export class McpServerFactory {
  constructor(
    private readonly tools: McpToolRegistry,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  create(caller: McpCaller): McpServer {
    const server = new McpServer(MCP_SERVER_INFO, {
      capabilities: { tools: { listChanged: false } },
      instructions:
        'Catalyst: organisations, environments and apps of a tenant, their wallet and vouchers; for sovereign admins also vouchers, tenants, orders and Sovereign provisioning runs. Tools act with your own roles. Installs draw credit from the organisation wallet.',
    });
    server.server.setRequestHandler(ListToolsRequestSchema, () => ({
      tools: this.tools.list(caller.principal),
    }));
    server.server.setRequestHandler(CallToolRequestSchema, (request) =>
      this.tools.call(request.params.name, request.params.arguments, caller),
    );
    this.registerResources(server, caller);
    return server;
  }

  private registerResources(server: McpServer, caller: McpCaller): void {
    const ctx = this.tools.context(caller);
    if (this.tools.allows(EVENTS_ROUTE, caller.principal)) {
      server.registerResource(
        'deployment-events',
        new ResourceTemplate('catalyst://deployments/{id}/events', { list: undefined }),
        {
          title: 'Deployment event log',
          description: 'The last 500 events of a Sovereign provisioning run (sovereign-admin), as JSON.',
          mimeType: 'application/json',
        },
        (uri, variables) =>
          guarded(this.logger, uri, async () => {
            if (!this.tools.allows(EVENTS_ROUTE, caller.principal)) throw new ForbiddenError();
            const id = parsed('id', deploymentIdParam, variables.id);
            const tail = await ctx.get(DeploymentsService).tail(id, MCP_LOG_TAIL_MAX);
            return {
              contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(tail) }],
            };
          }),
      );
    }
    server.registerResource(
      'app-status',
      new ResourceTemplate('catalyst://orgs/{slug}/apps/{id}', { list: undefined }),
      {
        title: 'Installed app status',
        description: 'One installed app of an organisation you belong to: status, message, URL, as JSON.',
        mimeType: 'application/json',
      },
      (uri, variables) =>
        guarded(this.logger, uri, async () => {
          if (!this.tools.allows(APP_ROUTE, caller.principal)) throw new ForbiddenError();
          const slug = parsed('slug', slugParam, variables.slug);
          const id = parsed('id', installIdSchema, variables.id);
          assertInScope(caller, slug);
          const app = await ctx.get(TenantsService).installed(slug, id, caller.principal);
          return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(app) }] };
        }),
    );
  }
}

/** A URI template variable parsed with the route's own parameter schema (400-style issues when it does not fit). */
function parsed<T>(name: string, schema: z.ZodType<T>, value: string | string[] | undefined): T {
  const result = schema.safeParse(Array.isArray(value) ? value[0] : value);
  if (!result.success) throw new ValidationError(toFieldIssues(result.error, name));
  return result.data;
}
