/**
 * The public web app (/app/) in a real browser at phone size (360 px), as a
 * migrant without Telegram uses it: a new visitor picks Uzbek, walks the patent
 * flow and asks a lawyer; a lawyer answers in the console; the visitor sees the
 * answer after a reload; with the connection gone the app still opens on the rights
 * card (their language and Russian), the hot lines and their dates, and Chromium
 * finds it installable; the recovery
 * code opens the conversation in a second browser. Screenshots go to
 * tests/e2e/artifacts/ (ignored by git).
 *
 * Needs Debian's Chromium at /usr/bin/chromium (`apt-get install -y chromium`);
 * without it the test is skipped with that instruction.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAppBuilt } from '../helpers/build-app.js';
import { botSays, CHROMIUM, hasChromium, launchChromium, type LocalApp, press, startLocalApp, type } from '../helpers/local-app.js';
import { testTimeout } from '../helpers/wait-for.js';

const ARTIFACTS = 'tests/e2e/artifacts';
if (!hasChromium) {
  console.warn(`Web app browser test skipped: no Chromium at ${CHROMIUM}. Install it with: apt-get install -y chromium (or set CHROMIUM_PATH).`);
}

const uz = JSON.parse(readFileSync('locales/uz/common.json', 'utf8'));
const tg = JSON.parse(readFileSync('locales/tg/common.json', 'utf8'));
const ru = JSON.parse(readFileSync('locales/ru/common.json', 'utf8'));
const uzFlows = JSON.parse(readFileSync('locales/uz/flows.json', 'utf8'));
const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const ANSWER = 'Assalomu alaykum! Ish beruvchiga yozma ariza bering.';

/** Plain text of the first line of a Telegram-HTML locale string (what the page shows). */
const firstLine = (html: string) => html.split('\n')[0]!.replace(/<[^>]+>/g, '');

let app: LocalApp;
let browser: Browser;
let base = '';
let tokens: Record<string, string> = {};

beforeAll(async () => {
  if (!hasChromium) return;
  ensureAppBuilt();
  mkdirSync(ARTIFACTS, { recursive: true });
  app = await startLocalApp('pravo-webapp-e2e-');
  ({ base, tokens } = app);
  browser = await launchChromium();
}, testTimeout(3));

afterAll(async () => {
  await browser?.close();
  app?.stop();
});

