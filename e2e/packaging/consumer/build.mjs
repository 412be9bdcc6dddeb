// Builds web/main.js with each bundler, from this app's own install of the
// packed packages, into dist/<bundler>/ (index.html + script), and prints
// each bundle's size. Any bundler error or warning about our packages fails.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { build as viteBuild } from 'vite';
import webpack from 'webpack';

const root = import.meta.dirname;
const web = join(root, 'web');
const out = (name) => join(root, 'dist', name);
const page = '<!doctype html><meta charset="utf-8"><script src="./main.js"></script>\n';

async function withVite() {
  await viteBuild({
    root: web,
    base: '/vite/',
    logLevel: 'warn',
    build: { outDir: out('vite'), emptyOutDir: true },
  });
}

async function withWebpack() {
  const compiler = webpack({
    mode: 'production',
    context: root,
    entry: './web/main.js',
    target: 'web',
    devtool: false,
    output: { path: out('webpack'), filename: 'main.js', clean: true },
  });
  const stats = await new Promise((resolve, reject) =>
    compiler.run((error, result) => (error ? reject(error) : resolve(result))),
  );
  await new Promise((resolve) => compiler.close(resolve));
  const info = stats.toJson({ all: false, errors: true, warnings: true });
  const problems = [...info.errors, ...info.warnings]
    .map((p) => p.message)
    // webpack's generic "asset size limit" hints are about its own 244 KiB default.
    .filter((message) => !/size limit|performance/i.test(message));
  if (problems.length > 0) throw new Error(`webpack:\n${problems.join('\n')}`);
  writeFileSync(join(out('webpack'), 'index.html'), page);
}

async function withEsbuild() {
  const result = await esbuild.build({
    entryPoints: [join(web, 'main.js')],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    outfile: join(out('esbuild'), 'main.js'),
    logLevel: 'silent',
  });
  if (result.warnings.length > 0) throw new Error(`esbuild: ${JSON.stringify(result.warnings)}`);
  writeFileSync(
    join(out('esbuild'), 'index.html'),
    page.replace('<script', '<script type="module"'),
  );
}

function scriptBytes(dir) {
  let min = 0;
  let gzip = 0;
  for (const entry of readdirSync(dir, { recursive: true })) {
    const path = join(dir, entry);
    if (!entry.endsWith('.js') || !statSync(path).isFile()) continue;
    const code = readFileSync(path);
    min += code.byteLength;
    gzip += gzipSync(code, { level: 9 }).byteLength;
  }
  return { min, gzip };
}

for (const [name, build] of [
  ['vite', withVite],
  ['webpack', withWebpack],
  ['esbuild', withEsbuild],
]) {
  mkdirSync(out(name), { recursive: true });
  await build();
  const { min, gzip } = scriptBytes(out(name));
  console.log(`bundle ${name}: ${min} B min, ${gzip} B gzip`);
}
