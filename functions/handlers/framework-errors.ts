/**
 * JSON answers for the errors the Functions Framework meets before our handlers run.
 *
 * The framework parses every body with body-parser in its own Express app; a body that does not
 * parse (Content-Type application/json, text that is not JSON) fails there, before the function
 * is called, and Express's default final handler answers it with an HTML page carrying the stack
 * trace (outside NODE_ENV=production). The framework offers no hook for it: the request to pass
 * such errors to the user's error handler is open upstream
 * (https://github.com/GoogleCloudPlatform/functions-framework-nodejs/issues/686, PR #685).
 *
 * So this module replaces the final handler of the framework's Express apps: `app.handle` is
 * copied from `express.application` onto each app when the app is created (express.js mixes the
 * prototype in), which the framework does after it has loaded our entry module. Only apps of the
 * Functions Framework are answered in JSON (recognised by the `res.locals` flag its first
 * middleware sets); any other Express app in the process keeps Express's own behaviour.
 */
import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLogger, type Logger } from '../app/log.js';

type Done = (err?: unknown) => void;
type Handle = (
  this: ExpressApp,
  req: IncomingMessage,
  res: ServerResponse & { locals?: Record<string, unknown> },
  callback?: Done,
) => void;
interface ExpressApp {
  get(setting: string): unknown;
}
type FinalHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  options: { env: unknown; onerror?: (err: unknown) => void },
) => Done;

const PATCHED = Symbol.for('bao-cao-521.framework-json-errors');

/** The short answers, Vietnamese first (what a clerk's script or an operator reads), then English. */
export const BODY_NOT_JSON = {
  error: 'invalid-body',
  message: 'Nội dung yêu cầu không phải JSON hợp lệ / The request body is not valid JSON',
} as const;
export const BODY_UNREADABLE = {
  error: 'invalid-body',
  message: 'Không đọc được nội dung yêu cầu / The request body cannot be read',
} as const;

/** The status and JSON body for an error raised before the function ran (body-parser's errors carry `status` and `type`). */
export function frameworkErrorAnswer(err: unknown): { status: number; body: Record<string, string> } {
  if (err === undefined) return { status: 404, body: { error: 'not found' } };
  const fields = err as { status?: unknown; statusCode?: unknown; type?: unknown };
  const status =
    typeof fields?.status === 'number'
      ? fields.status
      : typeof fields?.statusCode === 'number'
        ? fields.statusCode
        : 500;
  if (status >= 400 && status < 500)
    return { status, body: fields.type === 'entity.parse.failed' ? { ...BODY_NOT_JSON } : { ...BODY_UNREADABLE } };
  return { status: 500, body: { error: 'internal error' } };
}

/**
 * Installs the JSON final handler on the Express used by the Functions Framework. Idempotent;
 * call it before the framework builds its server (importing functions/index.ts does).
 */
export function answerFrameworkErrorsInJson(log: Logger = createLogger({ component: 'functions-framework' })): void {
  // The framework's own Express (and Express's own finalhandler), not whichever a bare import would find.
  const fromFramework = createRequire(createRequire(import.meta.url).resolve('@google-cloud/functions-framework'));
  const express = fromFramework('express') as { application: Record<PropertyKey, unknown> & { handle: Handle } };
  if (express.application[PATCHED]) return;
  const finalhandler = createRequire(fromFramework.resolve('express'))('finalhandler') as FinalHandler;
  const original = express.application.handle;

  const patched: Handle = function handle(this: ExpressApp, req, res, callback) {
    // A mounted sub-app hands its errors to its parent: leave that path alone.
    if (callback) return original.call(this, req, res, callback);
    const done: Done = (err) => {
      const isFrameworkApp = res.locals !== undefined && 'functionExecutionFinished' in res.locals;
      if (!isFrameworkApp || res.headersSent) return finalhandler(req, res, { env: this.get('env') })(err);
      const answer = frameworkErrorAnswer(err);
      const fields = err as { type?: unknown; message?: unknown } | undefined;
      // Never the body itself: it may carry a signature or personal data.
      const context = {
        status: answer.status,
        method: req.method,
        path: req.url,
        contentType: req.headers['content-type'],
        contentLength: req.headers['content-length'],
        type: fields?.type,
        reason: fields?.message,
      };
      if (answer.status >= 500) log.error('request failed before the function ran', context);
      else log.warn('request refused before the function ran', context);
      res.statusCode = answer.status;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify(answer.body));
    };
    return original.call(this, req, res, done);
  };
  express.application.handle = patched;
  express.application[PATCHED] = true;
}
