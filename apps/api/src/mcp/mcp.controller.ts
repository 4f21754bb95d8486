import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { Controller, Delete, Get, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { Public } from '../auth/roles.decorator.js';
import { AppError } from '../common/app-error.js';
import { LOGGER } from '../common/tokens.js';
import { TokensService } from '../tokens/tokens.service.js';
import { McpServerFactory } from './mcp.server.js';
import type { McpCaller } from './tool.js';

/** Every refusal of /mcp names the scheme the client should use (RFC 6750). */
const CHALLENGE = { 'www-authenticate': 'Bearer realm="catalyst"' };

const methodNotAllowed = () =>
  new AppError(
    405,
    'method_not_allowed',
    'This MCP endpoint is stateless: POST JSON-RPC messages to it (no SSE stream, no session to delete)',
    undefined,
    { allow: 'POST' },
  );

/**
 * The MCP endpoint (Streamable HTTP, stateless, JSON answers). Public to the session guard, which would read the
 * Bearer as a session token: it authenticates a personal access token itself, then serves one request with a
 * server built for that caller, so every replica can answer every request.
 */
@Controller('mcp')
@Public()
export class McpController {
  constructor(
    private readonly tokens: TokensService,
    private readonly servers: McpServerFactory,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Post()
  async handle(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const caller = await this.authenticate(request);
    const server = this.servers.create(caller);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    // From here the transport writes the response; headers set so far (x-request-id) go with it.
    reply.hijack();
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) reply.raw.setHeader(name, value);
    }
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(request.raw, reply.raw, request.body);
    } catch (error) {
      this.logger.error({ err: error, reqId: request.id }, 'MCP request failed');
      if (!reply.raw.headersSent) {
        reply.raw.writeHead(500, { 'content-type': 'application/json' });
        reply.raw.end(
          JSON.stringify({ error: { code: 'internal_error', message: 'Something went wrong on our side' } }),
        );
      } else reply.raw.end();
    }
  }

  @Get()
  get(): never {
    throw methodNotAllowed();
  }

  @Delete()
  remove(): never {
    throw methodNotAllowed();
  }

  /** The token's owner as they are now; 401 with a Bearer challenge for every refusal. */
  private async authenticate(request: FastifyRequest): Promise<McpCaller> {
    try {
      const caller = await this.tokens.authenticate(request.headers.authorization);
      return {
        principal: caller.principal,
        tokenId: caller.tokenId,
        orgSlug: caller.orgSlug,
        ip: request.ip,
      };
    } catch (error) {
      if (error instanceof AppError && error.status === 401) {
        throw new AppError(401, error.code, error.message, error.details, { ...error.headers, ...CHALLENGE });
      }
      throw error;
    }
  }
}
