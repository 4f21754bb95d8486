import { readFile } from 'node:fs/promises';
import { type SovereignFacts, sovereignFactsSchema } from '@catalyst/contracts';
import { CORE_SCHEMA, load } from 'js-yaml';

/** Why a facts file was not taken; logged with the path, never with the file's content. */
export type FactsRefusal = 'missing' | 'unreadable' | 'too-large' | 'empty' | 'not-json-or-yaml' | 'invalid';

export type FactsReading =
  | { ok: true; facts: SovereignFacts }
  | { ok: false; reason: FactsRefusal; issues?: { path: string; code: string }[] };

/** The kit's file is well under a kilobyte; anything this size is not a facts file. */
const MAX_BYTES = 64 * 1024;
const YAML_LIMITS = { schema: CORE_SCHEMA, maxAliases: 0, maxDepth: 8 } as const;

/**
 * Parses the text of a facts file: JSON, or YAML under the CORE schema (no dates, no custom tags),
 * then the strict contract. Refusals carry only paths and issue codes: parser and zod messages can
 * quote the text.
 */
export function parseSovereignFacts(text: string): FactsReading {
  if (text.trim() === '') return { ok: false, reason: 'empty' };
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    try {
      document = load(text, YAML_LIMITS);
    } catch {
      return { ok: false, reason: 'not-json-or-yaml' };
    }
  }
  const parsed = sovereignFactsSchema.safeParse(document);
  if (parsed.success) return { ok: true, facts: parsed.data };
  return {
    ok: false,
    reason: 'invalid',
    issues: parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.') || '(document)',
      code: issue.code,
    })),
  };
}

/** Reads and parses the facts file at `path`. */
export async function readSovereignFacts(path: string): Promise<FactsReading> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'ENOENT' ? 'missing' : 'unreadable' };
  }
  if (bytes.length > MAX_BYTES) return { ok: false, reason: 'too-large' };
  return parseSovereignFacts(bytes.toString('utf8'));
}
