import type { Role } from '@catalyst/contracts';
import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthService } from '../auth/auth.service.js';
import type { Principal } from '../auth/roles.decorator.js';
import { SessionRevocations } from '../auth/session-revocations.js';
import { ValidationError } from '../common/app-error.js';
import { DeploymentFeeds } from './deployment-feeds.js';
import type { StreamAccess } from './deployment-stream.js';
import { deploymentNotFound } from './deployments.errors.js';
import { DeploymentsRepository } from './deployments.repository.js';
import { RunScheduler } from './run.scheduler.js';
import { StreamSlots } from './stream-slots.js';

/** Who may use the deployments' routes; an open stream is re-checked against it. */
export const DEPLOYMENT_ROLES: Role[] = ['superadmin', 'sovereign-admin'];

/**
 * The SSE handshake of a run's stream (docs/architecture.md, "Stream"): everything that can be refused —
 * no such deployment, a Last-Event-ID that is no event id, too many open streams (429) — is refused as
 * an ordinary error answer before the stream starts; then the headers, and the DeploymentStream tailer.
 */
@Injectable()
export class DeploymentStreamService implements BeforeApplicationShutdown {
  constructor(
    private readonly auth: AuthService,
    private readonly revocations: SessionRevocations,
    private readonly slots: StreamSlots,
    private readonly repo: DeploymentsRepository,
    private readonly feeds: DeploymentFeeds,
    private readonly scheduler: RunScheduler,
  ) {}

  /**
   * Open streams would keep the HTTP server from closing until their readers leave. Once this replica
   * has handed its runs over (so readers get the "paused" line), each stream sends what is stored and ends.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.scheduler.beforeApplicationShutdown();
    await this.feeds.finishAll();
  }

  /** Streams deployment `id` to `user` from just after the Last-Event-ID the request carries. */
  async open(id: string, user: Principal, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!(await this.repo.get(id))) throw deploymentNotFound();
    const after = lastEventId(request);
    const release = this.slots.acquire(user.userId);
    const access: StreamAccess = {
      watchRevocation: (onRevoked) => this.revocations.watch(user.sessionId, onRevoked),
      stillAllowed: () => this.auth.stillAllowed(user, DEPLOYMENT_ROLES),
      onEnd: release,
    };
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': String(request.id),
    });
    reply.raw.write('retry: 3000\n\n');
    // Its own course from here: the response is the stream. A feed that cannot start ends it (resumable).
    this.feeds.follow(id, after, reply.raw, access).catch(() => {
      reply.raw.destroy();
      release();
    });
  }
}

/** The header a reconnecting EventSource sends, or `?lastEventId=` (where a client cannot set headers). */
function lastEventId(request: FastifyRequest): number {
  const header =
    request.headers['last-event-id'] ?? (request.query as { lastEventId?: string }).lastEventId ?? '0';
  const after = Number(header);
  if (!Number.isInteger(after) || after < 0) {
    throw new ValidationError([{ path: 'Last-Event-ID', message: 'Must be an event id (a whole number)' }]);
  }
  return after;
}
