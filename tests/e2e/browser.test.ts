/**
 * The whole service in a real browser, as a newcomer sees it after `npm start`:
 * a migrant in Uzbek walks the patent flow and asks a lawyer with a photo of a
 * document; in the console a lawyer reads the machine translation, opens the photo,
 * claims, answers in Russian and sends the checked translation; the migrant's chat
 * shows the translation with the Russian original below; closing asks first; a
 * staff member drafts an alert, another person approves it, sending asks first, and
 * the migrant sees it. Machine translation is a local stand-in of LibreTranslate.
 * Screenshots of each page go to tests/e2e/artifacts/ (ignored by git).
 *
 * Needs Debian's Chromium at /usr/bin/chromium (`apt-get install -y chromium`);
 * without it the test is skipped with that instruction.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFlowFile } from '../../src/flow-engine/loader.js';
import { testTimeout, WAIT_CAP_MS } from '../helpers/wait-for.js';
import { botSays, CHROMIUM, hasChromium, launchChromium, type LocalApp, press, startLocalApp, type } from '../helpers/local-app.js';
import { fakeTranslation, startTranslationStandIn, type TranslationStandIn } from '../helpers/translation-stand-in.js';

const ARTIFACTS = 'tests/e2e/artifacts';
if (!hasChromium) {
  console.warn(`Browser test skipped: no Chromium at ${CHROMIUM}. Install it with: apt-get install -y chromium (or set CHROMIUM_PATH).`);
}

const uz = JSON.parse(readFileSync('locales/uz/common.json', 'utf8'));
const QUESTION = 'Ish beruvchi hujjatlarni bermayapti. Nima qilay?';
const ANSWER_RU = 'Здравствуйте! Напишите работодателю письменное заявление о выдаче документов.';
const ANSWER_UZ = 'Assalomu alaykum! Ish beruvchiga hujjatlarni berish haqida yozma ariza yozing.';
const uzFlows = JSON.parse(readFileSync('locales/uz/flows.json', 'utf8'));

let app: LocalApp;
let translator: TranslationStandIn;
let browser: Browser;
let base = '';
let tokens: Record<string, string> = {};

beforeAll(async () => {
  if (!hasChromium) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  translator = await startTranslationStandIn();
  // The README's first command, on a fresh embedded database.
  app = await startLocalApp('pravo-e2e-', { TRANSLATION_PROVIDER: 'libretranslate', LIBRETRANSLATE_URL: translator.url });
  ({ base, tokens } = app);
  browser = await launchChromium();
}, testTimeout(3));

afterAll(async () => {
  await browser?.close();
  app?.stop();
  await translator?.close();
});

/** Waits until the element shows the text (Playwright's own expect is not vitest's). */
const showsText = (page: Page, selector: string, text: string | RegExp, timeout = WAIT_CAP_MS / 2) =>
  page.locator(selector, { hasText: text }).first().waitFor({ timeout });

