/**
 * Structured logs: one JSON object per line, which Cloud Logging reads as severity and fields.
 * Context is passed explicitly so an unexpected error is logged with the unit, round and sheet.
 */
export type LogContext = Record<string, unknown>;

export interface Logger {
  debug(message: string, context?: LogContext): void;
  info(message: string, context?: LogContext): void;
  warn(message: string, context?: LogContext): void;
  error(message: string, context?: LogContext): void;
  child(context: LogContext): Logger;
}

type Sink = (line: string) => void;

export function createLogger(
  base: LogContext = {},
  sink: Sink = (l) => process.stdout.write(l + '\n'),
  minLevel: 'debug' | 'info' = 'info',
): Logger {
  const emit = (severity: string, message: string, context?: LogContext) => {
    if (severity === 'DEBUG' && minLevel !== 'debug') return;
    const fields: LogContext = { severity, message, ...base, ...context };
    if (fields.error instanceof Error)
      fields.error = { name: fields.error.name, message: fields.error.message, stack: fields.error.stack };
    sink(JSON.stringify(fields));
  };
  return {
    debug: (m, c) => emit('DEBUG', m, c),
    info: (m, c) => emit('INFO', m, c),
    warn: (m, c) => emit('WARNING', m, c),
    error: (m, c) => emit('ERROR', m, c),
    child: (c) => createLogger({ ...base, ...c }, sink, minLevel),
  };
}
