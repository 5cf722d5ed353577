/**
 * One structured JSON logger for every entry point (Powertools Logger). Lines carry the caller's
 * name and the queue; keys, tokens and vendor bodies are never passed to it.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'transfer-gate' });
