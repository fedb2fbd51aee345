/**
 * The emulator's stored state. Shapes follow the Sheets v4 / Drive v3 JSON resources so that
 * request bodies can be stored and rendered back with little translation; everything here is
 * plain JSON so the whole state can be persisted with JSON.stringify.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface Color {
  red?: number;
  green?: number;
  blue?: number;
  alpha?: number;
}

export interface ErrorValue {
  type: string;
  message: string;
}

export interface ExtendedValue {
  numberValue?: number;
  stringValue?: string;
  boolValue?: boolean;
  formulaValue?: string;
  errorValue?: ErrorValue;
}

export interface NumberFormat {
  type?: string;
  pattern?: string;
}

/** CellFormat as the API sends it; kept as open JSON because masks address any nested field. */
export type CellFormat = JsonObject & { numberFormat?: NumberFormat & JsonObject };

export interface CellState {
  userEnteredValue?: ExtendedValue;
  userEnteredFormat?: CellFormat;
  note?: string;
  dataValidation?: JsonObject;
  textFormatRuns?: Json[];
  hyperlink?: string;
}

export interface GridRange {
  sheetId?: number;
  startRowIndex?: number;
  endRowIndex?: number;
  startColumnIndex?: number;
  endColumnIndex?: number;
}

/** A GridRange with every bound resolved against a sheet's grid. */
export interface Rect {
  startRow: number;
  endRow: number;
  startCol: number;
  endCol: number;
}

export interface GridProperties {
  rowCount: number;
  columnCount: number;
  frozenRowCount?: number;
  frozenColumnCount?: number;
  hideGridlines?: boolean;
  [key: string]: Json | undefined;
}

export interface SheetProperties {
  sheetId: number;
  title: string;
  index: number;
  sheetType: string;
  gridProperties: GridProperties;
  hidden?: boolean;
  tabColor?: Color;
  tabColorStyle?: JsonObject;
  rightToLeft?: boolean;
  [key: string]: Json | undefined | GridProperties | Color;
}

export interface DimensionProperties {
  pixelSize?: number;
  hiddenByUser?: boolean;
  [key: string]: Json | undefined;
}

export interface ProtectedRange {
  protectedRangeId: number;
  range?: GridRange;
  namedRangeId?: string;
  description?: string;
  warningOnly?: boolean;
  requestingUserCanEdit?: boolean;
  unprotectedRanges?: GridRange[];
  editors?: { users?: string[]; groups?: string[]; domainUsersCanEdit?: boolean };
}

export interface ConditionalFormatRule {
  ranges: GridRange[];
  booleanRule?: JsonObject;
  gradientRule?: JsonObject;
}

export type GridRows = (Array<CellState | null> | null)[];

export interface SheetState {
  properties: SheetProperties;
  rows: GridRows;
  rowMetadata: (DimensionProperties | null)[];
  columnMetadata: (DimensionProperties | null)[];
  merges: GridRange[];
  conditionalFormats: ConditionalFormatRule[];
  protectedRanges: ProtectedRange[];
}

export interface SpreadsheetProperties {
  title: string;
  locale: string;
  timeZone: string;
  autoRecalc: string;
  defaultFormat?: JsonObject;
  [key: string]: Json | undefined;
}

export interface SpreadsheetState {
  spreadsheetId: string;
  properties: SpreadsheetProperties;
  sheets: SheetState[];
}

export type PermissionRole = 'owner' | 'organizer' | 'fileOrganizer' | 'writer' | 'commenter' | 'reader';
export type PermissionType = 'user' | 'group' | 'domain' | 'anyone';

export interface PermissionState {
  id: string;
  type: PermissionType;
  role: PermissionRole;
  emailAddress?: string;
  domain?: string;
  allowFileDiscovery?: boolean;
  /** The notification Drive sent when the grant was made (sendNotificationEmail), with its emailMessage. */
  notified?: { message: string | null };
}

