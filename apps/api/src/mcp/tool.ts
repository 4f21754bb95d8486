import type { Type } from '@nestjs/common';
import { z } from 'zod';
import type { Principal } from '../auth/roles.decorator.js';

/** Who is calling over MCP: the token's owner with their current roles, and the token's org scope. */
export interface McpCaller {
  principal: Principal;
  tokenId: string;
  /** Set when the token is narrowed to one organisation: tools that take an org refuse every other one. */
  orgSlug: string | null;
  /** The client address of the HTTP request, for the same per-address budgets the routes use. */
  ip: string;
}

/** What a tool's handler gets: the caller and the application's own services (the ones the routes call). */
export interface ToolContext {
  caller: McpCaller;
  /** The singleton instance of a service class of the application, e.g. `ctx.get(TenantsService)`. */
  get<T>(type: Type<T>): T;
}

/**
 * One MCP tool: it mirrors exactly one HTTP route (`route`) and calls the service method that route's controller
 * calls. Who may see and call it is read from that route's `@Roles` metadata, never written here.
 */
export interface ToolDefinition<S extends z.ZodObject = z.ZodObject> {
  /** snake_case, unique. */
  name: string;
  /** What it does, what it returns and what it costs. */
  description: string;
  /** A strict object schema (unknown fields rejected), built from the route's own request schemas. */
  input: S;
  /** The route it mirrors: the controller class and its handler method. */
  route: { controller: Type; method: string };
  /** The input field naming an organisation slug, when the tool acts in one (checked against the token's scope). */
  orgField?: keyof z.infer<S> & string;
  /** Tools that change something say so to the agent (MCP annotations). */
  readOnly?: boolean;
  handler(ctx: ToolContext, input: z.infer<S>): Promise<unknown> | unknown;
}

/** Keeps each definition's handler typed by its own schema while the registry holds them all as one list. */
export function defineTool<S extends z.ZodObject>(tool: ToolDefinition<S>): ToolDefinition {
  return tool as unknown as ToolDefinition;
}

/** An installed app's id, as the tools and the app-status resource take it. */
export const installIdSchema = z.uuid({ message: 'Not an installed app id' });
