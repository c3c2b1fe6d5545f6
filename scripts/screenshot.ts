// Screenshots of pages at desktop and phone width, in light and dark, for design review:
//   node --import tsx scripts/screenshot.ts http://127.0.0.1:3000 / /discover /nope
// PNGs go to test-results/screenshots/<path>-<width>-<scheme>.png. Uses Debian's chromium
// (apt-get install chromium) through playwright-core; CHROMIUM_PATH overrides the binary.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';

const OUT_DIR = path.resolve('test-results/screenshots');
const WIDTHS = [1280, 360] as const;
const SCHEMES = ['light', 'dark'] as const;

function slugOf(pagePath: string): string {
  const slug = pagePath.replace(/[^a-z0-9]+/gi, '-').replace(/^-+|-+$/g, '');
  return slug || 'home';
}

async function main(argv: string[]): Promise<number> {
  const [baseUrl, ...paths] = argv;
  if (!baseUrl || !URL.canParse(baseUrl)) {
    console.error('usage: screenshot.ts <base url> [path ...]');
    return 2;
  }
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    console.error(`no Chromium at ${executablePath}: apt-get install chromium`);
    return 1;
  }
  await mkdir(OUT_DIR, { recursive: true });
  const browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  let failures = 0;
  try {
    for (const width of WIDTHS) {
      for (const colorScheme of SCHEMES) {
        const context = await browser.newContext({
          viewport: { width, height: width > 600 ? 900 : 780 },
          colorScheme,
        });
        const page = await context.newPage();
        // Error pages are screenshotted on purpose, so the browser's "failed to load" line for
        // the document itself is noise; a failing asset or script error is not.
        page.on('console', (message) => {
          const text = message.text();
          if (message.type() === 'error' && !text.startsWith('Failed to load resource')) {
            console.error(`  console: ${text}`);
          }
        });
        page.on('response', (response) => {
          if (response.request().resourceType() !== 'document' && response.status() >= 400) {
            console.error(`  ${String(response.status())} ${response.url()}`);
          }
        });
        for (const pagePath of paths.length > 0 ? paths : ['/']) {
          const response = await page.goto(new URL(pagePath, baseUrl).href);
          const file = path.join(OUT_DIR, `${slugOf(pagePath)}-${width}-${colorScheme}.png`);
          await page.screenshot({ path: file, fullPage: true });
          const overflow = await page.evaluate(
            'document.documentElement.scrollWidth - window.innerWidth',
          );
          const wide =
            typeof overflow === 'number' && overflow > 0 ? ` (${overflow}px too wide)` : '';
          if (wide) failures += 1;
          console.log(`${String(response?.status() ?? '???')} ${pagePath} -> ${file}${wide}`);
        }
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  return failures > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
