/**
 * `npm run lint:layers`: dependencies in functions/ point inward, and this check fails on a new
 * import that points outward. The layers, innermost first:
 *
 *   core      pure rules: imports only core and the schema types
 *   layout    workbook models and renderers: core, layout
 *   app       use cases; owns the ports (app/ports.ts) the adapters implement: core, layout, app
 *   adapters  Google APIs, Firestore, SMTP behind the ports: core, layout, app, adapters
 *   handlers  authenticate, decode, delegate to app: core, layout, app, handlers, and the
 *             composition root (config.ts, wiring.ts) that builds their runtime
 *
 * The composition root (functions/index.ts, wiring.ts, config.ts, schedule.ts) may import any
 * layer. core and app name no client library (Firestore, Google APIs, mail, Cloud Functions):
 * those are reached through the ports. Every import counts, `import type`, re-exports and
 * dynamic `import()` included: a type that points outward is a dependency all the same.
 * Imports are read from the syntax tree the TypeScript compiler parses, so comments and strings
 * that look like imports are not mistaken for them (its quick pre-processor, ts.preProcessFile,
 * loses track after some template literals and misses later imports).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export type Layer = 'core' | 'layout' | 'app' | 'adapters' | 'handlers' | 'root' | 'schema';

/** Which layers each layer may import (its own included). */
const ALLOWED: Record<Exclude<Layer, 'schema'>, readonly Layer[]> = {
  core: ['core', 'schema'],
  layout: ['core', 'layout', 'schema'],
  app: ['core', 'layout', 'app', 'schema'],
  adapters: ['core', 'layout', 'app', 'adapters', 'schema'],
  handlers: ['core', 'layout', 'app', 'handlers', 'root', 'schema'],
  root: ['core', 'layout', 'app', 'adapters', 'handlers', 'root', 'schema'],
};

/** Client libraries of the outside world: only adapters, handlers and the composition root import them. */
const INFRASTRUCTURE_PACKAGES =
  /^(@google-cloud\/|@googleapis\/|googleapis$|google-auth-library$|nodemailer$|@skunkteam\/)/;
const PACKAGE_FREE_LAYERS: readonly Layer[] = ['core', 'app'];

export interface Violation {
  /** The importing file, relative to the checked root, with forward slashes. */
  file: string;
  line: number;
  specifier: string;
  message: string;
}

/** The layer of a file, from its path relative to the root (`functions/core/x.ts` → core); null outside functions/. */
export function layerOf(relativePath: string): Layer | null {
  const parts = relativePath.split(/[\\/]/);
  if (parts[0] === 'sheets-schema') return 'schema';
  if (parts[0] !== 'functions') return null;
  if (parts.length === 2) return 'root';
  const folder = parts[1];
  return folder === 'core' || folder === 'layout' || folder === 'app' || folder === 'adapters' || folder === 'handlers'
    ? folder
    : null;
}

/** Every module specifier a file names: imports, re-exports, `import x = require()`, `import()` and `typeof import()`. */
function specifiersOf(fileName: string, text: string): { specifier: string; line: number }[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: { specifier: string; line: number }[] = [];
  const add = (node: ts.Node | undefined) => {
    if (node && ts.isStringLiteralLike(node))
      found.push({ specifier: node.text, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
      add(node.moduleReference.expression);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0]);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function typeScriptFilesUnder(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...typeScriptFilesUnder(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

/** Every layer violation in `root`/functions (root: the repository, or a fixture laid out like it). */
export function checkLayers(root: string): Violation[] {
  const violations: Violation[] = [];
  for (const file of typeScriptFilesUnder(join(root, 'functions'))) {
    const from = relative(root, file).split(sep).join('/');
    const layer = layerOf(from);
    if (layer === null || layer === 'schema') {
      violations.push({
        file: from,
        line: 1,
        specifier: '',
        message: `${from} lies in no layer: put it in core, layout, app, adapters or handlers`,
      });
      continue;
    }
    const text = readFileSync(file, 'utf8');
    for (const { specifier, line } of specifiersOf(file, text)) {
      if (specifier.startsWith('.')) {
        const target = relative(root, resolve(dirname(file), specifier))
          .split(sep)
          .join('/');
        const targetLayer = layerOf(target);
        if (targetLayer === null) {
          violations.push({
            file: from,
            line,
            specifier,
            message: `${layer} imports ${target}, outside functions/ and the schema`,
          });
        } else if (!ALLOWED[layer].includes(targetLayer)) {
          violations.push({
            file: from,
            line,
            specifier,
            message: `${layer} must not import ${targetLayer} (${target}): dependencies point inward (core ← layout ← app ← adapters, handlers)`,
          });
        }
      } else if (PACKAGE_FREE_LAYERS.includes(layer) && INFRASTRUCTURE_PACKAGES.test(specifier)) {
        violations.push({
          file: from,
          line,
          specifier,
          message: `${layer} must not import the client library ${specifier}: reach it through a port (app/ports.ts) implemented by an adapter`,
        });
      }
    }
  }
  return violations;
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const root = resolve(process.argv[2] ?? '.');
  const violations = checkLayers(root);
  for (const violation of violations) console.error(`${violation.file}:${violation.line}: ${violation.message}`);
  if (violations.length) {
    console.error(`${violations.length} layer violation(s); see DEVELOPERS.md "Layout"`);
    process.exit(1);
  }
  console.log('layers: every import in functions/ points inward');
}
