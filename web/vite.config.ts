import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * The admin app is served by the API server under /admin/ (src/server/admin-static.ts), so the
 * build is relative to that base and lands in web/dist, which the server reads. No React plugin is
 * needed: Vite 8 (oxc) compiles TSX with the automatic runtime.
 */
export default defineConfig({
  root: webRoot,
  base: '/admin/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  server: {
    // `npx vite --config web/vite.config.ts` during development: the API runs on :3000.
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
