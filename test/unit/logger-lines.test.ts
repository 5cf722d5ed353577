/**
 * The request-scoped logger (shared/logger.ts) adds the request's keys to each line and leaves the
 * rest to Powertools: a line is the text a plain Powertools Logger writes with the same keys.
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

test("a line is the text Powertools writes with the request scope's keys first, empty values dropped", async () => {
  const attributes = {
    canTransfer: true,
    reason: 'agents_available',
    source: 'cache',
    vendorError: undefined,
    blank: '',
    none: null,
    count: 3,
    format: 'json',
  };
  const [ours] = await lines(() => logger.info('availability', attributes));
  const parsed = JSON.parse(ours!);
  expect(parsed).toEqual({
    level: 'INFO',
    message: 'availability',
    timestamp: '2026-11-22T10:00:00.000Z',
    service: expect.any(String),
    sampling_rate: 0,
    ...scopeKeys,
    canTransfer: true,
    reason: 'agents_available',
    source: 'cache',
    count: 3,
    format: 'json',
  });
  const [theirs] = await lines(() =>
    powertools.info('availability', { function_request_id: 'req-1', function_name: 'fn', cold_start: parsed.cold_start, ...attributes }),
  );
  expect(ours).toBe(theirs);
});
