import {
  componentListSchema,
  createDeploymentResponseSchema,
  deploymentListSchema,
  deploymentSchema,
  type PhaseName,
  type ProvisionRequest,
  phaseNames,
  provisionRequestSchema,
  retryRequestSchema,
  wipeRequestSchema,
} from '@catalyst/contracts';
import { Controller, Delete, Get, HttpCode, Post, Put, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CurrentUser, type Principal, Public, Roles } from '../auth/roles.decorator.js';
import { ValidationError } from '../common/app-error.js';
import { Returns, ZodBody, ZodParam } from '../common/validation.js';
import { ComponentsService } from './components.service.js';
import { DeploymentStream } from './deployment-stream.js';
import { DeploymentsRepository } from './deployments.repository.js';
import { DeploymentsService } from './deployments.service.js';
import { DeploymentEventsHub } from './events.hub.js';
import { RunScheduler } from './run.scheduler.js';

const idParam = z.uuid({ message: 'Not a deployment id' });

@Controller('api/v1/deployments')
@Roles('superadmin', 'sovereign-admin')
export class DeploymentsController {
  constructor(
    private readonly deployments: DeploymentsService,
    private readonly scheduler: RunScheduler,
    private readonly repo: DeploymentsRepository,
    private readonly hub: DeploymentEventsHub,
    private readonly componentsService: ComponentsService,
  ) {}

  /** The Provision click: holds the name, queues the run and answers where to watch it. */
  @Post()
  @Returns(createDeploymentResponseSchema, 201)
  async create(@ZodBody(provisionRequestSchema) body: ProvisionRequest, @CurrentUser() user: Principal) {
    const { id, fqdn } = await this.deployments.create(body, user);
    void this.scheduler.tick();
    return { id, status: 'queued' as const, fqdn, streamURL: `/api/v1/deployments/${id}/logs` };
  }

  @Get()
  @Returns(deploymentListSchema)
  async list() {
    return { deployments: await this.deployments.list() };
  }

  @Get(':id')
  @Returns(deploymentSchema)
  get(@ZodParam('id', idParam) id: string) {
    return this.deployments.get(id);
  }

  /** Server-sent events of the run; `Last-Event-ID` resumes exactly after the last event seen. */
  @Get(':id/logs')
  async logs(
    @ZodParam('id', idParam) id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    await this.deployments.get(id);
    const header =
      request.headers['last-event-id'] ?? (request.query as { lastEventId?: string }).lastEventId ?? '0';
    const after = Number(header);
    if (!Number.isInteger(after) || after < 0) {
      throw new ValidationError([{ path: 'Last-Event-ID', message: 'Must be an event id (a whole number)' }]);
    }
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': String(request.id),
    });
    reply.raw.write('retry: 3000\n\n');
    new DeploymentStream(id, after, this.repo, this.hub, reply.raw).start();
  }

  @Post(':id/phases/:phase/retry')
  @HttpCode(200)
  @Returns(deploymentSchema)
  async retry(
    @ZodParam('id', idParam) id: string,
    @ZodParam('phase', z.string().max(64)) phase: string,
    @ZodBody(retryRequestSchema) body: z.infer<typeof retryRequestSchema>,
    @CurrentUser() user: Principal,
  ) {
    // A phase name retries the run from there; a bootstrap-kit component asks Flux to try that release again.
    if (phaseNames.includes(phase as PhaseName))
      await this.deployments.retry(id, phase, body.hetznerToken, user);
    else if ((await this.componentsService.retry(id, phase, user)).requeued)
      await this.repo.notifyControl(id);
    void this.scheduler.tick();
    return this.deployments.get(id);
  }

  /** The bootstrap kit's components as the watch last saw them. */
  @Get(':id/components')
  @Returns(componentListSchema)
  async components(@ZodParam('id', idParam) id: string) {
    return { components: await this.componentsService.list(id) };
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Returns(deploymentSchema)
  cancel(@ZodParam('id', idParam) id: string, @CurrentUser() user: Principal) {
    return this.deployments.cancel(id, user);
  }

  @Post(':id/wipe')
  @HttpCode(202)
  @Returns(deploymentSchema, 202)
  async wipe(
    @ZodParam('id', idParam) id: string,
    @ZodBody(wipeRequestSchema) body: z.infer<typeof wipeRequestSchema>,
    @CurrentUser() user: Principal,
  ) {
    const deployment = await this.deployments.wipe(id, body.hetznerToken, user);
    void this.scheduler.tick();
    return deployment;
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@ZodParam('id', idParam) id: string) {
    await this.deployments.delete(id);
  }

  /** cloud-init's post-back, authorised by the run's one-time bearer token instead of a session. */
  @Put(':id/kubeconfig')
  @Public()
  @HttpCode(204)
  async putKubeconfig(@ZodParam('id', idParam) id: string, @Req() request: FastifyRequest) {
    const header = request.headers.authorization ?? '';
    const bearer = /^bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    await this.deployments.acceptKubeconfig(id, bearer, request.body);
  }

  @Get(':id/kubeconfig')
  async getKubeconfig(
    @ZodParam('id', idParam) id: string,
    @CurrentUser() user: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { fqdn, yaml } = await this.deployments.kubeconfig(id, user);
    reply.header('content-type', 'application/yaml; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="${fqdn}-kubeconfig.yaml"`);
    reply.header('cache-control', 'no-store');
    return yaml;
  }
}
