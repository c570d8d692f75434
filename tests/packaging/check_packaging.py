"""Checks the package definitions other registries take from this repository, and that they
agree with the release workflow and with each other:

- editors/nvim/mason/package.yaml: parses, has the fields mason-registry's schema requires,
  valid targets and categories, a source id for this repository at Cargo.toml's version, and
  one asset per release archive, named as .github/workflows/release.yml names them;
- the crate: `cargo package --list` holds build.rs, every rule file it embeds, every file an
  include_str! names, and the licence files (`cargo publish --dry-run` is the full check: it
  builds the packaged crate, which takes minutes);
- packaging/homebrew/reframe-lint.rb: the brew-audit rules that can be checked by reading
  (desc, license, url at Cargo.toml's version, cargo install with std_cargo_args, a test block
  that starts the language server, layout); `ruby -c` is run by run.sh.

Prints `file:line: what is wrong` for each problem; exits 1 if there is any.
"""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
MASON = REPO / "editors/nvim/mason/package.yaml"
FORMULA = REPO / "packaging/homebrew/reframe-lint.rb"
RELEASE = REPO / ".github/workflows/release.yml"
CARGO = REPO / "Cargo.toml"

# mason-registry's schema: required keys, categories and targets (schemas/enums in the registry).
MASON_REQUIRED = ["name", "description", "homepage", "licenses", "languages", "categories", "source"]
MASON_CATEGORIES = {"Compiler", "DAP", "Formatter", "Linter", "LSP", "Runtime"}
MASON_TARGETS = {
    "darwin", "darwin_x64", "darwin_arm64", "linux", "linux_x64", "linux_x64_gnu", "linux_x64_musl",
    "linux_arm", "linux_arm_gnu", "linux_arm64", "linux_arm64_gnu", "linux_arm64_musl",
    "linux_x86", "unix", "win", "win_x64", "win_x86", "win_arm64",
}
# Which Rust target triple serves which Mason target.
TRIPLE_FOR = {
    "linux_x64": "x86_64-unknown-linux-musl", "linux_arm64": "aarch64-unknown-linux-musl",
    "darwin_x64": "x86_64-apple-darwin", "darwin_arm64": "aarch64-apple-darwin",
    "win_x64": "x86_64-pc-windows-msvc", "win_arm64": "aarch64-pc-windows-msvc",
}

problems = []


def problem(path, line, what):
    problems.append(f"{path.relative_to(REPO)}:{line}: {what}")


def line_of(path, needle):
    for n, text in enumerate(path.read_text().splitlines(), 1):
        if needle in text:
            return n
    return 1


def check_crate():
    listed = subprocess.run(
        ["cargo", "package", "--list", "--allow-dirty", "--quiet"],
        cwd=REPO, capture_output=True, text=True,
    )
    if listed.returncode != 0:
        problem(CARGO, 1, f"cargo package --list failed: {listed.stderr.strip()}")
        return
    files = set(listed.stdout.split())
    needed = {"build.rs", "Cargo.toml", "README.md", "LICENSE-MIT", "LICENSE-APACHE"}
    needed |= {str(p.relative_to(REPO)) for p in (REPO / "rules").glob("*.toml")}
    for source in (REPO / "src").rglob("*.rs"):
        for m in re.finditer(r'include_(?:str|bytes)!\("([^"]+)"\)', source.read_text()):
            needed.add(str((source.parent / m.group(1)).resolve().relative_to(REPO)))
    for missing in sorted(needed - files):
        problem(CARGO, line_of(CARGO, "include = ["), f"the published crate lacks {missing}, which building needs")


def release_targets():
    """The target triples the release workflow builds archives for."""
    workflow = yaml.safe_load(RELEASE.read_text())
    return [row["target"] for row in workflow["jobs"]["binaries"]["strategy"]["matrix"]["include"]]


