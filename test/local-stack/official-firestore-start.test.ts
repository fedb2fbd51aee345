/**
 * Google's Firestore emulator is started on a port found free a moment before (the JVM cannot
 * bind port 0 and report it), so another process can take the port first: the start then tries
 * a new port instead of failing the run. Runs only where Google's emulator is installed.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startOfficialFirestoreEmulator } from '../../scripts/local-stack/official-firestore-emulator.js';
import { freePort } from '../../scripts/local-stack/free-port.js';

const official = inject('firestoreKind') === 'official';
const squatters: Server[] = [];

/** A port some other process holds (it hangs up on whoever connects: the start-up probe does). */
async function takenPort(): Promise<number> {
  const squatter = createServer((socket) => socket.destroy());
  squatters.push(squatter);
  await new Promise<void>((resolve) => squatter.listen({ port: 0, host: '127.0.0.1' }, resolve));
  return (squatter.address() as { port: number }).port;
}

afterAll(async () => {
  await Promise.all(squatters.map((squatter) => new Promise((resolve) => squatter.close(resolve))));
});

describe.runIf(official)("starting Google's Firestore emulator", () => {
  it('tries a new port when the one found free was taken meanwhile', async () => {
    const taken = await takenPort();
    const offered: number[] = [];
    const emulator = await startOfficialFirestoreEmulator({
      choosePort: async (host) => {
        const port = offered.length === 0 ? taken : await freePort(host);
        offered.push(port);
        return port;
      },
    });
    try {
      expect(offered[0]).toBe(taken);
      expect(offered).toHaveLength(2);
      expect(emulator.port).toBe(offered[1]);
      expect((await fetch(`http://${emulator.host}/`)).ok).toBe(true);
    } finally {
      await emulator.stop();
    }
  });

  it('does not move off a port the caller asked for', async () => {
    await expect(startOfficialFirestoreEmulator({ port: await takenPort() })).rejects.toThrow(
      /exited during start-up[\s\S]*(BindException|Address already in use)/,
    );
  });
});
