//! Embeds the built-in rule library: every `rules/*.toml` (not `rules/packs/`) is included in the
//! binary, so an installed `reframe` needs no other files; and each file is parsed here too, its
//! rules embedded as JSON, since parsing the TOML was the largest part of every start.

#[path = "src/rule_header.rs"]
mod rule_header;

use rule_header::header_start;
use std::fmt::Write;
use std::path::Path;

/// Rules are embedded in pieces of about this much rule file, parsed on a thread each at start.
const PIECE_BYTES: usize = 64 * 1024;

#[derive(serde::Deserialize)]
struct RuleFile {
    #[serde(default)]
    rule: Vec<toml::Spanned<toml::Value>>,
}

fn main() {
    println!("cargo:rerun-if-changed=rules");
    let mut files: Vec<_> = std::fs::read_dir("rules")
        .expect("rules/ folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut sources = String::from("/// The built-in rule files: (path relative to the repository, contents).\npub static BUILTIN_RULE_FILES: &[(&str, &str)] = &[\n");
    let mut pieces = String::from("/// The built-in rules as `build.rs` parsed them: (path, JSON array of `[line, rule]`), in\n/// pieces of about 64 KB of rule file. A file that does not parse embeds no piece; the test\n/// suite parses every file as written and compares.\npub static BUILTIN_RULE_PIECES: &[(&str, &str)] = &[\n");
    for file in files {
        println!("cargo:rerun-if-changed={}", file.display());
        let path = file.display().to_string();
        // Included from the checkout being compiled, not a path fixed when this script last
        // ran: a target folder copied from another checkout then still reads its own rules.
        writeln!(
            sources,
            "    ({path:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/\", {path:?}))),",
        )
        .unwrap();
        let text = std::fs::read_to_string(&file).expect("rule file is UTF-8");
        let parsed = match toml::from_str::<RuleFile>(&text) {
            Ok(parsed) => parsed,
            Err(e) => {
                let message = e.to_string().replace('\n', " ");
                println!("cargo:warning={path} is not embedded: {message}");
                continue;
            }
        };
        let mut piece: Vec<(usize, toml::Value)> = Vec::new();
        let mut piece_start = 0;
        let (mut counted_to, mut line) = (0, 1);
        for spanned in parsed.rule {
            let start = header_start(&text, spanned.span().start);
            line += text.as_bytes()[counted_to..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            counted_to = start;
            if start - piece_start > PIECE_BYTES && !piece.is_empty() {
                write_piece(&mut pieces, &path, &std::mem::take(&mut piece));
                piece_start = start;
            }
            piece.push((line, spanned.into_inner()));
        }
        if !piece.is_empty() {
            write_piece(&mut pieces, &path, &piece);
        }
    }
    sources.push_str("];\n");
    pieces.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("builtin_rules.rs");
    std::fs::write(dest, sources + &pieces).unwrap();
}

fn write_piece(out: &mut String, path: &str, rules: &[(usize, toml::Value)]) {
    let json = serde_json::to_string(rules).expect("TOML values convert to JSON");
    writeln!(out, "    ({path:?}, {json:?}),").unwrap();
}
