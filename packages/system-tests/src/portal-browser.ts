// The portal's browser tests' common ground: Debian's headless Chromium driven
// by playwright-core, contexts that record CSP violations and dialogs (a page
// must raise neither), full-page screenshots under test-artifacts/ (never
// committed), and the sign-in through the auth service.
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Stack } from './stack.ts';
import type { TestUser } from './users.ts';

const artifacts = new URL('../../../test-artifacts/', import.meta.url);

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(artifacts, { recursive: true });
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    timeout: 120_000,
  });
}

/** What every page of a context raised that it should not have: CSP violations, dialogs (an XSS `alert`). */
export interface BrowserFindings {
  cspViolations: string[];
  dialogs: string[];
}

export async function newContext(browser: Browser, findings: BrowserFindings): Promise<BrowserContext> {
  const context = await browser.newContext({ acceptDownloads: true });
  context.setDefaultTimeout(60_000);
  context.setDefaultNavigationTimeout(60_000);
  context.on('page', (page) => {
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) findings.cspViolations.push(message.text());
    });
    page.on('dialog', (dialog) => {
      findings.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  });
  return context;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: new URL(`portal-${name}.png`, artifacts).pathname, fullPage: true });
}

/** From the portal's welcome page through the auth service's sign-in, back to the portal: a first-party app asks no consent. */
export async function signInToPortal(stack: Stack, page: Page, user: TestUser, onWelcome?: () => Promise<void>): Promise<void> {
  await page.goto(stack.portalUrl);
  await page.getByRole('heading', { name: 'API settings' }).waitFor();
  await onWelcome?.();
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.origin === stack.portalUrl && url.pathname !== '/auth/callback');
}
