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
  ) {
    super(code, '', message);
  }

  override toBody(): { error: Record<string, unknown> } {
    const detail: Record<string, unknown> = { message: this.message, domain: 'global', reason: this.reason };
    if (this.location) Object.assign(detail, this.location);
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
      { message: 'Login Required.', domain: 'global', reason: 'required', location: 'Authorization', locationType: 'header' },
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
  return new DriveApiError(404, `File not found: ${fileId}.`, 'notFound', { location: 'fileId', locationType: 'parameter' });
}

export function driveInsufficientPermissions(): DriveApiError {
  return new DriveApiError(403, 'The user does not have sufficient permissions for this file.', 'insufficientFilePermissions');
}

export function driveInvalidValue(parameter: string, message = 'Invalid Value'): DriveApiError {
  return new DriveApiError(400, message, 'invalid', { location: parameter, locationType: 'parameter' });
}

export function driveBadRequest(message: string, reason = 'badRequest'): DriveApiError {
  return new DriveApiError(400, message, reason);
}
