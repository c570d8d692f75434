#!/usr/bin/env python3
"""Static checks of the editor snippets that CI cannot run in a real editor (Helix, Zed,
Sublime) and of the VS Code manifest: valid TOML/JSON(C), the server command, the settings
keys. Prints one line per check and exits non-zero on the first failure."""
import json
import pathlib
import re
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parents[2] / "editors"
SERVER_KEYS = {"enable", "severity", "disable", "allow", "rules", "inlayHints", "languages", "quotes", "debounceMs", "unsafeFixes"}
n = 0


def check(cond, what):
    global n
    if not cond:
        print("FAIL:", what)
        sys.exit(1)
    n += 1
    print("CHECK ok:", what)


def jsonc(path):
    """JSON with // comments and trailing commas (Sublime, Zed)."""
    text = path.read_text(encoding="utf-8")
    out, i, in_str = [], 0, False
    while i < len(text):
        c = text[i]
        if in_str:
            out.append(c)
            if c == "\\":
                out.append(text[i + 1]); i += 1
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True; out.append(c)
        elif text.startswith("//", i):
            while i < len(text) and text[i] != "\n":
                i += 1
            continue
        else:
            out.append(c)
        i += 1
    return json.loads(re.sub(r",(\s*[}\]])", r"\1", "".join(out)))


hx = tomllib.loads((ROOT / "helix/languages.toml").read_text())
srv = hx["language-server"]["reframe"]
check(srv["command"] == "reframe" and srv["args"] == ["lsp"], "helix: language-server.reframe runs `reframe lsp`")
check(set(srv["config"]["reframe"]) <= SERVER_KEYS, "helix: config.reframe uses server setting keys only")
langs = {l["name"]: l for l in hx["language"]}
check("reframe" in langs["markdown"]["language-servers"] and "marksman" in langs["markdown"]["language-servers"],
      "helix: markdown keeps marksman and adds reframe")
check("reframe" in langs["text"]["language-servers"], "helix: text uses reframe")

z = tomllib.loads((ROOT / "zed/extension.toml").read_text())
check("Markdown" in z["language_servers"]["reframe"]["languages"], "zed: extension.toml registers reframe for Markdown")
zc = tomllib.loads((ROOT / "zed/Cargo.toml").read_text())
check("workspace" in zc and zc["lib"]["crate-type"] == ["cdylib"], "zed: Cargo.toml is a standalone cdylib crate")
zs = jsonc(ROOT / "zed/settings.json")
check(zs["lsp"]["reframe"]["binary"]["arguments"] == ["lsp"], "zed: settings.json lsp.reframe")
check("reframe" in zs["languages"]["Markdown"]["language_servers"], "zed: settings.json enables reframe for Markdown")
check(set(zs["lsp"]["reframe"]["settings"]) <= SERVER_KEYS, "zed: settings keys are server settings")

s1 = jsonc(ROOT / "sublime/LSP-reframe.sublime-settings")
check(s1["command"] == ["reframe", "lsp"] and "text.html.markdown" in s1["selector"], "sublime: LSP-reframe client config")
s2 = jsonc(ROOT / "sublime/LSP.sublime-settings")
check(s2["clients"]["reframe"]["command"] == ["reframe", "lsp"], "sublime: LSP.sublime-settings clients.reframe")

pkg = json.loads((ROOT / "vscode/package.json").read_text())
props = pkg["contributes"]["configuration"]["properties"]
check({k.split(".", 1)[1] for k in props} == SERVER_KEYS | {"path", "trace.server"},
      "vscode: settings = server settings + path + trace.server")
check(props["reframe.severity"]["additionalProperties"]["enum"] == ["error", "warning", "info", "hint", "off"],
      "vscode: severity levels")
check(set(props["reframe.severity"]["properties"]) == {"blame", "doubt", "identity", "substance", "suicide", "pity", "casual", "hope"},
      "vscode: severity categories")
cmds = {c["command"] for c in pkg["contributes"]["commands"]}
check(cmds == {"reframe.restartServer", "reframe.showOutput", "reframe.openConfig"}, "vscode: commands")
check({"onLanguage:markdown", "onLanguage:plaintext"} <= set(pkg["activationEvents"]), "vscode: activates for Markdown and plain text")
for f in ["README.md", "LICENSE", "CHANGELOG.md", ".vscodeignore", "package-lock.json"]:
    check((ROOT / "vscode" / f).exists(), f"vscode: {f} present")
print(f"PASS: snippets ({n} checks)")
