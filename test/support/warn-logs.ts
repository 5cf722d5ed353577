/**
 * Import first (before anything that loads shared/logger): warnings and errors only, so a test
 * under load can assert on "state store unavailable" without paying for a line per request.
 */
process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
process.env.POWERTOOLS_METRICS_DISABLED = 'false';
