import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CONFIG, type Config } from '../config/config.js';

const BASE_NAME = 'catalyst_session';

/** The cookie's name for an instance served at `publicUrl` (the OpenAPI document names it too). */
export function sessionCookieName(publicUrl: string): string {
  return publicUrl.startsWith('https:') ? `__Host-${BASE_NAME}` : BASE_NAME;
}

/**
 * The session cookie. Over https it is named `__Host-catalyst_session`: browsers then accept it only
 * when Secure, Path=/ and without Domain, so a sibling subdomain (a tenant app) cannot plant or shadow it.
 */
@Injectable()
export class SessionCookie {
  readonly name: string;
  private readonly secure: boolean;

  constructor(@Inject(CONFIG) config: Config) {
    this.secure = config.publicUrl.startsWith('https:');
    this.name = sessionCookieName(config.publicUrl);
  }

  /** The session token a browser sent, under the configured name only. */
  read(request: FastifyRequest): string | undefined {
    return request.cookies?.[this.name];
  }

  set(reply: FastifyReply, token: string, expiresAt: Date): void {
    reply.setCookie(this.name, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secure,
      path: '/',
      expires: expiresAt,
    });
  }

  clear(reply: FastifyReply): void {
    reply.clearCookie(this.name, { path: '/', secure: this.secure, httpOnly: true, sameSite: 'lax' });
  }
}
