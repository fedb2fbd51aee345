/**
 * vitest globalSetup: one Google Firestore emulator for the whole run (one JVM, ~110 MB,
 * instead of one per stack), named to the test workers in LOCAL_FIRESTORE_SHARED_HOST. Each
 * stack or suite works in a project of its own there (local-firestore.ts). Where Java or the
 * Cloud SDK component is missing, or FIRESTORE_EMULATOR=inprocess, the suites run on the
 * in-process stand-in; the first line of the run says which.
 */
import type { TestProject } from 'vitest/node';
import {
  chooseFirestoreEmulator,
  INPROCESS_DESCRIPTION,
  OFFICIAL_DESCRIPTION,
  type FirestoreEmulatorKind,
} from '../../scripts/local-stack/local-firestore.js';
import { startOfficialFirestoreEmulator } from '../../scripts/local-stack/official-firestore-emulator.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Firestore emulator the suites run on. */
    firestoreKind: FirestoreEmulatorKind;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const chosen = chooseFirestoreEmulator();
  project.provide('firestoreKind', chosen.kind);
  if (chosen.kind === 'inprocess') {
    process.stdout.write(`Firestore for this run: ${INPROCESS_DESCRIPTION}, because ${chosen.reason}\n`);
    return async () => {};
  }
  const emulator = await startOfficialFirestoreEmulator();
  // Workers are started after global setup and inherit this environment.
  process.env.LOCAL_FIRESTORE_SHARED_HOST = emulator.host;
  process.stdout.write(`Firestore for this run: ${OFFICIAL_DESCRIPTION} at ${emulator.host}\n`);
  return async () => {
    delete process.env.LOCAL_FIRESTORE_SHARED_HOST;
    await emulator.stop();
  };
}
