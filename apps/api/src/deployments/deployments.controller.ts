import {
  componentListSchema,
  createDeploymentResponseSchema,
  deploymentListSchema,
  deploymentSchema,
  handoverLinkSchema,
  kubeconfigQuerySchema,
  type ProvisionRequest,
  provisionRequestSchema,
  retryRequestSchema,
  wipeRequestSchema,
} from '@catalyst/contracts';
import { Controller, Delete, Get, Header, HttpCode, Post, Put, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CurrentUser, type Principal, Public, Roles } from '../auth/roles.decorator.js';
import { Returns, ZodBody, ZodParam, ZodQuery } from '../common/validation.js';
import { ComponentsService } from './components.service.js';
import { DEPLOYMENT_ROLES, DeploymentStreamService } from './deployment-stream.service.js';
import { DeploymentsService } from './deployments.service.js';
import { ProvisioningOfferedGuard } from './provisioning-offered.guard.js';

/** A deployment's id, as the routes' `:id` (and the MCP tools and resources) take it. */
export const deploymentIdParam = z.uuid({ message: 'Not a deployment id' });

@Controller('api/v1/deployments')
@Roles(...DEPLOYMENT_ROLES)
export class DeploymentsController {
  constructor(
    private readonly deployments: DeploymentsService,
    private readonly streams: DeploymentStreamService,
    private readonly componentsService: ComponentsService,
  ) {}

  /** The Provision click: holds the name, queues the run and answers where to watch it (a mothership only). */
  @Post()
  @UseGuards(ProvisioningOfferedGuard)
  @Returns(createDeploymentResponseSchema, 201)
  create(@ZodBody(provisionRequestSchema) body: ProvisionRequest, @CurrentUser() user: Principal) {
    return this.deployments.create(body, user);
  }

  @Get()
  @Returns(deploymentListSchema)
  async list() {
    return { deployments: await this.deployments.list() };
  }

  @Get(':id')
  @Returns(deploymentSchema)
  get(@ZodParam('id', deploymentIdParam) id: string) {
    return this.deployments.get(id);
  }

  /**
   * Server-sent events of the run; `Last-Event-ID` resumes exactly after the last event seen. Open
   * streams are capped (429 too_many_streams before the stream starts) and end on sign-out.
   */
  @Get(':id/logs')
  logs(
    @ZodParam('id', deploymentIdParam) id: string,
    @CurrentUser() user: Principal,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.streams.open(id, user, request, reply);
  }

  @Post(':id/phases/:phase/retry')
  @HttpCode(200)
  @Returns(deploymentSchema)
  retry(
    @ZodParam('id', deploymentIdParam) id: string,
    @ZodParam('phase', z.string().max(64)) phase: string,
    @ZodBody(retryRequestSchema) body: z.infer<typeof retryRequestSchema>,
    @CurrentUser() user: Principal,
  ) {
    // A phase name, or a bootstrap-kit component: DeploymentsService.retry tells them apart.
    return this.deployments.retry(id, phase, body, user);
  }

  /** The bootstrap kit's components as the watch last saw them. */
  @Get(':id/components')
  @Returns(componentListSchema)
  async components(@ZodParam('id', deploymentIdParam) id: string) {
    return { components: await this.componentsService.list(id) };
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Returns(deploymentSchema)
  cancel(@ZodParam('id', deploymentIdParam) id: string, @CurrentUser() user: Principal) {
    return this.deployments.cancel(id, user);
  }

  @Post(':id/wipe')
  @HttpCode(202)
  @Returns(deploymentSchema, 202)
  wipe(
    @ZodParam('id', deploymentIdParam) id: string,
    @ZodBody(wipeRequestSchema) body: z.infer<typeof wipeRequestSchema>,
    @CurrentUser() user: Principal,
  ) {
    return this.deployments.wipe(id, body.hetznerToken, user);
  }

  /** A one-time sign-in link to a ready Sovereign's console for its first sovereign-admin (never cached). */
  @Post(':id/handover')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @Returns(handoverLinkSchema)
  handover(@ZodParam('id', deploymentIdParam) id: string, @CurrentUser() user: Principal) {
    return this.deployments.handoverLink(id, user);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@ZodParam('id', deploymentIdParam) id: string) {
    await this.deployments.delete(id);
  }

  /** cloud-init's post-back, authorised by the run's one-time bearer token instead of a session. */
  @Put(':id/kubeconfig')
  @Public()
  @HttpCode(204)
  async putKubeconfig(@ZodParam('id', deploymentIdParam) id: string, @Req() request: FastifyRequest) {
    const header = request.headers.authorization ?? '';
    const bearer = /^bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    await this.deployments.acceptKubeconfig(id, bearer, request.body);
  }

  @Get(':id/kubeconfig')
  async getKubeconfig(
    @ZodParam('id', deploymentIdParam) id: string,
    @ZodQuery(kubeconfigQuerySchema) query: z.infer<typeof kubeconfigQuerySchema>,
    @CurrentUser() user: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { name, yaml } = await this.deployments.kubeconfig(id, user, query.region);
    reply.header('content-type', 'application/yaml; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="${name}-kubeconfig.yaml"`);
    reply.header('cache-control', 'no-store');
    return yaml;
  }
}
