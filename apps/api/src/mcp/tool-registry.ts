import type { Role } from '@catalyst/contracts';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { Inject, Injectable, type OnModuleInit, type Type } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { Logger } from 'pino';
import { z } from 'zod';
import { type Principal, ROLES_KEY } from '../auth/roles.decorator.js';
import { AppError, ForbiddenError, NotFoundError, ValidationError } from '../common/app-error.js';
import { controlCharacterIssues } from '../common/control-characters.js';
import { LOGGER } from '../common/tokens.js';
import { toFieldIssues } from '../common/zod-issues.js';
import type { McpCaller, ToolContext, ToolDefinition } from './tool.js';
import { adminTools } from './tools/admin.tools.js';
import { billingTools } from './tools/billing.tools.js';
import { tenantTools } from './tools/tenant.tools.js';

/** Every MCP tool, in the order tools/list shows them. */
export const TOOLS: readonly ToolDefinition[] = [...tenantTools, ...billingTools, ...adminTools];

/**
 * No string an agent sends through a tool is longer than this. Each route's schema bounds its own fields; a few
 * (e.g. a pool domain) are bounded only by the service's later checks, and a tool input has no reason to be long.
 */
export const MAX_TOOL_STRING = 4096;

/** A tool error for the agent: `{ "error": { code, message, details? } }`, the api's one error shape, as text. */
export function toolError(error: AppError): CallToolResult {
  const body = { error: { code: error.code, message: error.message, details: error.details } };
  return { isError: true, content: [{ type: 'text', text: JSON.stringify(body) }] };
}

/** An org-scoped token names its organisation and no other (403 `token_org_scope`). */
export function assertInScope(caller: Pick<McpCaller, 'orgSlug'>, org: unknown): void {
  if (caller.orgSlug && org !== caller.orgSlug) {
    throw new AppError(403, 'token_org_scope', `This token acts only in the organization ${caller.orgSlug}`, {
      orgSlug: caller.orgSlug,
    });
  }
}

function overLongStrings(input: unknown, path: string[] = []): { path: string; message: string }[] {
  if (typeof input === 'string') {
    return input.length > MAX_TOOL_STRING
      ? [{ path: path.join('.'), message: `At most ${MAX_TOOL_STRING} characters` }]
      : [];
  }
  if (Array.isArray(input)) return input.flatMap((value, i) => overLongStrings(value, [...path, String(i)]));
  if (input !== null && typeof input === 'object') {
    return Object.entries(input).flatMap(([key, value]) => overLongStrings(value, [...path, key]));
  }
  return [];
}

/**
 * The one registry of MCP tools. Who may see and call a tool is the `@Roles` metadata of the HTTP route it mirrors
 * (method first, then class; none = any signed-in user), read with Nest's Reflector as the AuthGuard reads it.
 */
@Injectable()
export class McpToolRegistry implements OnModuleInit {
  private readonly byName = new Map<string, ToolDefinition>();

  constructor(
    private readonly reflector: Reflector,
    private readonly moduleRef: ModuleRef,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Refuses to start on a duplicate name or a tool whose route handler does not exist. */
  onModuleInit(): void {
    for (const tool of TOOLS) {
      if (this.byName.has(tool.name)) throw new Error(`MCP tool ${tool.name} is defined twice`);
      this.handlerOf(tool);
      this.byName.set(tool.name, tool);
    }
  }

  get tools(): readonly ToolDefinition[] {
    return TOOLS;
  }

  /** The route handler a tool mirrors (throws when the controller has no such method). */
  handlerOf(tool: Pick<ToolDefinition, 'name' | 'route'>): (...args: unknown[]) => unknown {
    const { controller, method } = tool.route;
    const handler = (controller.prototype as Record<string, unknown>)[method];
    if (typeof handler !== 'function') {
      throw new Error(`MCP tool ${tool.name} mirrors ${controller.name}.${method}, which does not exist`);
    }
    return handler as (...args: unknown[]) => unknown;
  }

  /** The roles the mirrored route requires (one of them), or [] when any signed-in user may use it. */
  rolesOf(tool: Pick<ToolDefinition, 'name' | 'route'>): Role[] {
    const targets = [this.handlerOf(tool), tool.route.controller];
    return this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
  }

  allows(tool: Pick<ToolDefinition, 'name' | 'route'>, principal: Principal): boolean {
    const required = this.rolesOf(tool);
    return required.length === 0 || required.some((role) => principal.roles.includes(role));
  }

  /** tools/list: the tools the caller's current roles allow, with their JSON Schema. */
  list(principal: Principal): Tool[] {
    return TOOLS.filter((tool) => this.allows(tool, principal)).map((tool) => ({
      name: tool.name,
      description: tool.description,
      inputSchema: z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' }) as Tool['inputSchema'],
      annotations: { readOnlyHint: tool.readOnly === true, openWorldHint: false },
    }));
  }

  /** tools/call: never throws; every refusal and failure is a tool result with `isError: true`. */
  async call(name: string, args: unknown, caller: McpCaller): Promise<CallToolResult> {
    try {
      const tool = this.byName.get(name);
      if (!tool)
        throw new NotFoundError(`No tool named ${JSON.stringify(name.slice(0, 64))}`, 'unknown_tool');
      // Re-checked on every call: the listing may be older than a role change.
      const required = this.rolesOf(tool);
      if (!this.allows(tool, caller.principal)) {
        throw new ForbiddenError(`This needs one of the roles: ${required.join(', ')}`);
      }
      const input = this.parse(tool, args ?? {});
      this.checkScope(tool, input, caller);
      const result = await tool.handler(this.context(caller), input);
      const structured = result !== null && typeof result === 'object' && !Array.isArray(result);
      return {
        content: [{ type: 'text', text: JSON.stringify(result ?? null) }],
        ...(structured ? { structuredContent: result as Record<string, unknown> } : {}),
      };
    } catch (error) {
      return this.failure(name, error);
    }
  }

  private parse(tool: ToolDefinition, args: unknown): Record<string, unknown> {
    const early = [...controlCharacterIssues(args), ...overLongStrings(args)];
    if (early.length > 0) throw new ValidationError(early);
    const parsed = tool.input.safeParse(args);
    if (!parsed.success) throw new ValidationError(toFieldIssues(parsed.error));
    return parsed.data as Record<string, unknown>;
  }

  /** An org-scoped token acts in its organisation only: a tool naming another one is refused (403). */
  private checkScope(tool: ToolDefinition, input: Record<string, unknown>, caller: McpCaller): void {
    if (!caller.orgSlug || !tool.orgField) return;
    const org = input[tool.orgField];
    if (org !== caller.orgSlug) {
      throw new AppError(
        403,
        'token_org_scope',
        `This token acts only in the organization ${caller.orgSlug}`,
        {
          orgSlug: caller.orgSlug,
        },
      );
    }
  }

  /** The services the routes call, resolved from the application (wherever their module keeps them). */
  context(caller: McpCaller): ToolContext {
    return { caller, get: <T>(type: Type<T>) => this.moduleRef.get(type, { strict: false }) };
  }

  private failure(name: string, error: unknown): CallToolResult {
    if (error instanceof AppError) return toolError(error);
    if (error instanceof z.ZodError) return toolError(new ValidationError(toFieldIssues(error)));
    this.logger.error({ err: error, tool: name.slice(0, 64) }, 'MCP tool failed');
    return toolError(new AppError(500, 'internal_error', 'Something went wrong on our side'));
  }
}
