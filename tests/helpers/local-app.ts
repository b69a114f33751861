/**
 * The README's first command for browser tests: `src/main.ts` in local mode as a child
 * process on a free port and a fresh embedded database, ready once it has printed its
 * addresses and local tokens; and Debian's Chromium as the probe's flags launch it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { WAIT_CAP_MS } from './wait-for.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

export interface LocalApp {
  base: string;
  /** Local tokens by name ("Local lawyer", "Local admin", …). */
  tokens: Record<string, string>;
  server: ChildProcess;
  stop(): void;
}

/** Starts local mode; `env` adds variables (a translation stand-in, say). */
export async function startLocalApp(prefix: string, env: Record<string, string> = {}): Promise<LocalApp> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const port = await freePort();
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', PGLITE_DIR: join(dataDir, 'pglite'), BOT_TOKEN: '', DATABASE_URL: '', LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const tokens: Record<string, string> = {};
  let out = '';
  await new Promise<void>((resolve, reject) => {
    // Twice the usual cap: tsx compiles the whole app at start, which is slow on a busy machine.
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 2 * WAIT_CAP_MS);
    server.stdout!.on('data', (chunk) => {
      out += chunk;
      for (const m of out.matchAll(/^\s+(lawyer|staff|admin)\s+(.+?)\s+(pravo_\S+)$/gm)) tokens[m[2]!.trim()] = m[3]!;
      if (out.includes('The web app for migrants:') && tokens['Local admin']) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    base: `http://127.0.0.1:${port}`,
    tokens,
    server,
    stop() {
      server.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Chromium without the background connections this machine's closed network refuses. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Chat pages (the simulator and the web app share their markup): press the newest
 * button with this callback data (or data starting and ending so), type a message,
 * and wait for the bot to say something.
 */
export async function press(page: Page, data: string | { prefix: string; suffix?: string }): Promise<void> {
  const selector =
    typeof data === 'string' ? `button.kb-btn[data-cb="${data}"]` : `button.kb-btn[data-cb^="${data.prefix}"]${data.suffix ? `[data-cb$="${data.suffix}"]` : ''}`;
  await page.locator(selector).last().click();
}

export async function type(page: Page, text: string): Promise<void> {
  await page.fill('#input', text);
  await page.press('#input', 'Enter');
}

export const botSays = (page: Page, text: string) => page.locator('.msg--bot', { hasText: text }).last().waitFor({ timeout: WAIT_CAP_MS / 2 });
