// Test hook, off unless the environment variable REFRAME_TEST_OUT names a file.
// After every change of diagnostics it writes (atomically) a JSON snapshot of what VS Code
// itself sees: which server binary it started and how it found it, and for file: documents
// the Reframe diagnostics, the titles of the quick fixes VS Code gets for each, the hover text
// at each, and the inlay hints of the document.
// The end-to-end test (tests/editors/vscode) asserts on this file as well as on the UI.
import * as vscode from 'vscode';
import * as fs from 'fs';
import type { LanguageClient } from 'vscode-languageclient/node';

interface DiagOut {
  range: [number, number, number, number];
  message: string;
  source?: string;
  code?: string | number;
  severity: string;
  actions: string[];
  hover: string;
}

function hoverText(hovers: vscode.Hover[] | undefined): string {
  const parts: string[] = [];
  for (const h of hovers ?? []) {
    for (const c of h.contents) parts.push(typeof c === 'string' ? c : c.value);
  }
  return parts.join('\n---\n');
}

function labelText(l: string | vscode.InlayHintLabelPart[]): string {
  return typeof l === 'string' ? l : l.map((p) => p.value).join('');
}

export function startTestReport(
  file: string,
  getClient: () => LanguageClient | undefined,
  getLaunched: () => { path: string; how: string } | undefined,
): vscode.Disposable {
  let seq = 0;
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const history: { seq: number; counts: Record<string, number> }[] = [];

  async function snapshot(): Promise<void> {
    const documents: { uri: string; diagnostics: DiagOut[]; inlayHints: { position: [number, number]; label: string }[] }[] = [];
    for (const [uri, all] of vscode.languages.getDiagnostics()) {
      if (uri.scheme !== 'file') continue;
      const diags = all.filter((d) => d.source === 'reframe');
      const out: DiagOut[] = [];
      for (const d of diags) {
        let actions: vscode.CodeAction[] | undefined;
        // the code action provider can register a little after the first diagnostics arrive
        for (let i = 0; i < 10 && !(actions && actions.length); i++) {
          if (i) await new Promise((r) => setTimeout(r, 200));
          actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
            'vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
        }
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
          'vscode.executeHoverProvider', uri, d.range.start.translate(0, 1));
        out.push({
          range: [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
          message: d.message,
          source: d.source,
          code: typeof d.code === 'object' ? d.code.value : d.code,
          severity: vscode.DiagnosticSeverity[d.severity],
          actions: (actions ?? []).map((a) => a.title),
          hover: hoverText(hovers),
        });
      }
      let inlayHints: { position: [number, number]; label: string }[] = [];
      try {
        const doc = await vscode.workspace.openTextDocument(uri);
        const full = new vscode.Range(0, 0, doc.lineCount, 0);
        const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', uri, full);
        inlayHints = (hints ?? []).map((h) => ({
          position: [h.position.line, h.position.character],
          label: labelText(h.label),
        }));
      } catch {
        // not a text document we can open: no hints
      }
      if (out.length || all.length === 0) documents.push({ uri: uri.toString(), diagnostics: out, inlayHints });
    }
    seq += 1;
    const counts: Record<string, number> = {};
    for (const d of documents) counts[d.uri] = d.diagnostics.length;
    history.push({ seq, counts });
    const c = getClient();
    const report = {
      seq,
      time: new Date().toISOString(),
      server: c?.initializeResult?.serverInfo ?? null,
      // which binary the extension started and how it found it (reframe.path, bundled, PATH)
      launched: getLaunched() ?? null,
      positionEncoding: c?.initializeResult?.capabilities.positionEncoding ?? null,
      documents,
      history,
    };
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(report, null, 2));
    fs.renameSync(`${file}.tmp`, file);
  }

  const schedule = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(snapshot).catch((e) => {
        fs.appendFileSync(`${file}.errors`, `${e}\n`);
      });
    }, 300);
  };
  const sub = vscode.languages.onDidChangeDiagnostics(schedule);
  return { dispose: () => { sub.dispose(); if (timer) clearTimeout(timer); } };
}
