/**
 * The composition root: configuration → adapters → the application's dependencies. Heavy
 * client libraries are imported here on first use, not when the functions module loads,
 * so a cold start only pays for what a request needs.
 */
import type { Firestore } from '@google-cloud/firestore';
import { loadCampaign } from '../sheets-schema/index.js';
import { modelOf, type CampaignModel } from './core/campaign-model.js';
import type { Config } from './config.js';
import { createDriveClient, createSheetsClient } from './adapters/google-apis.js';
import { DriveFiles } from './adapters/drive-files.js';
import { FirestoreStore } from './adapters/firestore-store.js';
import { SheetsMaster } from './adapters/sheets-master.js';
import { SheetsWorkbooks } from './adapters/sheets-workbooks.js';
import { createSmtpMailer, type Mailer } from './adapters/smtp-mailer.js';
import { DEFAULT_RETRY, type RetryPolicy } from './adapters/retry.js';
import { createSheetsPace, type SheetsPace } from './adapters/sheets-pace.js';
import { createSharedSheetsPace } from './adapters/shared-pace.js';
import { createLogger, type Logger } from './app/log.js';
import { createMasterCache, type MasterCache } from './app/master.js';

export interface Dependencies {
  config: Config;
  model: CampaignModel;
  db: Firestore;
  store: FirestoreStore;
  workbooks: SheetsWorkbooks;
  master: SheetsMaster;
  files: DriveFiles;
  mailer: Mailer | null;
  /** Paces every Sheets request under the per-minute quota, across instances (shared) or in this process only. */
  sheetsPace: SheetsPace;
  /** Business time: deadlines, acceptance, reminders (simulated in the demo, `--at` in the CLI). */
  now: () => number;
  /** Google's clock: Drive channel lifetimes (the emulator's scaled clock locally). */
  googleNow: () => number;
  log: Logger;
  /**
   * What this instance last wrote to the master, so the next refresh writes only what changed
   * (app/master.ts). Lives as long as the runtime: one per Cloud Functions instance.
   */
  masterCache: MasterCache;
  close(): Promise<void>;
}

export interface WiringOverrides {
  now?: () => number;
  googleNow?: () => number;
  log?: Logger;
  retry?: RetryPolicy;
  mailer?: Mailer | null;
  firestore?: Firestore;
  /**
   * 'shared' (default; production and the local stack): the quota's pace is kept in Firestore,
   * so every instance and process acting as the service account holds it together.
   * 'in-process': this process paces itself only; right when it is the only one sending
   * requests (unit tests, a Firestore that cannot run transactions).
   */
  sheetsPace?: 'shared' | 'in-process';
}

async function createFirestore(config: Config): Promise<Firestore> {
  const { Firestore } = await import('@google-cloud/firestore');
  if (config.firestore.emulatorHost) {
    // Explicit host and throwaway credentials: talk to the emulator named in the config. The
    // client lets an inherited FIRESTORE_EMULATOR_HOST override `host`, so the variable is
    // hidden for the (synchronous) construction.
    const inherited = process.env.FIRESTORE_EMULATOR_HOST;
    delete process.env.FIRESTORE_EMULATOR_HOST;
    try {
      return new Firestore({
        projectId: config.projectId,
        databaseId: config.firestore.databaseId,
        host: config.firestore.emulatorHost,
        ssl: false,
        credentials: { client_email: 'emulator@local', private_key: 'unused' },
      });
    } finally {
      if (inherited !== undefined) process.env.FIRESTORE_EMULATOR_HOST = inherited;
    }
  }
  return new Firestore({ projectId: config.projectId, databaseId: config.firestore.databaseId });
}

export async function createDependencies(config: Config, overrides: WiringOverrides = {}): Promise<Dependencies> {
  const model = modelOf(loadCampaign(config.campaignSchema));
  const retry = overrides.retry ?? DEFAULT_RETRY;
  const [db, sheets, drive, mailer] = await Promise.all([
    overrides.firestore ? Promise.resolve(overrides.firestore) : createFirestore(config),
    createSheetsClient(config.google),
    createDriveClient(config.google),
    overrides.mailer !== undefined
      ? Promise.resolve(overrides.mailer)
      : config.smtp
        ? createSmtpMailer(config.smtp)
        : Promise.resolve(null),
  ]);
  const log = overrides.log ?? createLogger({ campaign: model.id }, undefined, config.logLevel);
  const sheetsPace =
    (overrides.sheetsPace ?? 'shared') === 'shared'
      ? createSharedSheetsPace(db, config.sheetsReadsPerMinute, config.sheetsWritesPerMinute)
      : createSheetsPace(config.sheetsReadsPerMinute, config.sheetsWritesPerMinute);
  return {
    config,
    model,
    db,
    store: new FirestoreStore(db, model.id),
    workbooks: new SheetsWorkbooks(sheets, retry, sheetsPace),
    master: new SheetsMaster(sheets, retry, sheetsPace),
    sheetsPace,
    files: new DriveFiles(drive, retry, config.sharedDriveId),
    mailer,
    now: overrides.now ?? Date.now,
    googleNow: overrides.googleNow ?? Date.now,
    log,
    masterCache: createMasterCache(),
    async close() {
      mailer?.close();
      if (!overrides.firestore) await db.terminate();
    },
  };
}
