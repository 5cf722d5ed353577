/**
 * The console's page and files as the HTTP function serves them (docs/on-call/console.md), without
 * a browser: the headers that keep the page strict, the files themselves, and no runtime touched
 * (no key, no config, no vendor). The browser test is test/integration/console-browser.test.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { createHttpHandler } from '../../../functions/http/handler';
import { consoleFilePath, consoleFiles } from '../../../shared/api/console-files';
import type { Runtime } from '../../../shared/runtime';
import { lambdaContext, proxyEvent } from '../../support/api-gateway-event';

const untouchable = () => {
  throw new Error('must not be used');
};
const handler = createHttpHandler(untouchable as unknown as () => Runtime);
const get = async (resource: string, requestPath = resource) =>
  (await handler(proxyEvent(resource, requestPath, null), lambdaContext())) as APIGatewayProxyResult;
const consoleDir = path.join(__dirname, '..', '..', '..', 'console');

it.each([
  ['/console', consoleFiles.page],
  ['/console/app.js', consoleFiles.script],
  ['/console/app.css', consoleFiles.styles],
  ['/console/icon.svg', consoleFiles.icon],
])('%s: the file, with a strict CSP, nosniff and no-store, without a key', async (resource, file) => {
  const answer = await get(resource);
  expect(answer.statusCode).toBe(200);
  expect(answer.body).toBe(readFileSync(path.join(consoleDir, file.name), 'utf8'));
  expect(answer.headers).toMatchObject({
    'Content-Type': file.contentType,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': expect.stringMatching(
      /^default-src 'self'; script-src 'self'; style-src 'self';.*object-src 'none'; base-uri 'none'; frame-ancestors 'none'/,
    ),
  });
  expect(String(answer.headers!['Content-Security-Policy'])).not.toMatch(/unsafe|\*|https?:/);
});

it('the page has no inline script or style and loads nothing from another origin', () => {
  const page = readFileSync(path.join(consoleDir, consoleFiles.page.name), 'utf8');
  expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  expect(page).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
  expect(page).not.toMatch(/(src|href)="(https?:)?\/\//);
  const script = readFileSync(path.join(consoleDir, consoleFiles.script.name), 'utf8');
  expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|localStorage/);
});

it('/console/ (a trailing slash) is sent to ../console, so the relative links resolve', async () => {
  const answer = await get('/console', '/console/');
  expect(answer).toMatchObject({ statusCode: 308, headers: { Location: '../console', 'Cache-Control': 'no-store' } });
});

it('in Lambda the files are read beside the bundle', () => {
  expect(consoleFilePath('console.js', { LAMBDA_TASK_ROOT: '/var/task' })).toBe('/var/task/console.js');
});