export interface DriveFileState {
  id: string;
  name: string;
  mimeType: string;
  description?: string;
  parents: string[];
  createdTime: number;
  modifiedTime: number;
  version: number;
  trashed: boolean;
  starred: boolean;
  ownerEmail: string;
  lastModifyingUserEmail: string;
  appProperties: Record<string, string>;
  properties: Record<string, string>;
  permissions: PermissionState[];
  /** Drive's `writersCanShare`; absent means true (Drive's default). Not used for shared-drive items. */
  writersCanShare?: boolean;
  /** The shared drive holding the file; absent for My Drive files. */
  driveId?: string;
  /** One entry per edit (see EmulatorStore.touchFile); absent in state saved before revisions existed. */
  revisions?: RevisionState[];
  /** Metadata readers see while it lags a write (see DriveBehaviour.metadataLagMs); absent when current. */
  lagging?: LaggingMetadata;
  /** Uploaded binary content (base64), for files that are not Google Docs editors files. */
  content?: string;
}

/** A Drive revision as the Revisions resource describes it (metadata only: Sheets revisions cannot be downloaded). */
export interface RevisionState {
  id: string;
  modifiedTime: number;
  lastModifyingUserEmail: string;
}

/** The file's metadata as it was before the writes readers cannot see yet, shown until `until` (emulated ms). */
export interface LaggingMetadata {
  version: number;
  modifiedTime: number;
  lastModifyingUserEmail: string;
  revisionCount: number;
  until: number;
}

/**
 * How Drive's bookkeeping moves, for tests to tune. Drive documents `version` only as
 * monotonically increasing (every server-side change, even invisible ones), so a write may move
 * it by more than one; and metadata read right after a write may still show the previous state.
 */
export interface DriveBehaviour {
  /** Each change moves `version` by a step drawn from [min, max] (seeded). Default 1–3. */
  versionStep: { min: number; max: number };
  /** For this long (emulated ms) after a write, files.get/list and revisions show the state before it. Default 0 (off). */
  metadataLagMs: number;
  seed: number;
}

/** Drive's `drive#drive` restrictions (the ones the emulator enforces are documented in shared-drives.ts). */
export interface SharedDriveRestrictions {
  domainUsersOnly: boolean;
  driveMembersOnly: boolean;
  sharingFoldersRequiresOrganizerPermission: boolean;
  copyRequiresWriterPermission: boolean;
  adminManagedRestrictions: boolean;
}

export interface SharedDriveState {
  id: string;
  name: string;
  createdTime: number;
  /** The organisation the drive belongs to: its creator's domain. */
  domain: string;
  restrictions: SharedDriveRestrictions;
  /** Members by email (lower case) → role. */
  members: Record<string, PermissionRole>;
  /** drives.create's requestId, so a repeated create returns the same drive. */
  requestId: string;
}

export interface ChangeRecord {
  changeId: number;
  fileId: string;
  time: number;
  removed: boolean;
  /** Who could see the file when it was removed or unshared, so they still learn about it. */
  formerViewers?: string[];
}

export interface ChannelState {
  id: string;
  resourceId: string;
  resourceUri: string;
  token?: string;
  address: string;
  expiration: number;
  user: string;
  /** Changes at or after this change id concern the channel. */
  pageToken: number;
  messageNumber: number;
}

export interface EmulatorState {
  formatVersion: 1;
  /** Emulated clock reading when saved, so a restarted emulator never runs time backwards. */
  clockMs: number;
  spreadsheets: Record<string, SpreadsheetState>;
  files: Record<string, DriveFileState>;
  changes: ChangeRecord[];
  nextChangeId: number;
  channels: Record<string, ChannelState>;
  /** Shared drives by id (absent in state saved before they existed). */
  drives?: Record<string, SharedDriveState>;
}

export type ApiName = 'sheets' | 'drive';
export type RequestKind = 'read' | 'write';

export interface LogEntry {
  seq: number;
  /** Emulated time the request arrived, ISO 8601. */
  at: string;
  method: string;
  api: ApiName;
  op: string;
  spreadsheetId?: string;
  user: string;
  kind: RequestKind;
  status: number;
  /** Set when the emulator injected the outcome rather than the API logic producing it. */
  fault?: 'rate429' | 'rate403' | 'rate500' | 'rate503' | 'timeout';
  /** For an injected timeout (status 0: the response was lost): whether the request took effect. */
  applied?: boolean;
}

export interface PushRecord {
  seq: number;
  at: string;
  channelId: string;
  state: 'sync' | 'change';
  messageNumber: number;
  address: string;
  status?: number;
  error?: string;
}
