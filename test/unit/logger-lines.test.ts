/**
 * The request-scoped logger prints flat INFO lines itself (shared/logger.ts printLog, a cheaper
 * path for the per-request decision line): each line must be the text Powertools' own printLog
 * writes for the same input, and anything not flat (errors, bigints, objects) must still go
 * through Powertools' replacer.
 */
import '../support/verbose-logs';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { logger, withRequestScope } from '../../shared/logger';
import { captureLogs } from '../support/logs';

const context = { awsRequestId: 'req-1', functionName: 'fn' } as Context;
const powertools = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'transfer-gate' });

/** The lines one call writes, through the request scope (ours) or through plain Powertools with the same keys. */
async function lines(write: () => void): Promise<string[]> {
  const logs = captureLogs();
  try {
    await withRequestScope(async () => write())({}, context);
  } finally {
    logs.restore();
  }
  return logs.text().split('\n').filter(Boolean);
}

const scopeKeys = { function_request_id: 'req-1', function_name: 'fn', cold_start: expect.any(Boolean) };

beforeEach(() => jest.useFakeTimers({ now: Date.parse('2026-11-22T10:00:00.000Z') }));
afterEach(() => jest.useRealTimers());

test('a flat INFO line is the same text Powertools writes, keys in the same order, empty values dropped', async () => {
  const attributes = { canTransfer: true, reason: 'agents_available', source: 'cache', vendorError: undefined, blank: '', none: null, count: 3, format: 'json' };
  const [ours] = await lines(() => logger.info('availability', attributes));
  const parsed = JSON.parse(ours!);
  expect(parsed).toEqual({ level: 'INFO', message: 'availability', timestamp: '2026-11-22T10:00:00.000Z', service: expect.any(String), sampling_rate: 0, ...scopeKeys, canTransfer: true, reason: 'agents_available', source: 'cache', count: 3, format: 'json' });
  const [theirs] = await lines(() => powertools.info('availability', { function_request_id: 'req-1', function_name: 'fn', cold_start: parsed.cold_start, ...attributes }));
  expect(ours).toBe(theirs);
});

test('errors, bigints and nested objects still go through Powertools (errors formatted, bigints as text)', async () => {
  const [line] = await lines(() => logger.info('odd values', { error: new Error('boom'), big: 12n, nested: { a: 1 } }));
  const parsed = JSON.parse(line!);
  expect(parsed.error).toMatchObject({ name: 'Error', message: 'boom' });
  expect(parsed.big).toBe('12');
  expect(parsed.nested).toEqual({ a: 1 });
});

test('WARN and above keep Powertools printing (stderr for errors)', async () => {
  const [line] = await lines(() => logger.error('failed', { queue: 'q1' }));
  expect(JSON.parse(line!)).toMatchObject({ level: 'ERROR', message: 'failed', queue: 'q1' });
});
