// Packs the extension into a .vsix without @vscode/vsce (and its ~280 npm packages).
//   node scripts/package-vsix.mjs [-o reframe.vsix]
//   node scripts/package-vsix.mjs --target linux-x64 [-o reframe-linux-x64.vsix]
// With --target (vsce's platform names) it writes a platform-specific package, like
// `vsce package --target`, which must carry the server: server/reframe (server/reframe.exe for
// win32-*), copied there first. Without it, a server/ folder is refused: a universal package
// must not carry one platform's binary.
// Run it after the production build (`npm run package` does typecheck + build:prod + this).
//
// Mirrors what `vsce package --no-dependencies --allow-missing-repository
// --no-rewrite-relative-links` (vsce 3.9) writes for this extension:
//   extension.vsixmanifest, [Content_Types].xml, and extension/<files> chosen by
//   .vscodeignore (plus vsce's default ignores; package.json and README.md always go in),
//   with README.md -> extension/readme.md, CHANGELOG.md -> extension/changelog.md and an
//   extension-less LICENSE -> extension/LICENSE.txt, as vsce renames them.
// Markdown links are left as they are (like --no-rewrite-relative-links); node_modules is
// never packed (the extension is bundled by esbuild). SOURCE_DATE_EPOCH, if set, fixes the
// timestamps and sorts the entries, as vsce does. Publishing to the Marketplace is still done
// with `npx @vscode/vsce publish`.
import { deflateRawSync } from 'node:zlib';
import { readFileSync, readdirSync, statSync, writeFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, extname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
function fail(msg) {
  console.error(`package-vsix: ${msg}`);
  process.exit(1);
}
function option(...names) {
  const i = args.findIndex(a => names.includes(a));
  if (i < 0) return undefined;
  if (!args[i + 1] || args[i + 1].startsWith('-')) fail(`${args[i]} needs a value`);
  return args[i + 1];
}

// ---- the platform: none (universal) or one of vsce's targets, with its server binary ----
const TARGETS = ['win32-x64', 'win32-arm64', 'linux-x64', 'linux-arm64', 'linux-armhf',
  'alpine-x64', 'alpine-arm64', 'darwin-x64', 'darwin-arm64'];
const TARGET = option('--target');
if (TARGET && !TARGETS.includes(TARGET)) fail(`unknown --target "${TARGET}" (one of ${TARGETS.join(', ')})`);
const serverDir = join(ROOT, 'server');
const serverFiles = (() => { try { return readdirSync(serverDir); } catch { return []; } })();
if (TARGET) {
  const exe = TARGET.startsWith('win32-') ? 'reframe.exe' : 'reframe';
  if (!serverFiles.includes(exe)) fail(`--target ${TARGET}: copy the ${TARGET} server binary to server/${exe} first`);
  if (serverFiles.length !== 1) fail(`server/ must hold only ${exe} (found: ${serverFiles.join(', ')})`);
  if (!TARGET.startsWith('win32-') && !(statSync(join(serverDir, exe)).mode & 0o111)) fail(`server/${exe} is not executable`);
} else if (serverFiles.length) {
  fail('server/ holds a binary: pass --target <platform> for a platform-specific package, or remove server/');
}
const OUT = resolve(ROOT, option('-o', '--out') ?? (TARGET ? `reframe-${TARGET}.vsix` : 'reframe.vsix'));

// ---- manifest checks (the subset of vsce's validation that matters here) ----
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
for (const k of ['name', 'publisher', 'version']) if (!manifest[k]) fail(`package.json: missing "${k}"`);
if (!/^[a-z0-9][a-z0-9-]*$/i.test(manifest.name)) fail(`package.json: invalid name "${manifest.name}"`);
if (!/^\d+\.\d+\.\d+(-[\w.-]+)?$/.test(manifest.version)) fail(`package.json: invalid version "${manifest.version}"`);
if (!manifest.engines?.vscode) fail('package.json: missing engines.vscode');

// ---- file selection: .vscodeignore with vsce's semantics (minimatch, dot: true) ----
const DEFAULT_IGNORE = [
  '.vscodeignore', 'package-lock.json', 'npm-debug.log', 'yarn.lock', 'yarn-error.log',
  'npm-shrinkwrap.json', '.editorconfig', '.npmrc', '.yarnrc', '.gitattributes', '*.todo',
  'tslint.yaml', '.eslintrc*', '.babelrc*', '.prettierrc*', '.cz-config.js', '.commitlintrc*',
  'webpack.config.js', 'ISSUE_TEMPLATE.md', 'CONTRIBUTING.md', 'PULL_REQUEST_TEMPLATE.md',
  'CODE_OF_CONDUCT.md', '.github', '.travis.yml', 'appveyor.yml', '**/.git', '**/.git/**',
  '**/*.vsix', '**/.DS_Store', '**/*.vsixmanifest', '**/.vscode-test/**', '**/.vscode-test-web/**',
];

function globToRegExp(glob) {
  let re = '';
  const segs = glob.replace(/^\/+/, '').split('/');
  segs.forEach((seg, i) => {
    const last = i === segs.length - 1;
    if (seg === '**') {
      re += last ? (i === 0 ? '.*' : '(?:/.*)?') : (i === 0 ? '(?:.*/)?' : '(?:/.*)?/');
      return;
    }
    if (i > 0 && segs[i - 1] !== '**') re += '/';
    for (let j = 0; j < seg.length; j++) {
      const c = seg[j];
      if (c === '*') re += '[^/]*';
      else if (c === '?') re += '[^/]';
      else if (c === '[') {
        const end = seg.indexOf(']', j + 1);
        if (end < 0) re += '\\[';
        else { re += '[' + seg.slice(j + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']'; j = end; }
      } else if (c === '{') {
        const end = seg.indexOf('}', j + 1);
        if (end < 0) re += '\\{';
        else {
          re += '(?:' + seg.slice(j + 1, end).split(',').map(s => s.replace(/[.+^$()|\\]/g, '\\$&').replace(/\*/g, '[^/]*')).join('|') + ')';
          j = end;
        }
      } else re += c.replace(/[.+^$()|\\]/g, '\\$&');
    }
  });
  return new RegExp(`^${re}$`);
}

function walk(dir, rel = '') {
  const out = [];
  for (const ent of readdirSync(dir, { withFileTypes: true })) {
    const r = rel ? `${rel}/${ent.name}` : ent.name;
    if (r === 'node_modules') continue; // --no-dependencies: nothing from node_modules
    if (ent.isDirectory()) out.push(...walk(join(dir, ent.name), r));
    else if (ent.isFile()) out.push(r);
    else if (ent.isSymbolicLink()) {
      try { if (statSync(join(dir, ent.name)).isFile()) out.push(r); } catch { /* dangling */ }
    }
  }
  return out;
}

let userIgnore = [];
try {
  userIgnore = readFileSync(join(ROOT, '.vscodeignore'), 'utf8').split(/[\n\r]/).map(s => s.trim())
    .filter(s => s && !s.startsWith('#'));
} catch (e) {
  if (e.code !== 'ENOENT') throw e;
  if (Array.isArray(manifest.files)) userIgnore = [...manifest.files.map(f => `!${f}`), '**'];
}
// like vsce: every pattern without a wildcard in its last segment also matches as a folder
userIgnore = [...userIgnore, ...userIgnore.filter(i => !/(^|\/)[^/]*\*[^/]*$/.test(i)).map(i => (i.endsWith('/') ? `${i}**` : `${i}/**`))];
const patterns = [...DEFAULT_IGNORE, ...userIgnore, '!package.json', '!README.md'];
const ignore = patterns.filter(p => !p.startsWith('!')).map(globToRegExp);
const negate = patterns.filter(p => p.startsWith('!')).map(p => globToRegExp(p.slice(1)));
const selected = walk(ROOT).filter(f => !/\r/.test(f))
  .filter(f => !ignore.some(re => re.test(f)) || negate.some(re => re.test(f)));

// ---- the vsix entries, with vsce's renames and assets ----
const now = new Date();
const files = []; // { path, data, mtime, mode }
const assets = [];
let license, icon, readme = 0, changelog = 0;
const iconPath = manifest.icon && `extension/${manifest.icon.replace(/\\/g, '/').replace(/^\.\//, '')}`;
const licenseMatch = /^SEE LICENSE IN (.*)$/.exec(manifest.license || '');
const isLicense = licenseMatch
  ? p => p === `extension/${licenseMatch[1].replace(/\\/g, '/').replace(/^\.\//, '')}`
  : p => /^extension\/licen[cs]e(\.(md|txt))?$/i.test(p);

for (const rel of selected) {
  const st = statSync(join(ROOT, rel));
  let path = `extension/${rel}`;
  const file = { path, data: readFileSync(join(ROOT, rel)), mtime: st.mtime, mode: 0o100000 | (st.mode & 0o7777) };
  if (/^extension\/package\.json$/i.test(path)) {
    file.mode = 0o100644; // VS Code writes metadata into it after installing
  } else if (/^extension\/readme\.md$/i.test(path) || /^extension\/changelog\.md$/i.test(path)) {
    const isReadme = /readme/i.test(path);
    const text = file.data.toString('utf8');
    if (isReadme && /This is the README for your extension /.test(text)) fail('README.md still contains template text');
    if (/<svg[\s>]/i.test(text)) fail(`SVG tags are not allowed in ${rel}`);
    // vsce re-renders these two in memory: new name, current time, mode 664
    file.path = isReadme ? 'extension/readme.md' : 'extension/changelog.md';
    file.mtime = now;
    file.mode = 0o100664;
    assets.push({ type: `Microsoft.VisualStudio.Services.Content.${isReadme ? 'Details' : 'Changelog'}`, path: file.path, order: isReadme ? 0 : 1 });
    if (isReadme) readme++; else changelog++;
  }
  if (!license && isLicense(file.path)) {
    if (!extname(file.path)) file.path += '.txt';
    license = file.path;
    assets.push({ type: 'Microsoft.VisualStudio.Services.Content.License', path: license, order: 2 });
  }
  if (iconPath && file.path === iconPath) {
    icon = iconPath;
    assets.push({ type: 'Microsoft.VisualStudio.Services.Icons.Default', path: icon, order: 3 });
  }
  files.push(file);
}
assets.sort((a, b) => a.order - b.order); // vsce's processor order: readme, changelog, license, icon

if (!license) fail('LICENSE, LICENSE.md, or LICENSE.txt not found');
if (iconPath && !icon) fail(`the icon '${manifest.icon}' is not in the package (.vscodeignore?)`);
for (const entry of [manifest.main, manifest.browser].filter(Boolean)) {
  const p = `extension/${entry.replace(/^\.\//, '')}`;
  if (!files.some(f => f.path === p || f.path === `${p}.js`)) fail(`entry point ${p} missing: run the build first, check .vscodeignore`);
}
const lower = new Map();
for (const f of files) {
  const k = f.path.toLowerCase();
  if (lower.has(k)) fail(`paths differing only in case: ${lower.get(k)}, ${f.path}`);
  lower.set(k, f.path);
}

// ---- extension.vsixmanifest (vsce's template, same whitespace) ----
const xmlEsc = v => String(v).replace(/(['"<>&])/g, c => ({ "'": '&apos;', '"': '&quot;', '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]);
const contributes = manifest.contributes ?? {};
const has = (...props) => { let o = contributes; for (const p of props) { if (!o) return false; o = o[p]; } return !!o && o.length > 0; };
const sanitizeTag = t => t.replace(/[^\w.-]/g, '');
const DESCRIPTION_KEYWORDS = {
  git: ['git'], npm: ['node'], spell: ['markdown'], bootstrap: ['bootstrap'], lint: ['linters'], linting: ['linters'],
  react: ['javascript'], js: ['javascript'], node: ['javascript', 'node'], 'c++': ['c++'], Cplusplus: ['c++'], xml: ['xml'],
  angular: ['javascript'], jquery: ['javascript'], php: ['php'], python: ['python'], latex: ['latex'], ruby: ['ruby'],
  java: ['java'], erlang: ['erlang'], sql: ['sql'], nodejs: ['node'], 'c#': ['c#'], css: ['css'], javascript: ['javascript'],
  ftp: ['ftp'], haskell: ['haskell'], unity: ['unity'], terminal: ['terminal'], powershell: ['powershell'],
  laravel: ['laravel'], meteor: ['meteor'], emmet: ['emmet'], eslint: ['linters'], tfs: ['tfs'], rust: ['rust'],
};
const description = manifest.description || '';
function extensionKind() {
  let deduced;
  if (manifest.main) deduced = manifest.browser ? ['workspace', 'web'] : ['workspace'];
  else if (manifest.browser) deduced = ['web'];
  else {
    deduced = ['ui', 'workspace', 'web'];
    if (manifest.extensionPack?.length || manifest.extensionDependencies?.length) deduced = ['workspace', 'web'];
    const only = { jsonValidation: ['workspace', 'web'], localizations: ['ui', 'workspace'], debuggers: ['workspace'],
      terminal: ['workspace'], typescriptServerPlugins: ['workspace'], 'markdown.previewStyles': ['workspace', 'web'],
      'markdown.previewScripts': ['workspace', 'web'], 'markdown.markdownItPlugins': ['workspace', 'web'],
      'html.customData': ['workspace', 'web'], 'css.customData': ['workspace', 'web'] };
    for (const c of Object.keys(contributes)) if (only[c]) deduced = deduced.filter(k => only[c].includes(k));
  }
  if (!manifest.extensionKind) return deduced;
  const kinds = Array.isArray(manifest.extensionKind) ? [...manifest.extensionKind]
    : manifest.extensionKind === 'ui' ? ['ui', 'workspace'] : [manifest.extensionKind];
  if (deduced.includes('web') && !kinds.includes('web')) kinds.push('web');
  return kinds;
}
const kinds = extensionKind();
const tags = [...new Set([
  ...(manifest.keywords ?? []),
  ...(has('themes') ? ['theme', 'color-theme'] : []),
  ...(has('iconThemes') ? ['theme', 'icon-theme'] : []),
  ...(has('productIconThemes') ? ['theme', 'product-icon-theme'] : []),
  ...(has('snippets') ? ['snippet'] : []),
  ...(has('keybindings') ? ['keybindings'] : []),
  ...(has('debuggers') ? ['debuggers'] : []),
  ...(has('jsonValidation') ? ['json'] : []),
  ...(has('menus', 'statusBar/remoteIndicator') ? ['remote-menu'] : []),
  ...(has('chatParticipants') ? ['chat-participant'] : []),
  ...(has('languageModelTools') ? ['tools', 'language-model-tools'] : []),
  ...(has('languageModelChatProviders') ? ['language-models'] : []),
  ...(has('modelContextServerCollections') ? ['mcp', 'language-model-tools'] : []),
  ...(contributes.localizations ?? []).flatMap(l => [`lp-${l.languageId}`,
    ...(l.translations ?? []).flatMap(({ id }) => [`__lp_${id}`, `__lp-${l.languageId}_${id}`])]),
  ...(contributes.languages ?? []).flatMap(l => [l.id, ...(l.aliases ?? []).map(sanitizeTag),
    ...(l.extensions ?? []).map(sanitizeTag).map(s => s.replace('.', '')).filter(Boolean).map(s => `__ext_${s}`)]),
  ...(manifest.activationEvents ?? []).map(e => /^onLanguage:(.*)$/.exec(e)).filter(Boolean).map(m => m[1]),
  ...(contributes.grammars ?? []).map(g => g.language),
  ...Object.keys(DESCRIPTION_KEYWORDS).flatMap(k =>
    new RegExp('\\b(?:' + k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + ')(?!\\w)', 'gi').test(description) ? DESCRIPTION_KEYWORDS[k] : []),
  ...(kinds.includes('web') ? ['__web_extension'] : []),
  ...(manifest.sponsor?.url ? ['__sponsor_extension'] : []),
])].filter(Boolean);

const repoUrl = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
const bugs = typeof manifest.bugs === 'string' ? manifest.bugs
  : manifest.bugs?.url ?? (manifest.bugs?.email ? `mailto:${manifest.bugs.email}` : undefined);
const isGitHub = /^https:\/\/github\.com\/|^git@github\.com:/.test(repoUrl ?? '');
const banner = manifest.galleryBanner ?? {};
const qna = manifest.qna === 'marketplace' ? true : manifest.qna === false ? false : undefined;
const qnaLink = typeof manifest.qna === 'string' && manifest.qna !== 'marketplace' ? manifest.qna : undefined;
const exeCode = !!(manifest.main ?? manifest.browser);
const list = v => [...new Set(v ?? [])].join(',');

const vsixmanifest = `<?xml version="1.0" encoding="utf-8"?>
	<PackageManifest Version="2.0.0" xmlns="http://schemas.microsoft.com/developer/vsx-schema/2011" xmlns:d="http://schemas.microsoft.com/developer/vsx-schema-design/2011">
		<Metadata>
			<Identity Language="en-US" Id="${xmlEsc(manifest.name)}" Version="${xmlEsc(manifest.version)}" Publisher="${xmlEsc(manifest.publisher)}" ${TARGET ? `TargetPlatform="${xmlEsc(TARGET)}" ` : ''}/>
			<DisplayName>${xmlEsc(manifest.displayName ?? manifest.name)}</DisplayName>
			<Description xml:space="preserve">${xmlEsc(description)}</Description>
			<Tags>${xmlEsc(tags.join(','))}</Tags>
			<Categories>${xmlEsc((manifest.categories ?? []).join(','))}</Categories>
			<GalleryFlags>${xmlEsc(manifest.preview ? 'Public Preview' : 'Public')}</GalleryFlags>
			${!manifest.badges ? '' : `<Badges>${manifest.badges
    .map(b => `<Badge Link="${xmlEsc(b.href)}" ImgUri="${xmlEsc(b.url)}" Description="${xmlEsc(b.description)}" />`).join('\n')}</Badges>`}
			<Properties>
				<Property Id="Microsoft.VisualStudio.Code.Engine" Value="${xmlEsc(manifest.engines.vscode)}" />
				<Property Id="Microsoft.VisualStudio.Code.ExtensionDependencies" Value="${xmlEsc(list(manifest.extensionDependencies))}" />
				<Property Id="Microsoft.VisualStudio.Code.ExtensionPack" Value="${xmlEsc(list(manifest.extensionPack))}" />
				<Property Id="Microsoft.VisualStudio.Code.ExtensionKind" Value="${xmlEsc(kinds.join(','))}" />
				<Property Id="Microsoft.VisualStudio.Code.LocalizedLanguages" Value="${xmlEsc((contributes.localizations ?? [])
    .map(l => l.localizedLanguageName ?? l.languageName ?? l.languageId).join(','))}" />
				<Property Id="Microsoft.VisualStudio.Code.EnabledApiProposals" Value="${xmlEsc((manifest.enabledApiProposals ?? []).join(','))}" />
				${''}
				${exeCode ? `<Property Id="Microsoft.VisualStudio.Code.ExecutesCode" Value="${xmlEsc(exeCode)}" />` : ''}
				${manifest.sponsor?.url ? `<Property Id="Microsoft.VisualStudio.Code.SponsorLink" Value="${xmlEsc(manifest.sponsor.url)}" />` : ''}
				${!repoUrl ? '' : `<Property Id="Microsoft.VisualStudio.Services.Links.Source" Value="${xmlEsc(repoUrl)}" />
				<Property Id="Microsoft.VisualStudio.Services.Links.Getstarted" Value="${xmlEsc(repoUrl)}" />
				${isGitHub
    ? `<Property Id="Microsoft.VisualStudio.Services.Links.GitHub" Value="${xmlEsc(repoUrl)}" />`
    : `<Property Id="Microsoft.VisualStudio.Services.Links.Repository" Value="${xmlEsc(repoUrl)}" />`}`}
				${bugs ? `<Property Id="Microsoft.VisualStudio.Services.Links.Support" Value="${xmlEsc(bugs)}" />` : ''}
				${manifest.homepage ? `<Property Id="Microsoft.VisualStudio.Services.Links.Learn" Value="${xmlEsc(manifest.homepage)}" />` : ''}
				${banner.color ? `<Property Id="Microsoft.VisualStudio.Services.Branding.Color" Value="${xmlEsc(banner.color)}" />` : ''}
				${banner.theme ? `<Property Id="Microsoft.VisualStudio.Services.Branding.Theme" Value="${xmlEsc(banner.theme)}" />` : ''}
				<Property Id="Microsoft.VisualStudio.Services.GitHubFlavoredMarkdown" Value="${xmlEsc(manifest.markdown !== 'standard')}" />
				<Property Id="Microsoft.VisualStudio.Services.Content.Pricing" Value="${xmlEsc(manifest.pricing ?? 'Free')}"/>

				${qna !== undefined ? `<Property Id="Microsoft.VisualStudio.Services.EnableMarketplaceQnA" Value="${xmlEsc(qna)}" />` : ''}
				${qnaLink !== undefined ? `<Property Id="Microsoft.VisualStudio.Services.CustomerQnALink" Value="${xmlEsc(qnaLink)}" />` : ''}
			</Properties>
			${license ? `<License>${xmlEsc(license)}</License>` : ''}
			${icon ? `<Icon>${xmlEsc(icon)}</Icon>` : ''}
		</Metadata>
		<Installation>
			<InstallationTarget Id="Microsoft.VisualStudio.Code"/>
		</Installation>
		<Dependencies/>
		<Assets>
			<Asset Type="Microsoft.VisualStudio.Code.Manifest" Path="extension/package.json" Addressable="true" />
			${assets.map(a => `<Asset Type="${xmlEsc(a.type)}" Path="${xmlEsc(a.path)}" Addressable="true" />`).join('\n')}
		</Assets>
	</PackageManifest>`;

// ---- [Content_Types].xml (mime types as vsce's `mime` 1.x names them) ----
const MIME = {
  '.js': 'application/javascript', '.mjs': 'application/javascript', '.json': 'application/json', '.map': 'application/json',
  '.md': 'text/markdown', '.txt': 'text/plain', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg',
  '.gif': 'image/gif', '.webp': 'image/webp', '.svg': 'image/svg+xml', '.css': 'text/css', '.html': 'text/html',
  '.wasm': 'application/wasm', '.ts': 'video/mp2t', '.yml': 'text/yaml', '.yaml': 'text/yaml', '.xml': 'application/xml',
  '.lua': 'text/x-lua', '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.zip': 'application/zip',
  '.sh': 'application/x-sh', '.vsixmanifest': 'text/xml',
};
const types = new Map([['.json', 'application/json'], ['.vsixmanifest', 'text/xml']]);
for (const f of files) {
  const ext = extname(f.path).toLowerCase();
  if (ext) types.set(ext, MIME[ext] ?? 'application/octet-stream');
}
const contentTypes = `<?xml version="1.0" encoding="utf-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">${[...types]
  .map(([e, t]) => `<Default Extension="${e}" ContentType="${t}"/>`).sort().join('')}</Types>
`;

// ---- entries: the two XML files first, then package.json, the docs, the rest ----
const rank = p => (p === 'extension/package.json' ? 0 : p.split('/').length === 2 ? 1 : 2);
files.sort((a, b) => rank(a.path) - rank(b.path) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
let entries = [
  { path: 'extension.vsixmanifest', data: Buffer.from(vsixmanifest, 'utf8'), mtime: now, mode: 0o100664 },
  { path: '[Content_Types].xml', data: Buffer.from(contentTypes, 'utf8'), mtime: now, mode: 0o100664 },
  ...files,
];
if (process.env.SOURCE_DATE_EPOCH) { // reproducible, like vsce
  const t = new Date(parseInt(process.env.SOURCE_DATE_EPOCH, 10) * 1000);
  entries = entries.map(e => ({ ...e, mtime: t })).sort((a, b) => a.path.localeCompare(b.path));
}

// ---- minimal ZIP writer (deflate, no data descriptors, no zip64) ----
const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function dosDateTime(d) {
  const year = Math.max(1980, d.getFullYear());
  return {
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
  };
}
const chunks = [];
const central = [];
let offset = 0;
for (const e of entries) {
  const name = Buffer.from(e.path, 'utf8');
  const deflated = deflateRawSync(e.data, { level: 6 });
  const method = deflated.length < e.data.length ? 8 : 0; // store when deflate does not help
  const body = method === 8 ? deflated : e.data;
  const crc = crc32(e.data);
  const { date, time } = dosDateTime(e.mtime);
  const flags = /[^\x20-\x7e]/.test(e.path) ? 0x0800 : 0; // UTF-8 names
  if (body.length > 0xfffffffe || e.data.length > 0xfffffffe || offset > 0xfffffffe) fail('too large for a zip without zip64');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4); // version needed to extract: 2.0
  local.writeUInt16LE(flags, 6);
  local.writeUInt16LE(method, 8);
  local.writeUInt16LE(time, 10);
  local.writeUInt16LE(date, 12);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(body.length, 18);
  local.writeUInt32LE(e.data.length, 22);
  local.writeUInt16LE(name.length, 26);
  local.writeUInt16LE(0, 28);
  const cd = Buffer.alloc(46);
  cd.writeUInt32LE(0x02014b50, 0);
  cd.writeUInt16LE((3 << 8) | 63, 4); // made by: Unix, spec 6.3 (as yazl)
  cd.writeUInt16LE(20, 6);
  cd.writeUInt16LE(flags, 8);
  cd.writeUInt16LE(method, 10);
  cd.writeUInt16LE(time, 12);
  cd.writeUInt16LE(date, 14);
  cd.writeUInt32LE(crc, 16);
  cd.writeUInt32LE(body.length, 20);
  cd.writeUInt32LE(e.data.length, 24);
  cd.writeUInt16LE(name.length, 28);
  // extra length, comment length, disk number, internal attributes: 0
  cd.writeUInt32LE((e.mode << 16) >>> 0, 38); // external attributes: Unix mode
  cd.writeUInt32LE(offset, 42);
  chunks.push(local, name, body);
  central.push(cd, name);
  offset += local.length + name.length + body.length;
}
if (entries.length > 0xffff) fail('too many entries for a zip without zip64');
const cdSize = central.reduce((n, b) => n + b.length, 0);
const eocd = Buffer.alloc(22);
eocd.writeUInt32LE(0x06054b50, 0);
eocd.writeUInt16LE(entries.length, 8);
eocd.writeUInt16LE(entries.length, 10);
eocd.writeUInt32LE(cdSize, 12);
eocd.writeUInt32LE(offset, 16);
const zip = Buffer.concat([...chunks, ...central, eocd]);

const tmp = `${OUT}.tmp-${process.pid}`;
try {
  writeFileSync(tmp, zip);
  renameSync(tmp, OUT);
} catch (e) {
  rmSync(tmp, { force: true });
  throw e;
}
if (!readme) console.warn('package-vsix: warning: no README.md');
if (!changelog) console.warn('package-vsix: warning: no CHANGELOG.md');
console.log(`Packaged: ${relative(process.cwd(), OUT) || OUT} (${entries.length} files, ${(zip.length / 1024).toFixed(2)} KB)`);
for (const e of entries) console.log(`  ${e.path} (${e.data.length} bytes)`);
