import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/config.js';
import { parseSovereignFacts, readSovereignFacts } from './sovereign-facts.js';

const FACTS = {
  fqdn: 'omantel.omani.works',
  deploymentId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  createdAt: '2025-05-01T09:30:00Z',
  ha: false,
  k3sVersion: 'v1.31.4+k3s1',
  regions: [
    { provider: 'hetzner', region: 'fsn1', controlPlaneSize: 'cpx32', workerSize: '', workerCount: 0 },
  ],
  components: [],
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'catalyst-facts-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseSovereignFacts', () => {
  it('takes a file without the optional orgName', () => {
    expect(parseSovereignFacts(JSON.stringify(FACTS))).toEqual({ ok: true, facts: FACTS });
  });

  it('names the paths and codes of what is wrong, never the values', () => {
    const reading = parseSovereignFacts(
      JSON.stringify({ ...FACTS, fqdn: 'not a name', regions: [], extra: 'hunter2' }),
    );
    expect(reading).toEqual({
      ok: false,
      reason: 'invalid',
      issues: expect.arrayContaining([
        { path: 'fqdn', code: 'custom' },
        { path: 'regions', code: 'too_small' },
        { path: '(document)', code: 'unrecognized_keys' },
      ]),
    });
    expect(JSON.stringify(reading)).not.toMatch(/hunter2|not a name|extra/);
  });

  it('refuses a YAML document the CORE schema cannot read as plain data, and an empty file', () => {
    expect(parseSovereignFacts('a: 1\n---\nb: 2\n')).toEqual({ ok: false, reason: 'not-json-or-yaml' });
    expect(parseSovereignFacts('a: &x 1\nb: *x\n')).toEqual({ ok: false, reason: 'not-json-or-yaml' });
    expect(parseSovereignFacts(' \n')).toEqual({ ok: false, reason: 'empty' });
  });
});

describe('readSovereignFacts', () => {
  it('tells a missing file from an unreadable one and a huge one', async () => {
    expect(await readSovereignFacts(join(dir, 'absent.json'))).toEqual({ ok: false, reason: 'missing' });
    expect(await readSovereignFacts(dir)).toEqual({ ok: false, reason: 'unreadable' });
    const huge = join(dir, 'huge.json');
    writeFileSync(huge, ' '.repeat(65 * 1024));
    expect(await readSovereignFacts(huge)).toEqual({ ok: false, reason: 'too-large' });
  });
});

describe('CATALYST_SOVEREIGN_FILE', () => {
  it('is optional, and must be an absolute path when set', () => {
    expect(loadConfig({}).sovereignFactsFile).toBeUndefined();
    expect(loadConfig({ CATALYST_SOVEREIGN_FILE: ' ' }).sovereignFactsFile).toBeUndefined();
    expect(loadConfig({ CATALYST_SOVEREIGN_FILE: '/etc/catalyst/sovereign.json' }).sovereignFactsFile).toBe(
      '/etc/catalyst/sovereign.json',
    );
    expect(() => loadConfig({ CATALYST_SOVEREIGN_FILE: 'sovereign.json' })).toThrow(ConfigError);
    expect(() => loadConfig({ CATALYST_SOVEREIGN_FILE: 'sovereign.json' })).toThrow(
      /CATALYST_SOVEREIGN_FILE: must be an absolute path/,
    );
  });
});
