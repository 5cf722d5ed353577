// Quiet structured logs in tests; the leak test turns them on to inspect every line.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';
// EMF metric lines are log lines too (one per availability answer): quiet unless a test turns logs on.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
