// Builds the admin app once if web/dist is missing, so `npm install && npm start` just works.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

if (existsSync('web/index.html') && !existsSync('web/dist/index.html')) {
  console.log('Building the admin app (first start)…');
  execSync('npx vite build --config web/vite.config.ts', { stdio: 'inherit' });
}
