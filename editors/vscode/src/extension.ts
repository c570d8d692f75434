// Reframe for VS Code: starts `reframe lsp` (stdio) for Markdown and plain text and
// passes the `reframe.*` settings to it. Diagnostics, quick fixes, hovers and inlay
// hints all come from the server; this file only finds the binary, starts/restarts the
// client and adds three commands.
import * as vscode from 'vscode';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFile } from 'child_process';
import {
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import { startTestReport } from './testReport';

const SECTION = 'reframe';
// Settings that go to the server (initializationOptions and workspace/configuration).
// `path`, `languages` (partly) and `trace` are client-side.
const SERVER_KEYS = [
  'enable', 'severity', 'disable', 'allow', 'rules', 'inlayHints', 'languages', 'quotes', 'debounceMs',
  'unsafeFixes',
] as const;
// Restart the server when these change; the rest reach it via didChangeConfiguration.
const RESTART_KEYS = ['path', 'languages'];

/** What to do when no server is found; plain text, because notifications show backticks literally. */
export const INSTALL_HINT =
  'Install the Reframe extension package for this platform (it carries the server), or run ' +
  'cargo install reframe-lint, or set reframe.path to the reframe binary.';

const STARTER_CONFIG = `# Reframe project settings. The editor settings (reframe.*) are merged with these.
# Docs: reframe --help, and docs/ in the Reframe repository.

# Rule ids to turn off:
# disable = ["resistant-client"]

# Phrases that are never flagged in this project:
# allow = ["treatment-resistant depression"]

# Extra rule files or packs, relative to this file:
# rules = ["rules/local.toml"]

# Phrases inside quotation marks: "hint" | "ignore" | "flag"
# quotes = "hint"

# Severity per category (blame, doubt, identity, substance, suicide, pity, casual, hope)
# or per rule id: error | warning | info | hint | off
# [severity]
# casual = "hint"
`;

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let traceOutput: vscode.LogOutputChannel;
let starting: Promise<void> | undefined;

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Where the server was found, or every place that was searched. */
export interface ServerSearch {
  /** The binary to run, when one was found. */
  found?: string;
  /** How it was found: "reframe.path", "the bundled server", "PATH" or "~/.cargo/bin". */
  how?: string;
  /** The places looked in, in order, as the user can check them. */
  searched: string[];
}

/** The server the platform-specific extension package carries (none in the universal one). */
export function bundledServer(extensionPath: string, platform = process.platform): string {
  return path.join(extensionPath, 'server', platform === 'win32' ? 'reframe.exe' : 'reframe');
}

/**
 * `reframe.path` if set (and nothing else then: an explicit path that is wrong must say so),
 * else the server bundled with the extension, else `reframe` on the extension host's PATH,
 * else ~/.cargo/bin. The extension host's PATH can differ from the user's shell (a launcher
 * or a remote host starts it), so a miss reports every place searched.
 */
export function findServer(configured: string | undefined, extensionPath: string, env = process.env): ServerSearch {
  const exe = process.platform === 'win32' ? 'reframe.exe' : 'reframe';
  if (configured && configured.trim()) {
    let p = expandHome(configured.trim());
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (folder) p = p.replace(/\$\{workspaceFolder\}/g, folder);
    if (!path.isAbsolute(p) && folder) p = path.join(folder, p);
    return isExecutable(p) ? { found: p, how: 'reframe.path', searched: [p] } : { searched: [`reframe.path: ${p}`] };
  }
  const searched: string[] = [];
  const bundled = bundledServer(extensionPath);
  makeExecutable(bundled);
  if (isExecutable(bundled)) return { found: bundled, how: 'the bundled server', searched };
  searched.push('the bundled server (this extension package has none)');
  const dirs = (env.PATH || '').split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    if (isExecutable(path.join(dir, exe))) return { found: path.join(dir, exe), how: 'PATH', searched };
  }
  searched.push(`PATH: ${dirs.length ? dirs.join(path.delimiter) : '(empty)'}`);
  const cargo = path.join(env.CARGO_HOME || path.join(os.homedir(), '.cargo'), 'bin', exe);
  if (isExecutable(cargo)) return { found: cargo, how: '~/.cargo/bin', searched };
  searched.push(cargo);
  return { searched };
}

/** Some unzip paths drop the executable bit; the bundled server is ours to fix. */
function makeExecutable(p: string): void {
  if (process.platform === 'win32' || !fs.existsSync(p) || isExecutable(p)) return;
  try {
    fs.chmodSync(p, 0o755);
  } catch {
    // read-only install: isExecutable then says no, and the search goes on
  }
}

/**
 * Opens the settings scope where `reframe.path` applies: it is machine-scoped, so in a remote
 * window (SSH, WSL, containers, code-server) only the Remote tab's value counts.
 */
async function openPathSetting(): Promise<void> {
  const command = vscode.env.remoteName ? 'workbench.action.openRemoteSettings' : 'workbench.action.openSettings';
  await vscode.commands.executeCommand(command, { query: 'reframe.path' });
}

/** The settings object the server understands (same keys as `.reframe.toml` plus editor ones). */
function serverSettings(scope?: vscode.ConfigurationScope): Record<string, unknown> {
  const cfg = vscode.workspace.getConfiguration(SECTION, scope);
  const out: Record<string, unknown> = {};
  for (const k of SERVER_KEYS) out[k] = cfg.get(k);
  return out;
}

