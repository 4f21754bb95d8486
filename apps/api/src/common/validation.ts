import { Body, Param, type PipeTransform, Query } from '@nestjs/common';
import type { z } from 'zod';
import { ValidationError } from './app-error.js';
import { controlCharacterIssues } from './control-characters.js';
import { toFieldIssues } from './zod-issues.js';

export const OPENAPI_BODY = Symbol('openapi:body');
export const OPENAPI_QUERY = Symbol('openapi:query');
export const OPENAPI_RESPONSE = Symbol('openapi:response');

/**
 * Parses a request part with a shared contract schema; a failure is a 400 with field issues. Control
 * characters are refused first, in every string of every part, whatever the schema allows.
 */
class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(
    private readonly schema: S,
    private readonly part: 'body' | 'query' | 'params',
    /** A path parameter's name: its value is parsed alone, so issues are named after it. */
    private readonly param?: string,
  ) {}

  transform(value: unknown): z.infer<S> {
    const input = this.part === 'body' && value === undefined ? {} : value;
    const controls = controlCharacterIssues(input, this.param);
    if (controls.length > 0) throw new ValidationError(controls);
    const parsed = this.schema.safeParse(input);
    if (!parsed.success) throw new ValidationError(toFieldIssues(parsed.error, this.param));
    return parsed.data;
  }
}

/** `@ZodBody(schema) body: T`: the controller receives an already-parsed value (docs/architecture.md). */
export function ZodBody(schema: z.ZodType): ParameterDecorator {
  return (target, key, index) => {
    if (key !== undefined) Reflect.defineMetadata(OPENAPI_BODY, schema, target, key);
    Body(new ZodValidationPipe(schema, 'body'))(target, key, index);
  };
}

export function ZodQuery(schema: z.ZodType): ParameterDecorator {
  return (target, key, index) => {
    if (key !== undefined) Reflect.defineMetadata(OPENAPI_QUERY, schema, target, key);
    Query(new ZodValidationPipe(schema, 'query'))(target, key, index);
  };
}

export function ZodParam(name: string, schema: z.ZodType): ParameterDecorator {
  return Param(name, new ZodValidationPipe(schema, 'params', name));
}

/** Documents the success response of a route in the OpenAPI document. */
export function Returns(schema: z.ZodType, status = 200): MethodDecorator {
  return (target, key) => Reflect.defineMetadata(OPENAPI_RESPONSE, { schema, status }, target, key);
}
