import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Real headless Chromium for the admin end-to-end tests: the Debian package (CI's `.ci/run`
 * installs it), never a downloaded browser build. `CHROMIUM_PATH` points elsewhere if needed.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A fresh page (own cookies) at laptop size, with Dutch as the browser language. */
export async function newPage(browser: Browser, baseURL: string): Promise<Page> {
  const context = await browser.newContext({
    baseURL,
    locale: 'nl-NL',
    viewport: { width: 1280, height: 860 },
    acceptDownloads: true,
  });
  // Generous: two shared cores run several browsers and test suites at once.
  context.setDefaultTimeout(30_000);
  context.setDefaultNavigationTimeout(30_000);
  return context.newPage();
}

/** Saves a full-page screenshot under test-results/ (gitignored) for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync('test-results', { recursive: true });
  const path = `test-results/${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}
