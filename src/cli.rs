//! The `reframe` command line. Every subcommand is a thin front end over [`Engine`].

use crate::config::{self, ProjectConfig, Settings, CONFIG_FILE_NAME, STARTER_CONFIG};
use crate::engine::{compile_user_rules, Engine, Report};
use crate::error::LocatedError;
use crate::fix::{apply_edits, preferred_edits, write_atomic};
use crate::load::{read_rule_path, BUILTIN_RULE_FILES};
use crate::output::{self, FileReport};
use crate::prose::DocKind;
use crate::rule::Severity;
use crate::ruletest;
use clap::{Parser, Subcommand, ValueEnum};
use std::collections::HashMap;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

/// Exit code: nothing at or above `--fail-on`.
pub const EXIT_CLEAN: i32 = 0;
/// Exit code: something at or above `--fail-on` was found.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: usage, I/O, rule or config error.
pub const EXIT_ERROR: i32 = 2;

#[derive(Parser)]
#[command(
    name = "reframe",
    version,
    about = "Catches stigmatizing, pathologizing and blaming language, and offers respectful reframes."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Human,
    Json,
    Sarif,
    Github,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ReportFormat {
    Md,
    Json,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum FailOn {
    Error,
    Warning,
    Info,
    Hint,
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Hint => Some(Severity::Hint),
            FailOn::Never => None,
        }
    }
}