def check_mason(version):
    try:
        pkg = yaml.safe_load(MASON.read_text())
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problem(MASON, mark.line + 1 if mark else 1, f"does not parse: {e}")
        return
    for key in MASON_REQUIRED:
        if key not in pkg:
            problem(MASON, 1, f"missing required field `{key}`")
    if pkg.get("name") != "reframe-lint":
        problem(MASON, line_of(MASON, "name:"), "name must be reframe-lint, the published name")
    for key in ["licenses", "languages", "categories"]:
        if not isinstance(pkg.get(key), list) or not pkg.get(key):
            problem(MASON, line_of(MASON, f"{key}:"), f"`{key}` must be a non-empty list")
    for category in pkg.get("categories") or []:
        if category not in MASON_CATEGORIES:
            problem(MASON, line_of(MASON, category), f"unknown category {category!r}")
    source = pkg.get("source") or {}
    want_id = f"pkg:github/reframe-tool/reframe@v{version}"
    if source.get("id") != want_id:
        problem(MASON, line_of(MASON, "id:"), f"source.id must be {want_id} (Cargo.toml's version)")
    if 'name="reframe-${GITHUB_REF_NAME}-${{ matrix.target }}"' not in RELEASE.read_text():
        problem(RELEASE, line_of(RELEASE, "Archive"), "archives must be named reframe-<tag>-<target>, as Mason's assets say")
    built = set(release_targets())
    covered = set()
    for asset in source.get("asset") or []:
        target = asset.get("target")
        where = line_of(MASON, f"target: {target}")
        if target not in MASON_TARGETS:
            problem(MASON, where, f"unknown Mason target {target!r}")
            continue
        triple = TRIPLE_FOR.get(target)
        ext = "zip" if triple and "windows" in triple else "tar.gz"
        exe = "reframe.exe" if ext == "zip" else "reframe"
        want_file = f"reframe-{{{{ version }}}}-{triple}.{ext}"
        want_bin = f"reframe-{{{{ version }}}}-{triple}/{exe}"
        if asset.get("file") != want_file:
            problem(MASON, where, f"file should be {want_file!r}, the archive release.yml makes")
        if asset.get("bin") != want_bin:
            problem(MASON, where, f"bin should be {want_bin!r}, where the archive holds it")
        if triple not in built:
            problem(MASON, where, f"release.yml builds no archive for {triple}")
        covered.add(triple)
    for triple in sorted(built - covered):
        problem(MASON, line_of(MASON, "asset:"), f"no asset for the release archive of {triple}")
    if (pkg.get("bin") or {}).get("reframe") != "{{source.asset.bin}}":
        problem(MASON, line_of(MASON, "bin:"), "bin must map reframe to {{source.asset.bin}}")


def check_formula(version):
    text = FORMULA.read_text()
    lines = text.splitlines()
    for n, line in enumerate(lines, 1):
        if line != line.rstrip():
            problem(FORMULA, n, "trailing whitespace")
        if "\t" in line:
            problem(FORMULA, n, "tab (brew style indents with two spaces)")
        if len(line) > 118:
            problem(FORMULA, n, "line longer than 118 characters")
    if not text.endswith("\n") or text.endswith("\n\n"):
        problem(FORMULA, len(lines), "must end with exactly one newline")
    if not re.search(r"^class ReframeLint < Formula$", text, re.M):
        problem(FORMULA, 1, "the class must be ReframeLint (from the file name reframe-lint.rb)")
    desc = re.search(r'^  desc "(.*)"$', text, re.M)
    if not desc:
        problem(FORMULA, 1, "no desc")
    else:
        d, n = desc.group(1), line_of(FORMULA, "  desc ")
        if len(d) > 80:
            problem(FORMULA, n, f"desc is {len(d)} characters (at most 80)")
        if re.match(r"(?i)(a|an|the)\b", d) or d.lower().startswith("reframe-lint"):
            problem(FORMULA, n, "desc must not start with an article or the formula name")
        if d.endswith("."):
            problem(FORMULA, n, "desc must not end with a full stop")
        if d[:1] != d[:1].upper():
            problem(FORMULA, n, "desc must start with a capital letter")
    # brew style's order of the top stanzas
    order = ["desc", "homepage", "url", "sha256", "license", "head"]
    found = [k for k in order if re.search(rf"^  {k} ", text, re.M)]
    if found != order:
        problem(FORMULA, 1, f"stanzas missing or out of order: want {order}, have {found}")
    elif [line_of(FORMULA, f"  {k} ") for k in order] != sorted(line_of(FORMULA, f"  {k} ") for k in order):
        problem(FORMULA, 1, f"stanzas out of order: want {order}")
    if 'license any_of: ["MIT", "Apache-2.0"]' not in text:
        problem(FORMULA, line_of(FORMULA, "license"), 'license must be any_of: ["MIT", "Apache-2.0"] (Cargo.toml)')
    want_url = f"https://github.com/reframe-tool/reframe/archive/refs/tags/v{version}.tar.gz"
    if f'url "{want_url}"' not in text:
        problem(FORMULA, line_of(FORMULA, "  url "), f"url must be {want_url} (Cargo.toml's version)")
    if not re.search(r'^  sha256 "[0-9a-f]{64}"$', text, re.M):
        problem(FORMULA, line_of(FORMULA, "sha256"), "sha256 must be 64 hex digits")
    if 'depends_on "rust" => :build' not in text:
        problem(FORMULA, 1, 'depends_on "rust" => :build is missing')
    if 'system "cargo", "install", *std_cargo_args' not in text:
        problem(FORMULA, line_of(FORMULA, "def install"), "install must run cargo install *std_cargo_args")
    test = text[text.find("  test do"):]
    if "  test do" not in text:
        problem(FORMULA, 1, "no test block")
    else:
        for needle, what in [
            ('"initialize"', "sends initialize"),
            ("reframe lsp", "starts reframe lsp"),
            ("serverInfo", "checks the server's answer"),
        ]:
            if needle not in test:
                problem(FORMULA, line_of(FORMULA, "test do"), f"the test block must do this: {what}")


def main():
    version = tomllib.loads(CARGO.read_text())["package"]["version"]
    check_crate()
    check_mason(version)
    check_formula(version)
    for p in problems:
        print(p)
    print(f"packaging definitions: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
