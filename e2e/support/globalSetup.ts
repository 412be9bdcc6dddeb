import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// The browser tests load the example web app as a user would: built by Vite.
export default function globalSetup(): void {
  const example = fileURLToPath(new URL('../../examples/video-room/', import.meta.url));
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: example, stdio: 'inherit' });
}