async function consoleAs(token: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${base}/console/`);
  await page.fill('[data-testid="login-token"]', token);
  await page.click('[data-testid="login-submit"]');
  await page.locator('[data-testid="whoami"]').waitFor();
  return page;
}

describe.skipIf(!hasChromium)('the whole service in a browser', { timeout: testTimeout(2) }, () => {
  let chat: Page;

  it('a migrant in Uzbek walks the patent flow and asks a lawyer', async () => {
    chat = await browser.newPage({ viewport: { width: 420, height: 860 } });
    await chat.goto(base);
    await type(chat, '/start');
    await press(chat, 'l:uz');
    await chat.locator('button.kb-btn[data-cb="c:y"]').waitFor();
    await press(chat, 'c:y');
    await botSays(chat, uz.menu.lawyer);
    await press(chat, 'f:work-patent');
    await botSays(chat, uzFlows['work-patent'].nodes.citizenship.options.uz);
    await press(chat, { prefix: 'q:work-patent:', suffix: ':citizenship:0' }); // Oʻzbekiston
    await press(chat, { prefix: 'q:work-patent:', suffix: ':has-residence:1' }); // no residence permit
    await press(chat, { prefix: 'q:work-patent:', suffix: ':stage:0' }); // how to get a patent
    const today = new Date();
    const entry = new Date(today.getTime() - 5 * 86_400_000);
    await type(chat, `${String(entry.getDate()).padStart(2, '0')}.${String(entry.getMonth() + 1).padStart(2, '0')}.${entry.getFullYear()}`);
    await botSays(chat, '115-ФЗ');
    await chat.screenshot({ path: `${ARTIFACTS}/1-chat-answer.png`, fullPage: true });
    await press(chat, { prefix: 'e:work-patent:' });
    await chat.setInputFiles('[data-testid="attach-input"]', 'tests/e2e/fixtures/patent-photo.png');
    await botSays(chat, uz.cases['photo-added']);
    await type(chat, QUESTION);
    await press(chat, 'cs');
    await botSays(chat, '#1');
  });

  it('a lawyer reads the question in Russian, sees the photo, and answers in Russian; the migrant gets the checked translation with the Russian below', async () => {
    const lawyer = await consoleAs(tokens['Local lawyer']!);
    const item = lawyer.locator('[data-testid="queue-item"][data-case-id="1"]');
    await item.waitFor();
    await item.click();
    await showsText(lawyer, '[data-testid="case-summary"]', 'Патент на работу');
    // The question in Uzbek, with its stored Russian machine translation.
    await showsText(lawyer, '[data-testid="message-translation"][data-status="machine"]', fakeTranslation(QUESTION, 'ru'));
    await showsText(lawyer, '[data-testid="case-translation"]', 'LibreTranslate');
    // The context in Russian words, not node ids.
    expect(await lawyer.locator('#case-context').textContent()).not.toContain('has-residence');
    // The photo, fetched with the lawyer's token.
    await lawyer.click('[data-testid="attachment-photo"]');
    const img = lawyer.locator('img[data-testid="attachment-photo"]');
    await img.waitFor();
    expect(await img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(240);
    await lawyer.screenshot({ path: `${ARTIFACTS}/2-console-case.png`, fullPage: true });

    await lawyer.click('[data-testid="claim"]');
    await lawyer.locator('[data-testid="release"]').waitFor();
    await lawyer.fill('[data-testid="reply-text"]', ANSWER_RU);
    // The first press translates and shows the translation; nothing is sent unseen.
    await lawyer.click('[data-testid="reply-send"]');
    const translation = lawyer.locator('[data-testid="reply-translation"]');
    await lawyer.waitForFunction(() => (document.querySelector('[data-testid="reply-translation"]') as HTMLTextAreaElement).value !== '');
    expect(await translation.inputValue()).toBe(fakeTranslation(ANSWER_RU, 'uz'));
    expect(await lawyer.locator('[data-testid="thread-message"][data-author="lawyer"]').count()).toBe(0);
    await translation.fill(ANSWER_UZ);
    await lawyer.screenshot({ path: `${ARTIFACTS}/2b-console-translation.png`, fullPage: true });
    await lawyer.click('[data-testid="reply-send"]');
    await showsText(lawyer, '[data-testid="thread-message"][data-author="lawyer"] [data-testid="message-translation"][data-status="edited"]', ANSWER_UZ);
    await botSays(chat, ANSWER_UZ);
    const answer = (await chat.locator('.msg--bot', { hasText: ANSWER_UZ }).last().textContent()) ?? '';
    expect(answer.indexOf(ANSWER_RU)).toBeGreaterThan(answer.indexOf(ANSWER_UZ));
    expect(answer).toContain(uz['lawyer-translation'].original);
    await chat.screenshot({ path: `${ARTIFACTS}/3-chat-lawyer-answer.png`, fullPage: true });

    // Closing asks first: cancelling keeps the case open.
    await lawyer.click('[data-testid="close"]');
    await showsText(lawyer, '[data-testid="confirm-text"]', '#1');
    await lawyer.screenshot({ path: `${ARTIFACTS}/2c-console-confirm-close.png` });
    await lawyer.click('[data-testid="confirm-cancel"]');
    expect(await lawyer.locator('[data-testid="case-status"]').getAttribute('class')).toContain('status-claimed');
    await lawyer.click('[data-testid="close"]');
    await lawyer.click('[data-testid="confirm-ok"]');
    await lawyer.locator('[data-testid="case-status"].status-closed').waitFor();
    await botSays(chat, '⭐');
    await lawyer.close();
  });

  it('a staff member drafts an alert, another person approves it, it is sent and the migrant sees it', async () => {
    const staff = await consoleAs(tokens['Local staff']!);
    await staff.click('[data-testid="nav-alerts"]');
    await staff.click('[data-testid="alert-new"]');
    await staff.fill('[data-testid="alert-text-ru"]', '<b>Важно:</b> с 1 января меняется цена патента в Москве.');
    await staff.fill('[data-testid="alert-text-uz"]', '<b>Muhim:</b> 1-yanvardan Moskvada patent narxi oʻzgaradi.');
    await staff.check('[data-testid="audience-everyone"]');
    await showsText(staff, '[data-testid="audience-size"]', '1');
    await staff.screenshot({ path: `${ARTIFACTS}/4-console-alert-draft.png`, fullPage: true });
    await staff.click('[data-testid="alert-save"]');
    const alertItem = staff.locator('[data-testid="alert-item"]').first();
    await alertItem.waitFor();
    const alertId = await alertItem.getAttribute('data-alert-id');

    const reviewer = await consoleAs(tokens['Local lawyer 2']!);
    await reviewer.click('[data-testid="nav-alerts"]');
    await reviewer.click(`[data-testid="alert-item"][data-alert-id="${alertId}"]`);
    await reviewer.click('[data-testid="alert-approve"]');
    await showsText(reviewer, '[data-testid="alert-status"]', /одобр|approved/i);
    await reviewer.close();

    await staff.reload();
    await staff.click('[data-testid="nav-alerts"]');
    await staff.click(`[data-testid="alert-item"][data-alert-id="${alertId}"]`);
    await staff.click('[data-testid="alert-send"]');
    // Sending to everyone asks first.
    await showsText(staff, '[data-testid="confirm-text"]', `#${alertId}`);
    await staff.click('[data-testid="confirm-ok"]');
    await showsText(staff, '[data-testid="progress-sent"]', '1', WAIT_CAP_MS / 2);
    await staff.screenshot({ path: `${ARTIFACTS}/5-console-alert-sent.png`, fullPage: true });
    await botSays(chat, 'patent narxi oʻzgaradi');
    await chat.screenshot({ path: `${ARTIFACTS}/6-chat-alert.png`, fullPage: true });
    await staff.close();
  });

  it('shows the flows as diagrams', async () => {
    const page = await consoleAs(tokens['Local lawyer']!);
    await page.click('[data-testid="nav-flows"]');
    await page.locator('[data-testid="flow-diagram"] svg').first().waitFor({ timeout: WAIT_CAP_MS / 2 });
    // One card per flow file (patent, registration, stay, SOS, asylum, family, labour, special cases).
    const flowFiles = readdirSync('flows').filter(isFlowFile);
    expect(flowFiles.length).toBeGreaterThanOrEqual(8);
    expect(await page.locator('[data-testid="flow-card"]').count()).toBe(flowFiles.length);
    await page.screenshot({ path: `${ARTIFACTS}/7-console-flows.png`, fullPage: true });
    await page.close();
  });
});
