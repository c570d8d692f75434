// Writes the Firefox variant of the extension to dist/firefox/ (the same files; only the
// manifest differs): Firefox runs MV3 background scripts as an event page rather than a
// service worker, and has no use for Chromium's `key`, which fixes the Chromium id.
// Usage: node scripts/build-firefox.mjs [out-dir]. Pack it with `web-ext build -s <out-dir>`.
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const source = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] || join(source, 'dist/firefox'));
const FILES = ['background.js', 'content.js', 'popup.html', 'popup.css', 'popup.js'];

const manifest = JSON.parse(readFileSync(join(source, 'manifest.json'), 'utf8'));
delete manifest.key;
delete manifest.minimum_chrome_version;
manifest.background = { scripts: [manifest.background.service_worker] };

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const file of FILES) copyFileSync(join(source, file), join(out, file));
cpSync(join(source, 'icons'), join(out, 'icons'), { recursive: true });
writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`Firefox build: ${out}`);
