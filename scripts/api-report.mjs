// The public API surface of every published entry point, as API Extractor
// reports (packages/<pkg>/api/<entry>.api.md, committed). Check (default):
// exits 1 when the declarations differ from the committed reports, and
// prints the difference. `node scripts/api-report.mjs --update` rewrites them
// after a deliberate API change (review the diff: it is the semver question).
// Declarations are built into a temporary folder, never into dist/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompilerState, Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const root = fileURLToPath(new URL('..', import.meta.url));
const update = process.argv.includes('--update');
const PACKAGES = ['protocol', 'client', 'server-adapter'];
const scratch = mkdtempSync(join(tmpdir(), 'vroom-api-'));

/** `.` -> `index`, `./handlers/Node` -> `handlers-Node`. */
const reportName = (subpath) => (subpath === '.' ? 'index' : subpath.slice(2).replaceAll('/', '-'));

function entryPoints(pkg) {
  const manifest = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8'));
  return Object.entries(manifest.publishConfig.exports).map(([subpath, target]) => ({
    subpath,
    name: reportName(subpath),
    dts: join(scratch, pkg, target.types.replace(/^\.\/dist\//, '')),
  }));
}

function configFor(pkg, entry, tempFolder) {
  const projectFolder = join(root, 'packages', pkg);
  return ExtractorConfig.prepare({
    configObject: {
      projectFolder,
      mainEntryPointFilePath: entry.dts,
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            lib: ['ES2023', 'DOM', 'DOM.Iterable'],
            types: ['node'],
            strict: true,
            skipLibCheck: true,
          },
          files: [entry.dts],
        },
      },
      apiReport: {
        enabled: true,
        reportFileName: entry.name,
        reportFolder: join(projectFolder, 'api'),
        reportTempFolder: tempFolder,
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        // The report is the point; TSDoc style and release tags are not enforced here.
        compilerMessageReporting: { default: { logLevel: 'warning' } },
        extractorMessageReporting: {
          default: { logLevel: 'none' },
          'ae-wrong-input-file-type': { logLevel: 'error' },
        },
        tsdocMessageReporting: { default: { logLevel: 'none' } },
      },
    },
    configObjectFullPath: undefined,
    packageJsonFullPath: join(projectFolder, 'package.json'),
  });
}

const changed = [];
try {
  for (const pkg of PACKAGES) {
    const dir = join(root, 'packages', pkg);
    execFileSync(
      join(root, 'node_modules', '.bin', 'tsc'),
      ['-p', 'tsconfig.build.json', '--emitDeclarationOnly', '--outDir', join(scratch, pkg)],
      { cwd: dir, stdio: 'inherit' },
    );
    mkdirSync(join(dir, 'api'), { recursive: true });
    const entries = entryPoints(pkg);
    const tempFolder = join(scratch, 'reports', pkg);
    const configs = entries.map((entry) => configFor(pkg, entry, tempFolder));
    // One TypeScript program for all of a package's entry points.
    const compilerState = CompilerState.create(configs[0], {
      additionalEntryPoints: entries.map((e) => e.dts),
    });
    for (const [i, config] of configs.entries()) {
      const result = Extractor.invoke(config, {
        localBuild: update,
        compilerState,
        showVerboseMessages: false,
        messageCallback: (message) => {
          // API Extractor's own report and compiler notices: this script reports once, below.
          if (/^console-(api-report|compiler-version)/.test(message.messageId))
            message.handled = true;
        },
      });
      const report = join(dir, 'api', `${entries[i].name}.api.md`);
      if (!result.succeeded || !existsSync(report)) {
        const temp = join(tempFolder, `${entries[i].name}.api.md`);
        changed.push({ label: `${pkg} ${entries[i].subpath}`, report, temp });
      }
    }
  }
  if (changed.length > 0 && !update) {
    for (const { label, report, temp } of changed) {
      console.error(`\nAPI of ${label} differs from ${report.slice(root.length)}:`);
      try {
        execFileSync('diff', ['-u', report, temp], { stdio: 'inherit' });
      } catch {
        // diff exits 1 when files differ: that is the output wanted.
      }
    }
    console.error(
      `\n${changed.length} API report(s) out of date. If the change is intended: node scripts/api-report.mjs --update, and commit packages/*/api/.`,
    );
    process.exitCode = 1;
  } else {
    console.log(
      `API reports ${update ? 'written' : 'match'}: ${PACKAGES.map((p) => `${p} ${entryPoints(p).length}`).join(', ')} entry points`,
    );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