#[derive(clap::Args)]
struct EngineArgs {
    /// Use this config file instead of the nearest `.reframe.toml`.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Extra rule file or folder (a rule pack); may be repeated.
    #[arg(long = "rules", value_name = "PACK")]
    rules: Vec<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Check files or folders (Markdown and text) and report findings.
    Check {
        /// Files or folders; `-` reads standard input.
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Exit 1 when a finding at or above this severity is found.
        #[arg(long, value_enum, default_value = "warning")]
        fail_on: FailOn,
        /// The name to report (and to pick Markdown or text by) for standard input.
        #[arg(long, value_name = "NAME")]
        stdin_filename: Option<String>,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Apply each finding's preferred reframe in place (atomic writes).
    Fix {
        /// Files or folders.
        paths: Vec<PathBuf>,
        /// Only apply these rules.
        #[arg(long = "rule", value_name = "ID")]
        rule: Vec<String>,
        /// Print a unified diff instead of writing.
        #[arg(long)]
        dry_run: bool,
        /// Apply findings at or above this severity.
        #[arg(long, value_enum, default_value = "warning")]
        fail_on: FailOn,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Explain one rule: message, why, reframes, sources and examples.
    Explain {
        /// The rule id.
        rule_id: String,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// List, test, evaluate or document rules.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Write a commented starter `.reframe.toml` in the current folder.
    Init {
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Summarise findings across drafts: counts by category and rule, recurring phrases,
    /// and each flagged sentence with its reframes.
    Report {
        /// Files or folders.
        paths: Vec<PathBuf>,
        /// Also write a self-contained HTML page with charts to this file.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
        /// What to print on standard output (Markdown unless only --html was asked for).
        #[arg(long, value_enum)]
        format: Option<ReportFormat>,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Serve the workshop drafting page in the browser.
    Serve {
        /// The address to listen on; 0.0.0.0 shares the page with the room's network.
        #[arg(long, default_value = "127.0.0.1")]
        host: std::net::IpAddr,
        /// The port; 0 picks a free one.
        #[arg(long, default_value_t = 7878)]
        port: u16,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Run the language server on standard input and output.
    Lsp {
        /// Accepted because clients announce the transport (vscode-languageclient adds it);
        /// standard input and output is the only one.
        #[arg(long)]
        stdio: bool,
    },
    /// Run the MCP server (Model Context Protocol) on standard input and output.
    Mcp {
        #[command(flatten)]
        engine: EngineArgs,
    },
}

#[derive(Subcommand)]
enum RulesCommand {
    /// List the rules.
    List {
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Check rules against their own examples (the built-in library when no file is given).
    Test {
        /// Rule files or folders.
        files: Vec<PathBuf>,
    },
    /// Score the library on a labelled corpus: recall per category and false alarms on traps.
    Eval {
        /// The corpus folder.
        #[arg(default_value = "tests/corpus")]
        dir: PathBuf,
        /// Also list every miss and false alarm.
        #[arg(long)]
        verbose: bool,
    },
    /// Print the rules reference (docs/rules.md) generated from the rule data.
    Docs,
    /// Print the JSON Schema of rule files.
    Schema,
}

/// Parses arguments and runs; returns the process exit code.
pub fn run() -> i32 {
    crate::log::install_private_panic_hook();
    if let Err(message) = crate::log::init_from_env() {
        eprintln!("reframe: {message}");
        return EXIT_ERROR;
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_CLEAN
            };
        }
    };
    let result = match cli.command {
        Command::Check {
            paths,
            format,
            fail_on,
            stdin_filename,
            engine,
        } => check(&paths, format, fail_on, stdin_filename.as_deref(), &engine),
        Command::Fix {
            paths,
            rule,
            dry_run,
            fail_on,
            engine,
        } => fix(&paths, &rule, dry_run, fail_on, &engine),
        Command::Explain { rule_id, engine } => explain(&rule_id, &engine),
        Command::Rules { command } => rules(command),
        Command::Init { force } => init(force),
        Command::Report {
            paths,
            html,
            format,
            engine,
        } => report(&paths, html.as_deref(), format, &engine),
        Command::Serve { host, port, engine } => engine_for_cwd(&engine).and_then(|engine| {
            crate::serve::run(engine, &crate::serve::ServeOptions { host, port })
                .map(|()| EXIT_CLEAN)
        }),
        Command::Mcp { engine } => {
            engine_for_cwd(&engine).and_then(|engine| crate::mcp::run(engine).map(|()| EXIT_CLEAN))
        }
        Command::Lsp { .. } => crate::lsp::run_stdio()
            .map(|()| EXIT_CLEAN)
            .map_err(|e| e.to_string()),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("reframe: {message}");
            EXIT_ERROR
        }
    }
}

/// Builds engines per config file, once each.
struct Engines<'a> {
    args: &'a EngineArgs,
    cache: HashMap<Option<PathBuf>, std::rc::Rc<Engine>>,
}

impl<'a> Engines<'a> {
    fn new(args: &'a EngineArgs) -> Self {
        Engines {
            args,
            cache: HashMap::new(),
        }
    }

    /// The engine for a file: `--config`, else the nearest `.reframe.toml`, else defaults.
    fn for_path(&mut self, path: &Path) -> Result<std::rc::Rc<Engine>, String> {
        let config_path = match &self.args.config {
            Some(p) => Some(p.clone()),
            None => config::discover(path),
        };
        if let Some(engine) = self.cache.get(&config_path) {
            return Ok(engine.clone());
        }
        let extra: Vec<&Path> = self.args.rules.iter().map(PathBuf::as_path).collect();
        let engine = match &config_path {
            Some(p) => {
                let config = ProjectConfig::read(p).map_err(|e| e.to_string())?;
                Engine::from_project(&config, &Settings::default(), &extra)
                    .map_err(|e| e.to_string())?
            }
            None => engine_without_config(&extra).map_err(|e| e.to_string())?,
        };
        let engine = std::rc::Rc::new(engine);
        self.cache.insert(config_path, engine.clone());
        Ok(engine)
    }
}

fn engine_without_config(extra: &[&Path]) -> Result<Engine, LocatedError> {
    let mut loaded = Vec::new();
    for path in extra {
        loaded.extend(read_rule_path(path)?);
    }
    let compiled = compile_user_rules(loaded)?;
    Engine::new(compiled, &Settings::default(), &|_, m| {
        LocatedError::whole_file(Path::new("--rules"), m)
    })
}

/// Expands folders into Markdown and text files (respecting .gitignore); files pass through.
fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            files.push(path.clone());
            continue;
        }
        let metadata = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
        if !metadata.is_dir() {
            files.push(path.clone());
            continue;
        }
        let mut found = crate::walk::prose_files(path);
        found.sort();
        files.extend(found);
    }
    Ok(files)
}

struct Checked {
    path: String,
    text: String,
    raw: Vec<u8>,
    report: Report,
}

