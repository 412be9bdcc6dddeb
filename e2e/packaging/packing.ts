// Packs the three packages as `pnpm publish` would (prepack builds dist/,
// publishConfig.exports replaces the workspace's source exports, workspace:
// ranges become versions) and reads what each tarball holds.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const PACKAGES = ['protocol', 'client', 'server-adapter'] as const;
export type PackageDir = (typeof PACKAGES)[number];

const pnpmSpec = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).packageManager;

export interface Packed {
  dir: PackageDir;
  name: string;
  tarball: string;
  /** Paths inside the tarball, without the leading `package/`. */
  files: string[];
  /** The package.json as published. */
  manifest: { name: string; exports: Record<string, unknown>; [key: string]: unknown };
}

export function packAll(): Packed[] {
  const destination = mkdtempSync(join(tmpdir(), 'vroom-packed-'));
  return PACKAGES.map((dir) => {
    const cwd = join(repoRoot, 'packages', dir);
    const out = execFileSync(
      'npx',
      ['-y', pnpmSpec, 'pack', '--json', '--pack-destination', destination],
      { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    // prepack's build output comes first; the JSON report is the last object.
    const report = JSON.parse(out.slice(out.lastIndexOf('\n{') + 1)) as {
      name: string;
      filename: string;
    };
    const tarball = report.filename.startsWith('/')
      ? report.filename
      : join(destination, report.filename);
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((path) => path.replace(/^package\//, ''));
    const manifest = JSON.parse(
      execFileSync('tar', ['xzf', tarball, '-O', 'package/package.json'], { encoding: 'utf8' }),
    );
    return { dir, name: report.name, tarball, files, manifest };
  });
}

/** The worker binary the workspace install built (consumers reuse it, no rebuild). */
export function builtWorkerBin(): string {
  const require = createRequire(join(repoRoot, 'packages', 'server-adapter', 'package.json'));
  return join(
    dirname(require.resolve('mediasoup/package.json')),
    'worker/out/Release/mediasoup-worker',
  );
}

/** A workspace package's own package.json. */
export function workspaceManifest(dir: PackageDir): {
  exports: Record<string, string>;
  publishConfig: { exports: Record<string, unknown> };
} {
  return JSON.parse(readFileSync(join(repoRoot, 'packages', dir, 'package.json'), 'utf8'));
}
