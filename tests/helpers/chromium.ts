/**
 * The system's headless Chromium (Debian's `chromium` package; .ci/run installs it) driven by playwright-core, for
 * the tests that open what the run writes in a real browser. CHROMIUM_PATH overrides where it is. Without it, the
 * test fails and says how to install it (a skipped browser test would prove nothing).
 */
import * as fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface RunningBrowser {
  readonly browser: Browser;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<RunningBrowser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: install it (apt-get install -y chromium, as .ci/run does) or set CHROMIUM_PATH`);
  }
  // playwright-core gives each launch a fresh --user-data-dir of its own (and removes it on close).
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // Without the background-networking flags Debian's Chromium opens connections of its own, refused here.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    close: () => browser.close(),
  };
}
