/**
 * Import first (before anything that loads shared/logger) to get every log line in a test file,
 * so that captureLogs() can assert that none carries a secret. jest-setup.ts silences logs
 * otherwise, and Powertools takes its level from env when the logger is created.
 */
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
process.env.POWERTOOLS_METRICS_DISABLED = 'false';
