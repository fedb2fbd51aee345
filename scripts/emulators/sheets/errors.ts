/**
 * Google-shaped API errors. Sheets (a One Platform API) answers
 * `{"error":{"code","message","status"}}`; Drive v3 answers the older shape with an `errors`
 * array carrying `reason`, `location` and `locationType`. gaxios turns either into a
 * GaxiosError whose `status` is the HTTP code and whose `message` is the error message
 * (for Drive, the joined `errors[].message`).
 */

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly status: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  toBody(): { error: Record<string, unknown> } {
    return { error: { code: this.code, message: this.message, ...this.extra, status: this.status } };
  }
}

/** Drive v3 errors omit `status` and carry the legacy `errors` array instead. */
export class DriveApiError extends ApiError {
  constructor(
    code: number,
    message: string,
    readonly reason: string,
    readonly location?: { location: string; locationType: string },
    /** `domain` is 'global' except for quota errors ('usageLimits'), which also carry `extendedHelp`. */
    readonly detail: { domain?: string; extendedHelp?: string } = {},
  ) {
    super(code, '', message);
  }

  override toBody(): { error: Record<string, unknown> } {
    const detail: Record<string, unknown> = {
      message: this.message,
      domain: this.detail.domain ?? 'global',
      reason: this.reason,
    };
    if (this.location) Object.assign(detail, this.location);
    if (this.detail.extendedHelp) detail['extendedHelp'] = this.detail.extendedHelp;
    return { error: { code: this.code, message: this.message, errors: [detail] } };
  }
}

export const UNAUTHENTICATED_MESSAGE =
  'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';

export function unauthenticated(): ApiError {
  return new ApiError(401, 'UNAUTHENTICATED', UNAUTHENTICATED_MESSAGE);
}

export function driveUnauthenticated(): ApiError {
  // Drive reports the header as the failing location, with the short "Login Required." detail.
  const error = new ApiError(401, 'UNAUTHENTICATED', UNAUTHENTICATED_MESSAGE, {
    errors: [
      {
        message: 'Login Required.',
        domain: 'global',
        reason: 'required',
        location: 'Authorization',
        locationType: 'header',
      },
    ],
  });
  return error;
}

export function notFound(): ApiError {
  return new ApiError(404, 'NOT_FOUND', 'Requested entity was not found.');
}

export function invalidArgument(message: string): ApiError {
  return new ApiError(400, 'INVALID_ARGUMENT', message);
}

export function permissionDenied(message = 'The caller does not have permission'): ApiError {
  return new ApiError(403, 'PERMISSION_DENIED', message);
}

export function internalError(): ApiError {
  return new ApiError(500, 'INTERNAL', 'Internal error encountered.');
}

export function unavailable(): ApiError {
  return new ApiError(503, 'UNAVAILABLE', 'The service is currently unavailable.');
}

/** Not a Google answer: the emulator knows the request type but does not implement it. */
export function notImplemented(what: string): ApiError {
  return new ApiError(501, 'UNIMPLEMENTED', `The Sheets emulator does not implement ${what}.`);
}

export const PROTECTED_CELL_MESSAGE =
  'You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.';

export function protectedCell(): ApiError {
  // Real Sheets answers 400 INVALID_ARGUMENT for edits into protection (seen in many client bug reports).
  return invalidArgument(PROTECTED_CELL_MESSAGE);
}

export function driveFileNotFound(fileId: string): DriveApiError {
  return new DriveApiError(404, `File not found: ${fileId}.`, 'notFound', {
    location: 'fileId',
    locationType: 'parameter',
  });
}

export function driveInsufficientPermissions(): DriveApiError {
  return new DriveApiError(
    403,
    'The user does not have sufficient permissions for this file.',
    'insufficientFilePermissions',
  );
}

export function driveInvalidValue(parameter: string, message = 'Invalid Value'): DriveApiError {
  return new DriveApiError(400, message, 'invalid', { location: parameter, locationType: 'parameter' });
}

/**
 * Sheets' answer to a `fields` path that names no field: the generic message, the path in a
 * BadRequest field violation (as client libraries print it).
 */
export function unknownFieldsPath(path: string): ApiError {
  return new ApiError(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.', {
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.BadRequest',
        fieldViolations: [
          { description: `Error expanding 'fields' parameter. Cannot find matching fields for path '${path}'.` },
        ],
      },
    ],
  });
}

/** Drive's answer to a `fields` selection naming no field. */
export function driveInvalidFieldSelection(name: string): DriveApiError {
  return new DriveApiError(400, `Invalid field selection ${name}`, 'invalidParameter', {
    location: 'fields',
    locationType: 'parameter',
  });
}

/** Unknown names in a JSON body: one line per name, one field violation per name. */
export function unknownJsonNames(unknown: { name: string; at: string }[]): ApiError {
  const lines = unknown.map(
    ({ name, at }) =>
      `Invalid JSON payload received. Unknown name "${name}"${at === '' ? '' : ` at '${at}'`}: Cannot find field.`,
  );
  return new ApiError(400, 'INVALID_ARGUMENT', lines.join('\n'), {
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.BadRequest',
        fieldViolations: unknown.map(({ at }, i) => ({ ...(at === '' ? {} : { field: at }), description: lines[i] })),
      },
    ],
  });
}

/** The front end's own cap on a request body (the Sheets documentation only recommends 2 MB). */
export const MAX_REQUEST_BYTES = 10_485_760;

export function payloadTooLarge(): ApiError {
  return invalidArgument(`Request payload size exceeds the limit: ${MAX_REQUEST_BYTES} bytes.`);
}

export function driveUserRateLimitExceeded(projectNumber: string): DriveApiError {
  const console = `https://console.developers.google.com/apis/api/drive.googleapis.com/quotas?project=${projectNumber}`;
  return new DriveApiError(
    403,
    `User Rate Limit Exceeded. Rate of requests for user exceed configured project quota. You may consider re-evaluating expected per-user traffic to the API and adjust project quota limits accordingly. You may monitor aggregate quota usage and adjust limits in the API Console: ${console}`,
    'userRateLimitExceeded',
    undefined,
    { domain: 'usageLimits', extendedHelp: console },
  );
}

export function driveRateLimitExceeded(): DriveApiError {
  return new DriveApiError(403, 'Rate Limit Exceeded', 'rateLimitExceeded', undefined, { domain: 'usageLimits' });
}

/** Too many sharing requests (permissions.create) in a short time. */
export function driveSharingRateLimitExceeded(): DriveApiError {
  return new DriveApiError(
    403,
    'Rate limit exceeded. User message: "Sorry, you have exceeded your sharing quota."',
    'sharingRateLimitExceeded',
    undefined,
    { domain: 'usageLimits' },
  );
}

/**
 * Drive's 403 rate-limit answers, all in the `usageLimits` domain; Google asks clients to retry
 * each of them with exponential backoff, like a 429
 * (https://developers.google.com/workspace/drive/api/guides/limits,
 *  https://developers.google.com/workspace/drive/api/guides/handle-errors).
 */
export type DriveRateLimitReason = 'userRateLimitExceeded' | 'rateLimitExceeded' | 'sharingRateLimitExceeded';

export function driveRateLimit403(reason: DriveRateLimitReason, projectNumber: string): DriveApiError {
  if (reason === 'userRateLimitExceeded') return driveUserRateLimitExceeded(projectNumber);
  return reason === 'rateLimitExceeded' ? driveRateLimitExceeded() : driveSharingRateLimitExceeded();
}

export function driveBadRequest(message: string, reason = 'badRequest'): DriveApiError {
  return new DriveApiError(400, message, reason);
}
