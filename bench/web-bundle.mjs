// The initial JavaScript a browser downloads for the SPA (the entry chunk and its modulepreloads: the sign-in page
// and the wizard are in it), as built: raw, and as the api sends it precompressed (the .br / .gz siblings that
// apps/web/scripts/compress.mjs writes). Sizes in kB (1,000 bytes), against the target ≤ 250 kB gzipped.
// Usage: npm run build && node bench/web-bundle.mjs   Prints figures; asserts nothing.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { REPO_ROOT, ratio, report } from './lib/harness.mjs';

const dist = join(REPO_ROOT, 'apps/web/dist');
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const scripts = new Set(
  [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\/?([^"]+\.js)"/g)].map(
    (m) => m[1],
  ),
);
const styles = new Set(
  [...html.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="\/?([^"]+\.css)"/g)].map((m) => m[1]),
);

/** The sibling the build wrote; computed the same way when the build did not write one (then marked with *). */
function compressed(file, extension, compress) {
  const path = join(dist, `${file}${extension}`);
  if (existsSync(path)) return { bytes: readFileSync(path).length, built: true };
  return { bytes: compress(readFileSync(join(dist, file))).length, built: false };
}
const brotli = (bytes) =>
  brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } });
const gzip = (bytes) => gzipSync(bytes, { level: 9 });

function measure(files) {
  const total = { raw: 0, gz: 0, br: 0, built: true };
  for (const file of files) {
    const gz = compressed(file, '.gz', gzip);
    const br = compressed(file, '.br', brotli);
    total.raw += readFileSync(join(dist, file)).length;
    total.gz += gz.bytes;
    total.br += br.bytes;
    total.built &&= gz.built && br.built;
  }
  return total;
}

const kB = (bytes) => bytes / 1000;
const js = measure(scripts);
const css = measure(styles);
const mark = (total) => (total.built ? '' : ' *');
report(`Initial JavaScript of the SPA (${[...scripts].join(', ')})`, [
  {
    figure: `initial JavaScript, gzip -9 (kB)${mark(js)}`,
    product: kB(js.gz),
    baseline: kB(js.raw),
    ratio: ratio(js.gz, js.raw),
    target: '≤ 250 kB gzipped',
  },
  {
    figure: `initial JavaScript, brotli 11 (kB)${mark(js)}`,
    product: kB(js.br),
    baseline: kB(js.raw),
    ratio: ratio(js.br, js.raw),
    target: '—',
  },
  {
    figure: `initial CSS, brotli 11 (kB)${mark(css)}`,
    product: kB(css.br),
    baseline: kB(css.raw),
    ratio: ratio(css.br, css.raw),
    target: '—',
  },
]);
console.log('Catalyst: as the api sends it precompressed; bare baseline: the same files uncompressed.');
if (!js.built || !css.built)
  console.log('* no .br/.gz siblings in apps/web/dist: computed here instead of read from the build');
