import { Module } from '@nestjs/common';
import { TokensModule } from '../tokens/tokens.module.js';
import { McpController } from './mcp.controller.js';
import { McpServerFactory } from './mcp.server.js';
import { McpToolRegistry } from './tool-registry.js';

/**
 * Agents operate Catalyst over MCP (docs/mcp.md): tools that call the routes' own services with the token owner's
 * rights. The services are resolved from the application (ModuleRef), so no feature module has to export them here.
 */
@Module({
  imports: [TokensModule],
  controllers: [McpController],
  providers: [McpToolRegistry, McpServerFactory],
  exports: [McpToolRegistry],
})
export class McpModule {}