fn read_and_lint(
    path: &Path,
    engines: &mut Engines<'_>,
    stdin_filename: Option<&str>,
) -> Result<Checked, String> {
    let (name, raw) = if path.as_os_str() == "-" {
        let mut raw = Vec::new();
        std::io::stdin()
            .read_to_end(&mut raw)
            .map_err(|e| format!("standard input: {e}"))?;
        (stdin_filename.unwrap_or("<stdin>").to_string(), raw)
    } else {
        let raw = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        (path.display().to_string(), raw)
    };
    let text = String::from_utf8(raw.clone()).map_err(|_| format!("{name}: not valid UTF-8"))?;
    let config_from = if path.as_os_str() == "-" {
        Path::new(".")
    } else {
        path
    };
    let engine = engines.for_path(config_from)?;
    let started = std::time::Instant::now();
    let report = engine.lint(&text, DocKind::from_path(&name));
    crate::log!(
        crate::log::Level::Debug,
        "{name}: {} bytes, {} findings in {:.1} ms",
        text.len(),
        report.findings.len(),
        started.elapsed().as_secs_f64() * 1e3
    );
    if crate::log::enabled(crate::log::Level::Trace) {
        for finding in &report.findings {
            crate::log!(
                crate::log::Level::Trace,
                "{name}: {} at bytes {}..{}",
                finding.rule.id,
                finding.range.start,
                finding.range.end
            );
        }
    }
    Ok(Checked {
        path: name,
        text,
        raw,
        report,
    })
}

/// Lints every file under `paths` (the current folder when none are given).
fn lint_all(
    paths: &[PathBuf],
    engines: &mut Engines<'_>,
    stdin_filename: Option<&str>,
) -> Result<Vec<Checked>, String> {
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    expand(&paths)?
        .iter()
        .map(|file| read_and_lint(file, engines, stdin_filename))
        .collect()
}

fn file_reports(checked: &[Checked]) -> Vec<FileReport<'_>> {
    checked
        .iter()
        .map(|c| FileReport {
            path: &c.path,
            text: &c.text,
            findings: &c.report.findings,
            notices: &c.report.notices,
        })
        .collect()
}

fn check(
    paths: &[PathBuf],
    format: Format,
    fail_on: FailOn,
    stdin_filename: Option<&str>,
    args: &EngineArgs,
) -> Result<i32, String> {
    let mut engines = Engines::new(args);
    let checked = lint_all(paths, &mut engines, stdin_filename)?;
    let reports = file_reports(&checked);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = match format {
        Format::Human => output::human(&mut out, &reports, stdout_is_color()),
        Format::Json => serde_json::to_writer_pretty(&mut out, &output::json(&reports))
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(out)),
        Format::Github => output::github(&mut out, &reports),
        Format::Sarif => {
            let rules: Vec<_> = engines
                .cache
                .values()
                .flat_map(|e| e.rules().cloned().collect::<Vec<_>>())
                .collect();
            serde_json::to_writer_pretty(&mut out, &output::sarif(&reports, &rules))
                .map_err(std::io::Error::other)
                .and_then(|()| writeln!(out))
        }
    };
    written.map_err(|e| format!("cannot write output: {e}"))?;
    let failed = fail_on.threshold().is_some_and(|threshold| {
        checked
            .iter()
            .flat_map(|c| &c.report.findings)
            .any(|f| f.severity >= threshold)
    });
    Ok(if failed { EXIT_FINDINGS } else { EXIT_CLEAN })
}

fn report(
    paths: &[PathBuf],
    html: Option<&Path>,
    format: Option<ReportFormat>,
    args: &EngineArgs,
) -> Result<i32, String> {
    let checked = lint_all(paths, &mut Engines::new(args), None)?;
    let summary = crate::report::Summary::new(&file_reports(&checked));
    if let Some(path) = html {
        write_whole_file(path, &crate::report::html(&summary))?;
        eprintln!("wrote {}", path.display());
    }
    let printed = match format.or(html.is_none().then_some(ReportFormat::Md)) {
        Some(ReportFormat::Md) => crate::report::markdown(&summary),
        Some(ReportFormat::Json) => {
            serde_json::to_string_pretty(&summary)
                .map_err(|e| format!("cannot encode the report: {e}"))?
                + "\n"
        }
        None => String::new(),
    };
    std::io::stdout()
        .lock()
        .write_all(printed.as_bytes())
        .map_err(|e| format!("cannot write output: {e}"))?;
    Ok(EXIT_CLEAN)
}

