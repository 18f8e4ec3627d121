// Builds the admin app once if web/dist is missing, so `npm install && npm start` just works, and
// says so while it happens: the first start waits for this build.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { cliLocale } from '../src/i18n/locale.ts';
import { t } from '../src/i18n/messages.ts';

if (existsSync('web/index.html') && !existsSync('web/dist/index.html')) {
  const locale = cliLocale();
  console.log(t(locale, 'cli.building'));
  const started = Date.now();
  execSync('npx vite build --config web/vite.config.ts --logLevel warn', { stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    t(locale, 'cli.built', { seconds: locale === 'nl' ? seconds.replace('.', ',') : seconds }),
  );
}
