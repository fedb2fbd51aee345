/**
 * Standalone emulator process:
 *   tsx scripts/emulators/sheets/main.ts --port 8085 --state-dir .local/sheets [--no-quotas] [--clock-scale N]
 *     [--host 127.0.0.1] [--push-delay-ms N] [--project-number N]
 * Prints its URL and stops cleanly (state saved) on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startSheetsEmulator } from './emulator.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8085' },
    host: { type: 'string', default: '127.0.0.1' },
    'state-dir': { type: 'string' },
    'no-quotas': { type: 'boolean', default: false },
    'clock-scale': { type: 'string' },
    'push-delay-ms': { type: 'string' },
    'project-number': { type: 'string' },
  },
  strict: true,
});

function numberOption(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) {
    console.error(`--${name} expects a number, got ${text}`);
    process.exit(2);
  }
  return value;
}

const clockScale = numberOption('clock-scale', values['clock-scale']);
const pushDelayMs = numberOption('push-delay-ms', values['push-delay-ms']);
const emulator = await startSheetsEmulator({
  port: numberOption('port', values.port) ?? 8085,
  host: values.host ?? '127.0.0.1',
  ...(values['state-dir'] !== undefined ? { stateDir: values['state-dir'] } : {}),
  quotas: { enabled: !values['no-quotas'] },
  ...(clockScale !== undefined ? { clockScale } : {}),
  ...(pushDelayMs !== undefined ? { pushDelayMs } : {}),
  ...(values['project-number'] !== undefined ? { projectNumber: values['project-number'] } : {}),
});

console.log(`Sheets emulator listening on ${emulator.url}`);
console.log(`  spreadsheets: ${emulator.url}emulator/spreadsheets   log: ${emulator.url}emulator/log`);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`Sheets emulator stopping (${signal})`);
  await emulator.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
