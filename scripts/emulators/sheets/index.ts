/**
 * Local emulator of the Google Sheets v4 REST API and the Drive v3 calls the project needs.
 * Start it in-process with startSheetsEmulator(), or as a process with main.ts.
 */
export { startSheetsEmulator } from './emulator.js';
export type { RequestFilter, SheetsEmulator, SheetsEmulatorOptions, SpreadsheetSummary } from './emulator.js';
export type { FaultSettings } from './faults.js';
export type { QuotaSettings } from './quotas.js';
export { DEFAULT_QUOTAS } from './quotas.js';
export { toWorkbookModel, sheetKeyOf } from './export.js';
export type { DriveFileState, LogEntry, PushRecord, SpreadsheetState } from './types.js';
