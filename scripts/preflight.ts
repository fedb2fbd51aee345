/**
 * `npm run preflight -- --target google|local …`: first contact with a project, in minutes.
 * See scripts/preflight/run.ts. With --json, stdout carries exactly one JSON document: anything
 * else a library prints on stdout while the checks run is sent to stderr.
 */
import { processIo } from './cli/io.js';
import { runPreflight } from './preflight/run.js';

const json = process.argv.includes('--json');
const realStdout = process.stdout.write.bind(process.stdout);
if (json) process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
// `npm run` starts in the package root; relative paths on the command line are the caller's.
const io = {
  ...processIo(),
  cwd: process.env.INIT_CWD ?? process.cwd(),
  stdout: (text: string) => void realStdout(text),
};

runPreflight(process.argv.slice(2), io).then(
  // Exit once stdout has flushed (a pipe is written asynchronously), even if a client library keeps a handle open.
  (code) => realStdout('', () => process.exit(code)),
  (error) => {
    console.error(error);
    process.exit(3);
  },
);
