/**
 * Imported first by bench/run.ts: gates that run inside the bench process (the many-connections
 * run) log at ERROR, as before the route table made the logger load with the first import.
 * Children that measure the decision line set their own level.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
