/**
 * The console in a real browser (docs/on-call/console.md): Debian's Chromium through
 * playwright-core, against the real local server on port 0 with the demo's simulators. Skips,
 * saying why, only when no Chromium can be found on the machine.
 * `CONSOLE_SCREENSHOT=docs/images/console.png` also writes the README's screenshot.
 */
import type { Browser, Page } from 'playwright-core';
import { demoAdminKey, demoKey, findChromium, launchChromium, startDemoGate } from '../support/browser';
import type { TestGate } from '../support/local-gate';

const chromium = findChromium();
if ('missing' in chromium) console.warn(`console-browser.test.ts skipped: ${chromium.missing}`);
const describeWithBrowser = 'path' in chromium ? describe : describe.skip;

const injection = '<img src=x onerror="window.__injected=1">';

describeWithBrowser('the console in Chromium', () => {
  let gate: TestGate;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    [gate, browser] = await Promise.all([startDemoGate(), launchChromium((chromium as { path: string }).path)]);
    page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await gate?.close();
  });

  const availability = async (queue: string) => (await gate.get(`/v1/queues/${queue}/availability`, { 'x-api-key': demoKey })).json;
  const row = (queue: string) => page.locator(`#queues tr[data-queue="${queue}"]`);
  // Locator waits run in Playwright's own script; waitForFunction with a string would need eval, which the page's CSP refuses.
  const closedSalesRow = '#queues tr.closed[data-queue="sales"]';
  const lastResult = () => page.locator('#result-summary').textContent();

  /** Clicks an action, answers the confirmation dialog, and waits for the answer it shows. */
  async function confirmAction(click: () => Promise<void>, fields: { note?: string } = {}) {
    const before = await page.locator('#result-summary').textContent();
    await click();
    await page.locator('#confirm[open]').waitFor();
    if (fields.note !== undefined) await page.fill('#note', fields.note);
    await page.click('#confirm-ok');
    // Polled from here: a string predicate would be eval'd in the page, which its CSP forbids.
    for (const started = Date.now(); (await lastResult()) === before;) {
      if (Date.now() - started > 10_000) throw new Error('the console showed no answer within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('loads with its CSP, nosniff and no-store, and shows every demo queue once the admin key is typed in', async () => {
    const response = await page.goto(`${gate.url}/console`);
    const headers = response!.headers();
    expect(headers['content-security-policy']).toMatch(/^default-src 'self'; script-src 'self'; style-src 'self';/);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['cache-control']).toBe('no-store');
    await page.fill('#key-input', demoAdminKey);
    await page.click('#key-form button[type="submit"]');
    await page
      .locator('#queues tbody tr')
      .nth(gate.config.queues.size - 1)
      .waitFor();
    const shown = await page.evaluate("[...document.querySelectorAll('#queues tbody tr')].map((tr) => tr.dataset.queue)");
    expect(shown).toEqual([...gate.config.queues.keys()]);
    // The key is in this tab's session storage only.
    expect(await page.evaluate('[sessionStorage.length, localStorage.length, document.cookie]')).toEqual([1, 0, '']);
    expect(await page.evaluate('Object.values(sessionStorage)')).toEqual([demoAdminKey]);
  });

  it('closes a queue with a note, and the availability route then answers closed; the note is shown as text', async () => {
    await confirmAction(() => row('sales').getByRole('button', { name: 'Close' }).click(), { note: injection });
    expect(await lastResult()).toContain('HTTP 200');
    expect(await availability('sales')).toMatchObject({ canTransfer: false, reason: 'closed', closedBy: 'override' });
    await page.locator(closedSalesRow).waitFor();
    expect(await row('sales').textContent()).toContain(injection);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate('typeof window.__injected')).toBe('undefined');
  });

  it('reopens it by ending the override', async () => {
    await confirmAction(() => row('sales').getByRole('button', { name: 'End override' }).click());
    expect(await lastResult()).toContain('HTTP 204');
    expect(await availability('sales')).not.toHaveProperty('closedBy');
    await page.locator(closedSalesRow).waitFor({ state: 'detached' });
  });

  it("releases a seller's hold", async () => {
    const held = await gate.get('/v1/queues/support/availability?callerId=%2B15550001111', { 'x-api-key': demoKey });
    expect(held.json).toMatchObject({ canTransfer: true, hold: { callerId: '+15550001111' } });
    const holdRow = page.locator('#holds tbody tr', { hasText: '+15550001111' });
    await holdRow.waitFor({ timeout: 8000 }); // the next refresh (every 5 s)
    expect(await holdRow.textContent()).toContain('demo');
    await confirmAction(() => holdRow.getByRole('button', { name: 'Release' }).click());
    expect(await lastResult()).toContain('HTTP 204');
    await holdRow.waitFor({ state: 'detached' });
    expect((await gate.get('/v1/status', { 'x-api-key': demoAdminKey })).json.queues[0].holds.count).toBe(0);
  });

  it('a cancelled confirmation changes nothing', async () => {
    await row('uk').getByRole('button', { name: 'Close' }).click();
    await page.click('#confirm-cancel');
    expect(await availability('uk')).not.toMatchObject({ reason: 'closed' });
  });

  (process.env.CONSOLE_SCREENSHOT ? it : it.skip)('writes the screenshot (CONSOLE_SCREENSHOT)', async () => {
    gate.simulators.get('uk')!.setMode('5xx');
    gate.simulators.get('sales')!.setAgents({ available: 1, busy: 3 });
    await new Promise((resolve) => setTimeout(resolve, gate.config.queues.get('uk')!.policy.cacheTtlMs)); // past the demo's cache
    await Promise.all(['uk', 'sales', 'closers', 'kore-care'].map(availability));
    await gate.get('/v1/queues/support/availability?callerId=%2B15557654321', { 'x-api-key': demoKey });
    await confirmAction(() => row('kore-care').getByRole('button', { name: 'Close' }).click(), { note: 'fire drill, floor empty until 15:30' });
    await page.locator('#holds tbody tr').first().waitFor({ timeout: 8000 });
    await page.screenshot({ path: process.env.CONSOLE_SCREENSHOT!, fullPage: true });
  });

  it('raised no console error or warning (a CSP violation would be one)', () => {
    expect(problems).toEqual([]);
  });
});