/// Writes a new file through a temporary file and a rename, so a reader never sees half.
fn write_whole_file(path: &Path, contents: &str) -> Result<(), String> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".reframe-").suffix(".tmp");
    // A report is shared like any new file (the umask applies), not private like a temp file.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temp = builder
        .tempfile_in(folder)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    temp.write_all(contents.as_bytes())
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    temp.persist(path)
        .map_err(|e| format!("{}: {}", path.display(), e.error))?;
    Ok(())
}

fn stdout_is_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn fix(
    paths: &[PathBuf],
    only: &[String],
    dry_run: bool,
    fail_on: FailOn,
    args: &EngineArgs,
) -> Result<i32, String> {
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let min = fail_on.threshold().unwrap_or(Severity::Hint);
    let mut engines = Engines::new(args);
    let mut changed = 0;
    let mut errors = 0;
    for file in expand(&paths)? {
        if file.as_os_str() == "-" {
            return Err("`fix` works on files, not standard input".into());
        }
        let checked = read_and_lint(&file, &mut engines, None)?;
        for id in only {
            if engines.for_path(&file)?.rule(id).is_none() {
                return Err(format!("unknown rule id `{id}`"));
            }
        }
        let edits = preferred_edits(
            checked
                .report
                .findings
                .iter()
                .filter(|f| only.is_empty() || only.contains(&f.rule.id)),
            min,
        );
        if edits.is_empty() {
            continue;
        }
        let new_text = apply_edits(&checked.text, &edits);
        if dry_run {
            let diff = similar::TextDiff::from_lines(&checked.text, &new_text);
            print!(
                "{}",
                diff.unified_diff().context_radius(2).header(
                    &format!("a/{}", checked.path),
                    &format!("b/{}", checked.path)
                )
            );
            changed += 1;
            continue;
        }
        match write_atomic(&file, &checked.raw, &new_text) {
            Ok(()) => {
                changed += 1;
                eprintln!(
                    "fixed {} ({} reframe{})",
                    checked.path,
                    edits.len(),
                    if edits.len() == 1 { "" } else { "s" }
                );
            }
            Err(e) => {
                errors += 1;
                eprintln!("reframe: {}: {e}", checked.path);
            }
        }
    }
    if errors > 0 {
        return Ok(EXIT_ERROR);
    }
    Ok(if dry_run && changed > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}

fn engine_for_cwd(args: &EngineArgs) -> Result<Engine, String> {
    let extra: Vec<&Path> = args.rules.iter().map(PathBuf::as_path).collect();
    match args
        .config
        .clone()
        .or_else(|| config::discover(Path::new(".")))
    {
        Some(p) => {
            let config = ProjectConfig::read(&p).map_err(|e| e.to_string())?;
            Engine::from_project(&config, &Settings::default(), &extra).map_err(|e| e.to_string())
        }
        None => engine_without_config(&extra).map_err(|e| e.to_string()),
    }
}

fn explain(id: &str, args: &EngineArgs) -> Result<i32, String> {
    let engine = engine_for_cwd(args)?;
    let rule = engine
        .rule(id)
        .ok_or_else(|| format!("unknown rule id `{id}` (see `reframe rules list`)"))?;
    let mut out = String::new();
    use std::fmt::Write as _;
    writeln!(
        out,
        "{} ({}, default {})",
        rule.id, rule.category, rule.severity
    )
    .unwrap();
    writeln!(out, "\n{}\n", rule.message).unwrap();
    writeln!(out, "Why: {}\n", rule.why.trim()).unwrap();
    if !rule.reframes.is_empty() {
        writeln!(out, "Reframes:").unwrap();
        for r in &rule.reframes {
            writeln!(out, "  - {r}").unwrap();
        }
        out.push('\n');
    }
    writeln!(out, "Sources:").unwrap();
    for s in &rule.sources {
        writeln!(out, "  - {} <{}>", s.title, s.url).unwrap();
    }
    writeln!(out, "\nFlags:").unwrap();
    for e in &rule.examples.flag {
        writeln!(out, "  ✗ {e}").unwrap();
    }
    writeln!(out, "Leaves alone:").unwrap();
    for e in &rule.examples.pass {
        writeln!(out, "  ✓ {e}").unwrap();
    }
    print!("{out}");
    Ok(EXIT_CLEAN)
}

fn rules(command: RulesCommand) -> Result<i32, String> {
    match command {
        RulesCommand::List { format, engine } => {
            let engine = engine_for_cwd(&engine)?;
            if format == Format::Json {
                let list: Vec<_> = engine
                    .rules()
                    .map(|r| {
                        serde_json::json!({
                            "id": r.id, "category": r.category, "severity": r.severity,
                            "effective_severity": engine.severity_of(&r.id),
                            "message": r.message, "reframes": r.reframes,
                        })
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&list).unwrap());
            } else {
                for r in engine.rules() {
                    println!(
                        "{:<36} {:<10} {:<8} {}",
                        r.id,
                        r.category.as_str(),
                        r.severity.as_str(),
                        r.message
                    );
                }
            }
            Ok(EXIT_CLEAN)
        }
        RulesCommand::Test { files } => {
            let loaded = if files.is_empty() {
                crate::load::builtin_rules()
            } else {
                let mut loaded = Vec::new();
                for f in &files {
                    loaded.extend(read_rule_path(f).map_err(|e| e.to_string())?);
                }
                loaded
            };
            let failures = ruletest::run_examples(&loaded, &|path| {
                BUILTIN_RULE_FILES
                    .iter()
                    .find(|(p, _)| Path::new(p) == path)
                    .map(|(_, s)| s.to_string())
                    .or_else(|| std::fs::read_to_string(path).ok())
            });
            for f in &failures {
                println!("{f}");
            }
            let examples: usize = loaded
                .iter()
                .map(|l| l.rule.examples.flag.len() + l.rule.examples.pass.len())
                .sum();
            println!(
                "{} rules, {examples} examples: {} passed, {} failed",
                loaded.len(),
                examples - failures.len().min(examples),
                failures.len()
            );
            Ok(if failures.is_empty() {
                EXIT_CLEAN
            } else {
                EXIT_FINDINGS
            })
        }
        RulesCommand::Eval { dir, verbose } => {
            let engine = ruletest::default_engine();
            let scores = ruletest::evaluate(&engine, &dir)?;
            println!(
                "{:<10} {:>8} {:>8} {:>8} {:>7} {:>7} {:>9}",
                "category", "phrases", "caught", "recall", "traps", "alarms", "alarm %"
            );
            let (mut p, mut c, mut t, mut a) = (0, 0, 0, 0);
            for (name, s) in &scores {
                println!(
                    "{:<10} {:>8} {:>8} {:>7.1}% {:>7} {:>7} {:>8.1}%",
                    name,
                    s.phrases,
                    s.caught,
                    pct(s.caught, s.phrases),
                    s.traps,
                    s.false_alarms,
                    pct(s.false_alarms, s.traps)
                );
                p += s.phrases;
                c += s.caught;
                t += s.traps;
                a += s.false_alarms;
            }
            println!(
                "{:<10} {:>8} {:>8} {:>7.1}% {:>7} {:>7} {:>8.1}%",
                "total",
                p,
                c,
                pct(c, p),
                t,
                a,
                pct(a, t)
            );
            if verbose {
                for (name, s) in &scores {
                    for problem in &s.problems {
                        println!("{name}: {problem}");
                    }
                }
            }
            Ok(EXIT_CLEAN)
        }
        RulesCommand::Docs => {
            print!(
                "{}",
                crate::docs::rules_markdown(&ruletest::default_engine())
            );
            Ok(EXIT_CLEAN)
        }
        RulesCommand::Schema => {
            println!(
                "{}",
                serde_json::to_string_pretty(&crate::rule::rule_file_schema()).unwrap()
            );
            Ok(EXIT_CLEAN)
        }
    }
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        100.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

fn init(force: bool) -> Result<i32, String> {
    let path = Path::new(CONFIG_FILE_NAME);
    if path.exists() && !force {
        return Err(format!(
            "{CONFIG_FILE_NAME} already exists (use --force to overwrite)"
        ));
    }
    std::fs::write(path, STARTER_CONFIG)
        .map_err(|e| format!("cannot write {CONFIG_FILE_NAME}: {e}"))?;
    eprintln!("wrote {CONFIG_FILE_NAME}");
    Ok(EXIT_CLEAN)
}
