// Bundle size: the typical Device app against @vroom/client and against
// mediasoup-client 3.24.1, and the typical RoomClient app, each with its
// budget (see size/measure.mjs). Exits 1 when a budget is broken or a test
// double / Node-only module reached a browser bundle.
// Usage: pnpm bench:size   (--why lists what each module of the Device app costs)
// CI runs the same check as packages/client/scripts/size/budgets.test.ts.

import { gzipSync } from 'node:zlib';
import { deviceApp } from './size/apps.mjs';
import { bundle, describeBudgets, measureBudgets } from './size/measure.mjs';

const measured = await measureBudgets();
for (const line of describeBudgets(measured)) console.log(line);
const broken = measured.rows.filter((row) => row.ratio > row.budget || row.forbidden.length > 0);
if (broken.length > 0) process.exitCode = 1;

// --why: per module, its minified bytes (esbuild metafile) and what its code
// adds to the gzip size (gzip of the whole minus gzip without it; whitespace
// kept so modules can be cut apart, hence larger than the figures above).
if (process.argv.includes('--why')) {
  const { result } = measured.device;
  const inputs = Object.values(result.metafile.outputs)[0].inputs;
  const { result: readable } = await bundle('@vroom/client', deviceApp('./src/index.ts'), {
    minify: false,
    minifySyntax: true,
    minifyIdentifiers: true,
  });
  const parts = readable.outputFiles[0].text.split(/^\/\/ (.*)$/m);
  const chunks = [];
  for (let i = 1; i < parts.length; i += 2) chunks.push({ path: parts[i], body: parts[i + 1] });
  const gzip = (text) => gzipSync(text, { level: 9 }).byteLength;
  const whole = gzip(chunks.map((c) => c.body).join(''));
  const rows = chunks.map((chunk) => ({
    path: chunk.path,
    min: inputs[chunk.path]?.bytesInOutput ?? 0,
    gzip:
      whole -
      gzip(
        chunks
          .filter((c) => c !== chunk)
          .map((c) => c.body)
          .join(''),
      ),
  }));
  console.log('\n  min B  +gzip B  module');
  for (const row of rows.sort((a, b) => b.gzip - a.gzip)) {
    const path = row.path.replace(/.*node_modules\//, '');
    console.log(`${String(row.min).padStart(7)} ${String(row.gzip).padStart(8)}  ${path}`);
  }
}
