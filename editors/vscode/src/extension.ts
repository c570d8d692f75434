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
  'enable', 'severity', 'disable', 'allow', 'rules', 'inlayHints', 'languages', 'quotes', 'debounceMs', 'maxProblems',
] as const;
// Restart the server when these change; the rest reach it via didChangeConfiguration.
const RESTART_KEYS = ['path', 'languages'];

export const INSTALL_HINT =
  'Install it with `cargo install reframe`, or run `cargo install --path .` in a checkout of the Reframe ' +
  'repository; then make sure `~/.cargo/bin` is on PATH or set `reframe.path`.';

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

/** `reframe.path`, else `reframe` on PATH, else ~/.cargo/bin/reframe. */
export function findServer(configured: string | undefined, env = process.env): string | undefined {
  const exe = process.platform === 'win32' ? 'reframe.exe' : 'reframe';
  if (configured && configured.trim()) {
    let p = expandHome(configured.trim());
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (folder) p = p.replace(/\$\{workspaceFolder\}/g, folder);
    if (!path.isAbsolute(p) && folder) p = path.join(folder, p);
    return isExecutable(p) ? p : undefined;
  }
  for (const dir of (env.PATH || '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, exe))) return path.join(dir, exe);
  }
  const cargo = path.join(env.CARGO_HOME || path.join(os.homedir(), '.cargo'), 'bin', exe);
  return isExecutable(cargo) ? cargo : undefined;
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

async function startClient(): Promise<void> {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const configured = cfg.get<string>('path');
  const bin = findServer(configured);
  if (!bin) {
    const what = configured
      ? `Reframe: \`reframe.path\` is set to "${configured}", but no executable is there.`
      : 'Reframe: could not find the `reframe` binary on PATH.';
    output.appendLine(`${what} ${INSTALL_HINT}`);
    const pick = await vscode.window.showErrorMessage(`${what} ${INSTALL_HINT}`, 'Open Settings', 'Copy Install Command');
    if (pick === 'Open Settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'reframe.path');
    } else if (pick === 'Copy Install Command') {
      await vscode.env.clipboard.writeText('cargo install reframe');
    }
    return;
  }
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

async function restart(): Promise<void> {
  if (starting) await starting;
  starting = (async () => {
    await stopClient();
    await startClient();
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

async function openConfig(): Promise<void> {
  const folder = await pickFolder();
  if (!folder || folder.uri.scheme !== 'file') {
    void vscode.window.showWarningMessage('Reframe: open a folder first; .reframe.toml lives at the workspace root.');
    return;
  }
  const file = path.join(folder.uri.fsPath, '.reframe.toml');
  if (!fs.existsSync(file)) {
    const bin = findServer(vscode.workspace.getConfiguration(SECTION, folder).get<string>('path'));
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
  output = vscode.window.createOutputChannel('Reframe', { log: true });
  traceOutput = vscode.window.createOutputChannel('Reframe Trace', { log: true });
  context.subscriptions.push(
    output,
    traceOutput,
    vscode.commands.registerCommand('reframe.restartServer', () => restart()),
    vscode.commands.registerCommand('reframe.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('reframe.openConfig', () => openConfig()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (RESTART_KEYS.some((k) => e.affectsConfiguration(`${SECTION}.${k}`))) void restart();
    }),
    { dispose: () => void stopClient() },
  );
  const report = process.env.REFRAME_TEST_OUT;
  if (report) context.subscriptions.push(startTestReport(report, () => client));
  await restart();
}

export function deactivate(): Thenable<void> | undefined {
  return stopClient();
}
