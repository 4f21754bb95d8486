// Writes a brotli (.br, max quality) and a gzip (.gz, level 9) sibling next to every compressible
// file of the built SPA, so the api serves them precompressed instead of compressing per request
// (apps/api/src/web/spa.ts). A sibling is kept only when it is smaller than the original.
// Usage: node scripts/compress.mjs [dir]   (default: apps/web/dist; run by `npm run build`)
import { readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Text formats worth compressing; images such as png, jpg or woff2 are compressed already. */
export const COMPRESSIBLE = new Set([
  '.html',
  '.js',
  '.mjs',
  '.css',
  '.svg',
  '.json',
  '.map',
  '.txt',
  '.xml',
  '.webmanifest',
  '.ico',
  '.wasm',
]);

const ENCODINGS = [
  {
    extension: '.br',
    compress: (bytes) =>
      brotli(bytes, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        },
      }),
  },
  { extension: '.gz', compress: (bytes) => gzipAsync(bytes, { level: 9 }) },
];

async function listFiles(dir) {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

/**
 * Compresses every compressible file under `dir`. Returns one row per original file with the
 * sizes written (undefined where the compressed form was not smaller and so was not kept).
 */
export async function compressDirectory(dir) {
  const files = (await listFiles(dir)).filter((file) => COMPRESSIBLE.has(extname(file).toLowerCase()));
  return Promise.all(
    files.map(async (file) => {
      const bytes = await readFile(file);
      const row = { file: relative(dir, file), bytes: bytes.length };
      for (const { extension, compress } of ENCODINGS) {
        const compressed = await compress(bytes);
        const target = file + extension;
        if (compressed.length < bytes.length) {
          await writeFile(target, compressed);
          row[extension] = compressed.length;
        } else {
          // A sibling left by an earlier build would no longer match the file: never serve it.
          await unlink(target).catch((error) => {
            if (error.code !== 'ENOENT') throw error;
          });
        }
      }
      return row;
    }),
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv[2] ?? fileURLToPath(new URL('../dist/', import.meta.url));
  if (!(await stat(dir)).isDirectory()) throw new Error(`${dir} is not a directory`);
  const rows = await compressDirectory(dir);
  const total = (key) => rows.reduce((sum, row) => sum + (row[key] ?? row.bytes), 0);
  console.log(
    `compressed ${rows.length} files in ${dir}: ` +
      `${(total('bytes') / 1024).toFixed(1)} KiB → ${(total('.br') / 1024).toFixed(1)} KiB br, ` +
      `${(total('.gz') / 1024).toFixed(1)} KiB gz`,
  );
}