function documentSelector(): { scheme: string; language: string }[] {
  const langs = vscode.workspace.getConfiguration(SECTION).get<string[]>('languages') ?? [];
  return langs.flatMap((language) => [
    { scheme: 'file', language },
    { scheme: 'untitled', language },
  ]);
}

/** The server the running client was started from, for the test report. */
let launched: { path: string; how: string } | undefined;

async function startClient(extensionPath: string): Promise<void> {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const configured = cfg.get<string>('path');
  const search = findServer(configured, extensionPath);
  const bin = search.found;
  launched = undefined;
  if (!bin) {
    const what = configured
      ? `Reframe: reframe.path is set to "${configured}", but no executable is there.`
      : `Reframe: no reframe server found. Searched: ${search.searched.join('; ')}.`;
    output.appendLine(`${what} ${INSTALL_HINT}`);
    const pick = await vscode.window.showErrorMessage(`${what} ${INSTALL_HINT}`, 'Open Settings', 'Copy Install Command');
    if (pick === 'Open Settings') {
      await openPathSetting();
    } else if (pick === 'Copy Install Command') {
      await vscode.env.clipboard.writeText('cargo install reframe-lint');
    }
    return;
  }
  launched = { path: bin, how: search.how ?? '' };
  output.appendLine(`Using ${search.how}: ${bin}`);
  output.appendLine(`Starting ${bin} lsp`);
  const serverOptions: ServerOptions = {
    run: { command: bin, args: ['lsp'], transport: TransportKind.stdio },
    debug: { command: bin, args: ['lsp'], transport: TransportKind.stdio },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(),
    initializationOptions: serverSettings(),
    // the server pulls the "reframe" section with workspace/configuration after this
    synchronize: { configurationSection: SECTION },
    outputChannel: output,
    traceOutputChannel: traceOutput,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    markdown: { isTrusted: false, supportHtml: false },
  };
  const c = new LanguageClient('reframe', 'Reframe', serverOptions, clientOptions);
  client = c;
  try {
    await c.start();
    const info = c.initializeResult?.serverInfo;
    output.appendLine(`Server ready: ${info ? `${info.name} ${info.version ?? ''}` : bin}`);
  } catch (e) {
    output.appendLine(`Reframe server failed to start: ${e}`);
    void vscode.window.showErrorMessage(`Reframe: the server (${bin} lsp) failed to start. See "Reframe: Show Output".`);
  }
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (c && c.state !== State.Stopped) {
    try {
      await c.stop(3000);
    } catch (e) {
      output.appendLine(`stop: ${e}`);
    }
  }
}

async function restart(extensionPath: string): Promise<void> {
  if (starting) await starting;
  starting = (async () => {
    await stopClient();
    await startClient(extensionPath);
  })();
  try {
    await starting;
  } finally {
    starting = undefined;
  }
}

async function pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0];
  const active = vscode.window.activeTextEditor?.document.uri;
  const own = active && vscode.workspace.getWorkspaceFolder(active);
  return own ?? vscode.window.showWorkspaceFolderPick({ placeHolder: 'Folder for .reframe.toml' });
}

async function openConfig(extensionPath: string): Promise<void> {
  const folder = await pickFolder();
  if (!folder || folder.uri.scheme !== 'file') {
    void vscode.window.showWarningMessage('Reframe: open a folder first; .reframe.toml lives at the workspace root.');
    return;
  }
  const file = path.join(folder.uri.fsPath, '.reframe.toml');
  if (!fs.existsSync(file)) {
    const bin = findServer(vscode.workspace.getConfiguration(SECTION, folder).get<string>('path'), extensionPath).found;
    let made = false;
    if (bin) {
      made = await new Promise<boolean>((resolve) => {
        execFile(bin, ['init'], { cwd: folder.uri.fsPath, timeout: 10000 }, (err, _out, stderr) => {
          if (err) output.appendLine(`reframe init failed (${err.message.trim()}): ${stderr}`);
          resolve(!err && fs.existsSync(file));
        });
      });
    }
    if (!made) fs.writeFileSync(file, STARTER_CONFIG, { flag: 'wx' });
    output.appendLine(`Created ${file}${made ? ' with `reframe init`' : ''}`);
  }
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  await vscode.window.showTextDocument(doc);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const restartHere = (): Promise<void> => restart(context.extensionPath);
  output = vscode.window.createOutputChannel('Reframe', { log: true });
  traceOutput = vscode.window.createOutputChannel('Reframe Trace', { log: true });
  context.subscriptions.push(
    output,
    traceOutput,
    vscode.commands.registerCommand('reframe.restartServer', restartHere),
    vscode.commands.registerCommand('reframe.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('reframe.openConfig', () => openConfig(context.extensionPath)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (RESTART_KEYS.some((k) => e.affectsConfiguration(`${SECTION}.${k}`))) void restartHere();
    }),
    { dispose: () => void stopClient() },
  );
  const report = process.env.REFRAME_TEST_OUT;
  if (report) context.subscriptions.push(startTestReport(report, () => client, () => launched));
  await restartHere();
}

export function deactivate(): Thenable<void> | undefined {
  return stopClient();
}
