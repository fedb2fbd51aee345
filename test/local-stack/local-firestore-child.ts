/**
 * A stack's Firestore part in a process of its own, for local-firestore.test.ts to SIGKILL:
 * starts Google's emulator on the state directory argv[2], writes, and prints one JSON line
 * once the state the parent expects after the kill is on disk.
 *   save      writes `kept`, saves, writes `lost` (never exported), then reports
 *   periodic  exports every 100 ms; writes `kept` and reports once an export begun after the write is in place
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createEmulatorClient } from '../../scripts/local-stack/firestore-emulator.js';
import { EXPORT_DIR, startLocalFirestore } from '../../scripts/local-stack/local-firestore.js';

const [stateDir, mode] = process.argv.slice(2) as [string, 'save' | 'periodic'];
const firestore = await startLocalFirestore({
  kind: 'official',
  stateDir,
  exportEveryMs: mode === 'periodic' ? 100 : 0,
});
const db = createEmulatorClient(firestore.host, firestore.projectId);
await db.doc('units/kept').set({ at: mode });
if (mode === 'save') {
  await firestore.save();
  await db.doc('units/lost').set({ at: mode });
} else {
  // Each export is moved into place as a new directory (a new inode), one after the other: the
  // second one seen after the write began after it (the first may have begun before).
  const exportInPlace = () => {
    try {
      return statSync(join(stateDir, EXPORT_DIR)).ino;
    } catch {
      return 0;
    }
  };
  let seen = exportInPlace();
  let changes = 0;
  while (changes < 2) {
    await new Promise((r) => setTimeout(r, 10));
    const now = exportInPlace();
    // 0: caught between the two renames of a swap.
    if (now !== 0 && now !== seen) [seen, changes] = [now, changes + 1];
  }
}
process.stdout.write(`${JSON.stringify({ processGroup: firestore.processGroup, projectId: firestore.projectId })}\n`);
// Waits to be killed.
setInterval(() => {}, 1_000);