describe.skipIf(!hasChromium)('the web app on a phone', { timeout: 120_000 }, () => {
  let phone: BrowserContext;
  let page: Page;
  let recoveryCode = '';
  let caseId = '';
  const requests: string[] = [];

  it('a new visitor picks Uzbek, walks the patent flow and asks a lawyer, at 360 px', async () => {
    phone = await browser.newContext({ ...PHONE, locale: 'ru-RU' });
    page = await phone.newPage();
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${base}/app/`);
    await page.selectOption('#welcome-lang', 'uz');
    await page.locator('#start', { hasText: uz.webapp.start }).waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/webapp-1-welcome.png` });
    await page.click('#start');
    recoveryCode = (await page.locator('[data-testid="recovery-code"]').textContent()) ?? '';
    expect(recoveryCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await page.getByRole('button', { name: uz.webapp.recovery.done }).click();
    await press(page, 'c:y');
    await botSays(page, uz.menu.lawyer);
    await press(page, 'f:work-patent');
    await botSays(page, uzFlows['work-patent'].nodes.citizenship.options.uz);
    await press(page, { prefix: 'q:work-patent:', suffix: ':citizenship:0' });
    await press(page, { prefix: 'q:work-patent:', suffix: ':has-residence:1' });
    await press(page, { prefix: 'q:work-patent:', suffix: ':stage:0' });
    const entry = new Date(Date.now() - 5 * 86_400_000);
    await type(page, `${String(entry.getDate()).padStart(2, '0')}.${String(entry.getMonth() + 1).padStart(2, '0')}.${entry.getFullYear()}`);
    await botSays(page, '115-ФЗ');
    // Save the answer's dates with reminders (they are shown offline later).
    await press(page, { prefix: 'sv:work-patent:' });
    await page.locator('.msg--bot', { hasText: '🔔' }).last().waitFor({ timeout: 15_000 });
    await press(page, { prefix: 'e:work-patent:' });
    await type(page, 'Ish beruvchi hujjatlarni bermayapti. Nima qilay?');
    await press(page, 'cs');
    await botSays(page, '#');
    caseId = /#(\d+)/.exec((await page.locator('.msg--bot').last().textContent()) ?? '')?.[1] ?? '';
    expect(caseId).not.toBe('');
    // Nothing wider than the phone, nothing from another host.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(requests.filter((u) => !u.startsWith(base))).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/webapp-2-asked.png` });
  });

  it('a lawyer answers in the console, and the visitor sees the answer after a reload', async () => {
    const lawyer = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await lawyer.goto(`${base}/console/`);
    await lawyer.fill('[data-testid="login-token"]', tokens['Local lawyer']!);
    await lawyer.click('[data-testid="login-submit"]');
    const item = lawyer.locator(`[data-testid="queue-item"][data-case-id="${caseId}"]`);
    await item.waitFor();
    await item.click();
    await lawyer.click('[data-testid="claim"]');
    await lawyer.locator('[data-testid="release"]').waitFor();
    await lawyer.fill('[data-testid="reply-text"]', ANSWER);
    await lawyer.click('[data-testid="reply-send"]');
    await lawyer.locator('[data-testid="thread-message"][data-author="lawyer"]').waitFor();
    await lawyer.close();
    // The open app gets it without a reload (long poll) …
    await botSays(page, 'yozma ariza bering');
    // … and a reload shows the whole conversation again.
    await page.reload();
    await botSays(page, 'yozma ariza bering');
    await page.screenshot({ path: `${ARTIFACTS}/webapp-3-answer.png` });
  });

  it('with no connection, the app still opens on the rights card in Uzbek and Russian, the hot lines and the dates', async () => {
    // The service worker has the app; the page has its offline data.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });
    await page.waitForFunction(() => localStorage.getItem('pravo.app.offline') !== null, undefined, { timeout: 15_000 });
    // Chromium finds nothing against installing it (a test browser is always incognito).
    const cdp = await phone.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: { errorId: string }[] };
    expect(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);
    await phone.setOffline(true);
    await page.reload();
    await page.locator('.card-text', { hasText: firstLine(uz.sos.card) }).waitFor({ timeout: 15_000 });
    await page.locator('.card-ru[lang="ru"]', { hasText: firstLine(ru.sos['card-ru']) }).waitFor();
    // Rendered, not shown as markup.
    expect(await page.locator('.card-text b').first().textContent()).toBe(firstLine(uz.sos.card));
    await page.locator('.banner--offline', { hasText: uz.webapp.offline }).waitFor();
    await page.locator('.hotlines', { hasText: '+7' }).waitFor();
    await page.locator('.dates li').first().waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/webapp-4-offline-card.png`, fullPage: true });
    // Every language's card is on the phone too.
    await page.selectOption('#card-lang', 'tg');
    await page.locator('.card-text[lang="tg"]', { hasText: firstLine(tg.sos.card) }).waitFor();
    await phone.setOffline(false);
  });

  it('the recovery code opens the same conversation in a second browser', async () => {
    const other = await browser.newContext({ ...PHONE, locale: 'uz-UZ' });
    const page2 = await other.newPage();
    await page2.goto(`${base}/app/`);
    await page2.locator('summary', { hasText: uz.webapp['have-code'] }).click();
    await page2.fill('#recovery-input', recoveryCode.toLowerCase());
    await page2.getByRole('button', { name: uz.webapp.recovery.submit }).click();
    await botSays(page2, 'yozma ariza bering');
    await page2.locator('.msg--user', { hasText: 'Ish beruvchi hujjatlarni bermayapti' }).waitFor();
    await other.close();
    await phone.close();
  });
});
