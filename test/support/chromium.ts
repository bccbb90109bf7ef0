/**
 * Headless Chromium for the page tests: Debian's build (`apt-get install -y chromium`, which
 * .ci/run does) driven by playwright-core, with the flags every page test uses. Playwright gives
 * every launch a fresh, temporary profile (--user-data-dir) of its own.
 */
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Launches Chromium with the common flags and `extra` ones.
 * @example launchChromium(["--host-resolver-rules=MAP rebind.test 127.0.0.1"])
 */
export function launchChromium(extra: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...FLAGS, ...extra] });
}
