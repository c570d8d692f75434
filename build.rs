//! Embeds the built-in rule library: every `rules/*.toml` (not `rules/packs/`) is included in the
//! binary, so an installed `reframe` needs no other files.

use std::fmt::Write;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=rules");
    let mut files: Vec<_> = std::fs::read_dir("rules")
        .expect("rules/ folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut out = String::from("/// The built-in rule files: (path relative to the repository, contents).\npub static BUILTIN_RULE_FILES: &[(&str, &str)] = &[\n");
    for file in files {
        println!("cargo:rerun-if-changed={}", file.display());
        // Included from the checkout being compiled, not a path fixed when this script last
        // ran: a target folder copied from another checkout then still reads its own rules.
        writeln!(
            out,
            "    ({0:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/\", {0:?}))),",
            file.display().to_string(),
        )
        .unwrap();
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("builtin_rules.rs");
    std::fs::write(dest, out).unwrap();
}
