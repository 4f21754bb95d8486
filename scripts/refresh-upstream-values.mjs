#!/usr/bin/env node
// Refreshes charts/upstream-values/bp-<id>.yaml: the verbatim values.yaml of each Blueprint's pinned upstream chart,
// which the chart tests check every overlay key against (upstream charts cannot be downloaded where the tests run).
// Each file starts with one header line naming where it came from:
//   # upstream-values: repo=https://github.com/<owner>/<repo> ref=<tag or commit> path=<values.yaml path> chart=<name> version=<version>
// After changing a pin in charts/bp-<id>/Chart.yaml, set `ref` (the tag of that release) and `version` in the header,
// then run: node scripts/refresh-upstream-values.mjs [bp-<id> …]   (needs access to raw.githubusercontent.com)
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../charts/upstream-values/', import.meta.url));
const HEADER = /^# upstream-values: repo=(\S+) ref=(\S+) path=(\S+) chart=(\S+) version=(\S+)$/;

const wanted = process.argv.slice(2);
const files = readdirSync(dir).filter(
  (file) => file.endsWith('.yaml') && (!wanted.length || wanted.includes(file.replace(/\.yaml$/, ''))),
);
let failed = 0;
for (const file of files) {
  const path = join(dir, file);
  const header = readFileSync(path, 'utf8').split('\n', 1)[0] ?? '';
  const match = HEADER.exec(header);
  if (!match) {
    console.error(`${file}: no upstream-values header line`);
    failed++;
    continue;
  }
  const [, repo, ref, valuesPath] = match;
  const github = /^https:\/\/github\.com\/([^/]+\/[^/]+?)(?:\.git)?$/.exec(repo);
  if (!github) {
    console.error(`${file}: only GitHub repositories are supported (${repo})`);
    failed++;
    continue;
  }
  const url = `https://raw.githubusercontent.com/${github[1]}/${ref}/${valuesPath}`;
  const response = await fetch(url);
  if (!response.ok) {
    console.error(`${file}: ${url} answered ${response.status}`);
    failed++;
    continue;
  }
  writeFileSync(path, `${header}\n${await response.text()}`);
  console.log(`${file}: refreshed from ${url}`);
}
process.exit(failed ? 1 : 0);
