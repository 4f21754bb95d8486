import { errorBodySchema, healthSchema } from '@catalyst/contracts';
import { Injectable, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { z } from 'zod';
import { PUBLIC_KEY, ROLES_KEY } from '../auth/roles.decorator.js';
import { sessionCookieName } from '../auth/session-cookie.js';
import { OPENAPI_BODY, OPENAPI_QUERY, OPENAPI_RESPONSE } from '../common/validation.js';
import { LIVENESS_PATH } from '../health/liveness.js';

type JsonSchema = Record<string, unknown>;

function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function joinPath(...parts: (string | undefined)[]): string {
  const path = parts
    .flatMap((part) => (part ?? '').split('/'))
    .filter(Boolean)
    .map((segment) => (segment.startsWith(':') ? `{${segment.slice(1)}}` : segment))
    .join('/');
  return `/${path}`;
}

/**
 * The OpenAPI 3.1 document, built from the routes Nest registered and the zod contracts their
 * decorators name — one source of truth, so the document cannot drift from the validation.
 */
@Injectable()
export class OpenApiService {
  private document?: JsonSchema;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  build(info: { title: string; version: string; serverUrl: string }): JsonSchema {
    if (this.document) return this.document;
    const paths: Record<string, Record<string, unknown>> = {};
    const errorResponse = {
      content: { 'application/json': { schema: toJsonSchema(errorBodySchema, 'output') } },
    };

    for (const wrapper of this.discovery.getControllers()) {
      const { instance, metatype } = wrapper;
      if (!instance || !metatype) continue;
      const prototype = Object.getPrototypeOf(instance);
      const basePath = Reflect.getMetadata(PATH_METADATA, metatype) as string | undefined;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        const routePath = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (routePath === undefined || method === undefined) continue;
        const body = Reflect.getMetadata(OPENAPI_BODY, prototype, name) as z.ZodType | undefined;
        const query = Reflect.getMetadata(OPENAPI_QUERY, prototype, name) as z.ZodObject | undefined;
        const response = Reflect.getMetadata(OPENAPI_RESPONSE, prototype, name) as
          | { schema: z.ZodType; status: number }
          | undefined;
        const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [handler, metatype]);
        const roles = this.reflector.getAllAndOverride<string[] | undefined>(ROLES_KEY, [handler, metatype]);
        const path = joinPath(basePath, routePath);
        const operation: Record<string, unknown> = {
          operationId: `${metatype.name.replace(/Controller$/, '')}.${name}`,
          tags: [metatype.name.replace(/Controller$/, '')],
          ...(roles?.length ? { description: `Roles: ${roles.join(', ')}` } : {}),
          ...(isPublic ? { security: [] } : {}),
          ...(body
            ? {
                requestBody: {
                  required: true,
                  content: { 'application/json': { schema: toJsonSchema(body, 'input') } },
                },
              }
            : {}),
          ...(query
            ? {
                parameters: Object.keys(query.shape).map((key) => ({
                  name: key,
                  in: 'query',
                  schema: toJsonSchema(query.shape[key] as z.ZodType, 'input'),
                })),
              }
            : {}),
          responses: {
            [String(response?.status ?? 200)]: response
              ? {
                  description: 'Success',
                  content: { 'application/json': { schema: toJsonSchema(response.schema, 'output') } },
                }
              : { description: 'Success' },
            default: { description: 'Error', ...errorResponse },
          },
        };
        paths[path] = { ...paths[path], [RequestMethod[method].toLowerCase()]: operation };
      }
    }

    // The liveness probe is a plain Fastify route (health/liveness.ts), so no controller names it.
    paths[LIVENESS_PATH] = {
      get: {
        operationId: 'Health.healthz',
        tags: ['Health'],
        security: [],
        responses: {
          '200': {
            description: 'Success',
            content: { 'application/json': { schema: toJsonSchema(healthSchema, 'output') } },
          },
          default: { description: 'Error', ...errorResponse },
        },
      },
    };

    this.document = {
      openapi: '3.1.0',
      info: { title: info.title, version: info.version },
      servers: [{ url: info.serverUrl }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: sessionCookieName(info.serverUrl) },
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
      paths,
    };
    return this.document;
  }
}
