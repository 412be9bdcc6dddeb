import { defineConfig } from 'vite';

export default defineConfig({
  root: 'web',
  build: { outDir: '../dist', emptyOutDir: true, target: 'es2022' },
  // `vite dev` forwards signaling to a server started with `pnpm serve`.
  server: { proxy: { '/ws': { target: 'ws://127.0.0.1:3000', ws: true } } },
});
