import { createServer } from 'node:net';

/**
 * Asks the OS for a port nobody listens on by binding port 0 and releasing it.
 * Another process may grab it before the caller binds, so prefer binding port 0
 * directly where the server supports it; this is for the servers that don't.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen({ port: 0, host, exclusive: true }, () => {
      const address = probe.address();
      if (address === null || typeof address === 'string') {
        probe.close();
        reject(new Error(`could not read the port bound on ${host}`));
        return;
      }
      const { port } = address;
      probe.close((closeError) => (closeError ? reject(closeError) : resolve(port)));
    });
  });
}
