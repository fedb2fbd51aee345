import { createLogger, type LogContext, type Logger } from '../../functions/app/log.js';

/** A logger that keeps lines in memory: tests assert on what was logged (and what was not). */
export function memoryLogger(): Logger & { lines: LogContext[] } {
  const lines: LogContext[] = [];
  const logger = createLogger({}, (l) => lines.push(JSON.parse(l) as LogContext), 'debug');
  return Object.assign(logger, { lines });
}

/** A logger that drops every line (benchmarks and worker processes that assert nothing about logs). */
export const silentLogger: Logger = createLogger({}, () => {});
