//! The `reframe` command line. Every subcommand is a thin front end over [`Engine`].

use crate::builder::EngineBuilder;
use crate::config::{self, CONFIG_FILE_NAME, STARTER_CONFIG};
use crate::engine::{Engine, Library, Report};
use crate::error::{Error, Result};
use crate::files::{self, Expect};
use crate::fix::{apply_edits, preferred_edits, FixScope};
use crate::load::{read_rule_path, BUILTIN_RULE_FILES};
use crate::output::{self, FileReport};
use crate::prose::DocKind;
use crate::rule::{FixSafety, Severity};
use crate::{realcorpus, ruletest};
use clap::{Parser, Subcommand, ValueEnum};
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// `println!` that reports a failed write (a closed pipe) as [`Error::Output`] instead of
/// panicking.
macro_rules! outln {
    ($($arg:tt)*) => {
        writeln!(std::io::stdout().lock(), $($arg)*).map_err(Error::Output)?
    };
}

/// `print!` that reports a failed write as [`Error::Output`].
macro_rules! out {
    ($($arg:tt)*) => {
        write!(std::io::stdout().lock(), $($arg)*).map_err(Error::Output)?
    };
}

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

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum MinSeverity {
    Error,
    Warning,
    Info,
    Hint,
}

impl MinSeverity {
    fn severity(self) -> Severity {
        match self {
            MinSeverity::Error => Severity::Error,
            MinSeverity::Warning => Severity::Warning,
            MinSeverity::Info => Severity::Info,
            MinSeverity::Hint => Severity::Hint,
        }
    }
}

#[derive(clap::Args)]
struct EngineArgs {
    /// Use this config file instead of the nearest `.reframe.toml`.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Extra rule file or folder (a rule pack), or a word list (`.csv`: term,category[,reframe];
    /// `.txt`: one term a line); may be repeated.
    #[arg(long = "rules", value_name = "PACK")]
    rules: Vec<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Input {
    /// Markdown and text documents.
    Documents,
    /// JSON Lines records (`{"id": …, "text": …}`), one JSON line out per finding.
    Jsonl,
}

#[derive(clap::Args)]
struct InputArgs {
    /// What the files (or standard input) hold.
    #[arg(long, value_enum, default_value = "documents")]
    input: Input,
    /// With `--input jsonl`: the field that names each record.
    #[arg(long, default_value = "id", value_name = "NAME")]
    id_field: String,
    /// With `--input jsonl`: the field that holds each record's text.
    #[arg(long, default_value = "text", value_name = "NAME")]
    text_field: String,
    /// Threads to lint on (default: every core).
    #[arg(long, value_name = "N")]
    jobs: Option<std::num::NonZeroUsize>,
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
        input: InputArgs,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Apply each finding's preferred reframe in place (atomic writes): only safe reframes,
    /// which keep the meaning, unless `--unsafe`.
    Fix {
        /// Files or folders.
        paths: Vec<PathBuf>,
        /// Also apply suggestions: reframes that may change what a sentence says and need the
        /// writer's judgement (review the result, or use `--dry-run` first).
        #[arg(long = "unsafe")]
        unsafe_fixes: bool,
        /// Only apply these rules.
        #[arg(long = "rule", value_name = "ID")]
        rule: Vec<String>,
        /// Print a unified diff instead of writing.
        #[arg(long)]
        dry_run: bool,
        /// Apply reframes of findings at or above this severity.
        #[arg(long, value_enum, default_value = "warning", value_name = "SEVERITY")]
        min_severity: MinSeverity,
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
    /// The browser extension's helper, started by the browser; `install` registers it.
    NativeHost(crate::native_host::NativeHostArgs),
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
    /// Score the library on a labelled corpus: recall per category and false alarms on traps,
    /// then the real-text corpus in its `real/` folder, each half by kind and by category.
    Eval {
        /// The corpus folder.
        #[arg(default_value = "tests/corpus")]
        dir: PathBuf,
        /// Also list every miss and false alarm (of the real corpus, the `tune` half's only).
        #[arg(long)]
        verbose: bool,
    },
    /// Print the rules reference (docs/rules.md) generated from the rule data.
    Docs,
    /// Print the source index (docs/sources.md): every cited source and the rules citing it.
    Sources,
    /// Print every safe reframe with what it makes of its rule's examples, for review
    /// (docs/safe-fixes.md): the built-in rules, plus any rule files or folders given.
    SafeFixes {
        /// Extra rule files or folders (packs).
        files: Vec<PathBuf>,
    },
    /// Print the JSON Schema of rule files.
    Schema,
}

/// Parses the process's arguments and runs; returns the process exit code.
pub fn run() -> i32 {
    run_with_args(std::env::args_os())
}

/// Parses `args` (the first is the program name) and runs; returns the exit code. The Python
/// package's `reframe` command passes its `sys.argv` here, so it is this command exactly.
pub fn run_with_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> i32 {
    crate::log::install_private_panic_hook();
    if let Err(error) = crate::log::init_from_env() {
        eprintln!("reframe: {error}");
        return EXIT_ERROR;
    }
    let cli = match Cli::try_parse_from(args) {
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
            input,
            engine,
        } => crate::cores::use_cores(input.jobs).and_then(|()| match input.input {
            Input::Documents => check(&paths, format, fail_on, stdin_filename.as_deref(), &engine),
            Input::Jsonl => check_jsonl(&paths, &input, fail_on, &engine),
        }),
        Command::Fix {
            paths,
            unsafe_fixes,
            rule,
            dry_run,
            min_severity,
            engine,
        } => {
            let scope = if unsafe_fixes {
                FixScope::WithSuggestions
            } else {
                FixScope::SafeOnly
            };
            fix(&paths, &rule, scope, dry_run, min_severity, &engine)
        }
        Command::Explain { rule_id, engine } => explain(&rule_id, &engine),
        Command::Rules { command } => rules(command),
        Command::Init { force } => init(force),
        Command::Report {
            paths,
            html,
            format,
            engine,
        } => report(&paths, html.as_deref(), format, &engine),
        Command::Serve { host, port, engine } => engine.engine_for_cwd().and_then(|engine| {
            crate::serve::run(engine, &crate::serve::ServeOptions { host, port })
                .map(|()| EXIT_CLEAN)
        }),
        Command::NativeHost(args) => crate::native_host::main(args),
        Command::Mcp { engine } => engine.engine_for_cwd().and_then(|engine| {
            crate::mcp::run(engine)
                .map(|()| EXIT_CLEAN)
                .map_err(|source| Error::Service {
                    what: "run the MCP server".into(),
                    source,
                })
        }),
        Command::Lsp { .. } => crate::lsp::run_stdio()
            .map(|()| EXIT_CLEAN)
            .map_err(|source| Error::Service {
                what: "run the language server".into(),
                source,
            }),
    };
    match result {
        Ok(code) => code,
        Err(error) if error.is_broken_pipe() => EXIT_CLEAN,
        Err(error) => {
            eprintln!("reframe: {error}");
            EXIT_ERROR
        }
    }
}

/// The engines of one run, one per config file, each built once.
struct ConfigEngines<'a> {
    args: &'a EngineArgs,
    cache: HashMap<Option<PathBuf>, Arc<Engine>>,
}

impl<'a> ConfigEngines<'a> {
    fn new(args: &'a EngineArgs) -> Self {
        ConfigEngines {
            args,
            cache: HashMap::new(),
        }
    }

    /// The engine for a file: `--config`, else the nearest `.reframe.toml`, else defaults.
    fn for_path(&mut self, path: &Path) -> Result<Arc<Engine>> {
        let config_path = match &self.args.config {
            Some(p) => Some(p.clone()),
            None => config::discover(path),
        };
        if let Some(engine) = self.cache.get(&config_path) {
            return Ok(engine.clone());
        }
        let engine = Arc::new(self.args.builder(config_path.as_deref())?.build()?);
        self.cache.insert(config_path, engine.clone());
        Ok(engine)
    }
}

impl EngineArgs {
    /// The builder for these arguments, with the config file at `config_path` if any.
    fn builder(&self, config_path: Option<&Path>) -> Result<EngineBuilder> {
        let builder = EngineBuilder::new().rule_paths(&self.rules);
        Ok(match config_path {
            Some(path) => builder.config_file(path)?,
            None => builder,
        })
    }

    /// The engine for the current folder: `--config`, else the nearest `.reframe.toml`.
    fn engine_for_cwd(&self) -> Result<Engine> {
        let config_path = self
            .config
            .clone()
            .or_else(|| config::discover(Path::new(".")));
        Ok(self.builder(config_path.as_deref())?.build()?)
    }
}

/// Expands folders into prose files (respecting `.gitignore` and `.ignore`); named files pass
/// through whatever their kind. A path that does not exist is an error in its place, and the
/// rest are still checked.
fn expand(paths: &[PathBuf]) -> Vec<Result<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            files.push(Ok(path.clone()));
            continue;
        }
        match std::fs::metadata(path) {
            Ok(metadata) if metadata.is_dir() => {
                let mut found = crate::walk::prose_files(path);
                found.sort();
                files.extend(found.into_iter().map(Ok));
            }
            Ok(_) => files.push(Ok(path.clone())),
            Err(e) => files.push(Err(Error::io(path, e))),
        }
    }
    files
}

/// One document, read and linted.
struct Checked {
    path: String,
    text: String,
    /// The bytes as read, when not the text's own (see [`files::Decoded::raw`]).
    raw: Option<Vec<u8>>,
    /// How the file was decoded when it was not UTF-8; such a file is never rewritten. Printed
    /// when the file's turn comes, so notices and errors keep the order of the files.
    decoded: Option<crate::error::LocatedError>,
    report: Report,
}

impl Checked {
    /// Says on standard error how the file was decoded, if it had to be.
    fn announce(&self) {
        if let Some(notice) = &self.decoded {
            eprintln!("reframe: {notice}");
        }
    }
}

/// The path whose config applies to `path`: the current folder's for standard input.
fn config_origin(path: &Path) -> &Path {
    if path.as_os_str() == "-" {
        Path::new(".")
    } else {
        path
    }
}

/// A document read for linting: its name for messages, and its text as decoded.
struct Document {
    name: String,
    decoded: files::Decoded,
}

fn read_document(path: &Path, stdin_filename: Option<&str>) -> Result<Document> {
    let (name, decoded) = if path.as_os_str() == "-" {
        let name = stdin_filename.unwrap_or("<stdin>");
        let mut raw = Vec::new();
        std::io::stdin()
            .read_to_end(&mut raw)
            .map_err(|e| Error::io(Path::new(name), e))?;
        (name.to_string(), files::decode(Path::new(name), raw))
    } else {
        (path.display().to_string(), files::read_text(path)?)
    };
    Ok(Document { name, decoded })
}

fn lint_document(document: Document, engine: &Engine) -> Checked {
    let Document { name, decoded } = document;
    let started = std::time::Instant::now();
    let report = engine.lint(&decoded.text, DocKind::from_path(&name));
    crate::log!(
        crate::log::Level::Debug,
        "{name}: {} bytes, {} findings in {:.1} ms",
        decoded.text.len(),
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
    Checked {
        path: name,
        decoded: decoded.notice,
        text: decoded.text,
        raw: decoded.raw,
        report,
    }
}

/// How a run over many files went: files that could not be checked were reported on standard
/// error as they came, and make the exit status 2 at the end.
#[derive(Default)]
struct Tally {
    files: usize,
    errors: usize,
}

impl Tally {
    /// Reports a file that could not be checked, and goes on.
    fn failed(&mut self, error: &Error) {
        self.errors += 1;
        eprintln!("reframe: {error}");
    }
}

/// Lints every file under `paths` (the current folder when none are given) and hands each to
/// `each` as soon as it is done, in order. A file that cannot be read or configured is reported
/// and skipped; an error from `each` (output) ends the run.
fn lint_each(
    paths: &[PathBuf],
    engines: &mut ConfigEngines<'_>,
    stdin_filename: Option<&str>,
    mut each: impl FnMut(Checked) -> Result<()>,
) -> Result<Tally> {
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let mut tally = Tally::default();
    let mut files = expand(&paths).into_iter().peekable();
    while files.peek().is_some() {
        // A window of files, their engines found in order (building an engine per config
        // file once) while the files are read, then linted on all cores and handed on in
        // order. A first engine takes about as long to build as a large file takes to read.
        let mut window = Vec::new();
        let mut window_bytes = 0;
        while window.len() < LINT_WINDOW_FILES && window_bytes < LINT_WINDOW_BYTES {
            let Some(file) = files.next() else { break };
            window_bytes += file
                .as_ref()
                .ok()
                .and_then(|f| std::fs::metadata(f).ok())
                .map_or(0, |m| m.len());
            window.push(file);
        }
        let (found, read): (Vec<_>, Vec<_>) = rayon::join(
            || {
                window
                    .iter()
                    .map(|file| match file {
                        Ok(file) => engines.for_path(config_origin(file)).map(Some),
                        Err(_) => Ok(None),
                    })
                    .collect()
            },
            || {
                window
                    .par_iter()
                    .map(|file| match file {
                        Ok(file) => read_document(file, stdin_filename).map(Some),
                        Err(_) => Ok(None),
                    })
                    .collect()
            },
        );
        let jobs: Vec<Result<(Document, Arc<Engine>)>> = window
            .into_iter()
            .zip(found.into_iter().zip(read))
            .map(|(file, (engine, document))| {
                file?;
                match (engine?, document?) {
                    (Some(engine), Some(document)) => Ok((document, engine)),
                    _ => unreachable!("a file that was found has an engine and a document"),
                }
            })
            .collect();
        let checked: Vec<Result<Checked>> = jobs
            .into_par_iter()
            .map(|job| job.map(|(document, engine)| lint_document(document, &engine)))
            .collect();
        for result in checked {
            match result {
                Ok(checked) => {
                    tally.files += 1;
                    checked.announce();
                    each(checked)?;
                }
                Err(error) => tally.failed(&error),
            }
        }
    }
    Ok(tally)
}

/// How many files, or bytes of them, [`lint_each`] holds at once: enough to keep every core
/// busy, few enough that memory does not follow the folder's size.
const LINT_WINDOW_FILES: usize = 64;
const LINT_WINDOW_BYTES: u64 = 64 << 20;

fn file_report(c: &Checked) -> FileReport<'_> {
    FileReport {
        path: &c.path,
        text: &c.text,
        findings: &c.report.findings,
        notices: &c.report.notices,
    }
}

fn check(
    paths: &[PathBuf],
    format: Format,
    fail_on: FailOn,
    stdin_filename: Option<&str>,
    args: &EngineArgs,
) -> Result<i32> {
    let mut engines = ConfigEngines::new(args);
    // Standard output flushes at every line; a file's findings go out in large writes instead,
    // flushed when the file is done.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let color = stdout_is_color();
    let mut counts = output::Counts::default();
    let mut failed = false;
    let mut sarif_files = Vec::new();
    let mut json = output::JsonArray::default();
    let tally = lint_each(paths, &mut engines, stdin_filename, |checked| {
        counts.add(&checked.report.findings);
        failed |= fail_on.threshold().is_some_and(|threshold| {
            checked
                .report
                .findings
                .iter()
                .any(|f| f.severity >= threshold)
        });
        let report = file_report(&checked);
        match format {
            Format::Human => output::human(&mut out, &[report], color),
            Format::Json => json.write(&mut out, &report),
            Format::Github => output::github(&mut out, &[report]),
            Format::Sarif => {
                sarif_files.push(checked);
                Ok(())
            }
        }
        .and_then(|()| out.flush())
        .map_err(Error::Output)
    })?;
    match format {
        Format::Human => writeln!(out, "{}", counts.summary(tally.files, tally.errors)),
        Format::Json => json.finish(&mut out),
        Format::Github => Ok(()),
        Format::Sarif => {
            let rules: Vec<_> = engines
                .cache
                .values()
                .flat_map(|e| e.rules().cloned().collect::<Vec<_>>())
                .collect();
            let reports: Vec<_> = sarif_files.iter().map(file_report).collect();
            let log = output::sarif(&reports, &rules);
            let written = serde_json::to_writer_pretty(&mut out, &log)
                .map_err(std::io::Error::other)
                .and_then(|()| writeln!(out));
            written
        }
    }
    .and_then(|()| out.flush())
    .map_err(Error::Output)?;
    Ok(if tally.errors > 0 {
        EXIT_ERROR
    } else if failed {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}

/// `check --input jsonl`: records from each file (or standard input) in turn, findings as JSON
/// lines on standard output.
fn check_jsonl(
    paths: &[PathBuf],
    input: &InputArgs,
    fail_on: FailOn,
    args: &EngineArgs,
) -> Result<i32> {
    let engine = args.engine_for_cwd()?;
    let fields = crate::jsonl::Fields {
        id: input.id_field.clone(),
        text: input.text_field.clone(),
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut tally = crate::jsonl::Tally::default();
    let mut unreadable = 0;
    let stdin_only = [PathBuf::from("-")];
    for path in if paths.is_empty() {
        &stdin_only[..]
    } else {
        paths
    } {
        let (name, reader): (String, Box<dyn std::io::BufRead + Send>) = if path.as_os_str() == "-"
        {
            (
                "<stdin>".into(),
                Box::new(std::io::BufReader::with_capacity(1 << 20, std::io::stdin())),
            )
        } else {
            match std::fs::File::open(path) {
                Ok(file) => (
                    path.display().to_string(),
                    Box::new(std::io::BufReader::with_capacity(1 << 20, file)),
                ),
                Err(e) => {
                    unreadable += 1;
                    eprintln!("reframe: {}", Error::io(path, e));
                    continue;
                }
            }
        };
        crate::jsonl::check(
            &engine,
            &fields,
            &name,
            reader,
            &mut out,
            &mut tally,
            &mut |e| eprintln!("reframe: {e}"),
        )?;
    }
    let failed = fail_on
        .threshold()
        .is_some_and(|threshold| tally.worst.is_some_and(|worst| worst >= threshold));
    Ok(if tally.errors + unreadable > 0 {
        EXIT_ERROR
    } else if failed {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}

fn report(
    paths: &[PathBuf],
    html: Option<&Path>,
    format: Option<ReportFormat>,
    args: &EngineArgs,
) -> Result<i32> {
    // Each file is counted as it comes and its text dropped: the summary keeps counts and a
    // sample of sentences, not the corpus.
    let mut summary = crate::report::SummaryBuilder::default();
    let tally = lint_each(paths, &mut ConfigEngines::new(args), None, |c| {
        summary.add(&file_report(&c));
        Ok(())
    })?;
    let summary = summary.finish();
    if let Some(path) = html {
        files::write_atomic(path, &crate::report::html(&summary), Expect::Anything)?;
        eprintln!("wrote {}", path.display());
    }
    let printed = match format.or(html.is_none().then_some(ReportFormat::Md)) {
        Some(ReportFormat::Md) => crate::report::markdown(&summary),
        Some(ReportFormat::Json) => {
            serde_json::to_string_pretty(&summary).expect("a summary serialises") + "\n"
        }
        None => String::new(),
    };
    std::io::stdout()
        .lock()
        .write_all(printed.as_bytes())
        .map_err(Error::Output)?;
    Ok(if tally.errors > 0 {
        EXIT_ERROR
    } else {
        EXIT_CLEAN
    })
}

fn stdout_is_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn fix(
    paths: &[PathBuf],
    only: &[String],
    scope: FixScope,
    dry_run: bool,
    min_severity: MinSeverity,
    args: &EngineArgs,
) -> Result<i32> {
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    if paths.iter().any(|p| p.as_os_str() == "-") {
        return Err(Error::Invalid(
            "`fix` works on files, not standard input".into(),
        ));
    }
    let min = min_severity.severity();
    let mut engines = ConfigEngines::new(args);
    let mut tally = Tally::default();
    let mut changed = 0;
    let mut suggestions_left = 0;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for file in expand(&paths) {
        let checked = match file.and_then(|file| {
            let engine = engines.for_path(&file)?;
            let checked = lint_document(read_document(&file, None)?, &engine);
            if let Some(id) = only.iter().find(|id| engine.rule(id).is_none()) {
                return Err(unknown_rule(id, &engine));
            }
            Ok((file, checked))
        }) {
            Ok(checked) => checked,
            Err(error) => {
                tally.failed(&error);
                continue;
            }
        };
        let (file, checked) = checked;
        checked.announce();
        let chosen = || {
            checked
                .report
                .findings
                .iter()
                .filter(|f| only.is_empty() || only.contains(&f.rule.id))
        };
        let edits = preferred_edits(chosen(), min, scope);
        if scope == FixScope::SafeOnly {
            let all = preferred_edits(chosen(), min, FixScope::WithSuggestions).len();
            suggestions_left += all.saturating_sub(edits.len());
        }
        if edits.is_empty() || checked.decoded.is_some() {
            continue;
        }
        let new_text = apply_edits(&checked.text, &edits);
        if dry_run {
            let diff = similar::TextDiff::from_lines(&checked.text, &new_text);
            write!(
                out,
                "{}",
                diff.unified_diff().context_radius(2).header(
                    &format!("a/{}", checked.path),
                    &format!("b/{}", checked.path)
                )
            )
            .map_err(Error::Output)?;
            changed += 1;
            continue;
        }
        match files::write_atomic(
            &file,
            &new_text,
            Expect::Unchanged(checked.raw.as_deref().unwrap_or(checked.text.as_bytes())),
        ) {
            Ok(()) => {
                changed += 1;
                eprintln!(
                    "fixed {} ({} reframe{})",
                    checked.path,
                    edits.len(),
                    if edits.len() == 1 { "" } else { "s" }
                );
            }
            Err(error) => tally.failed(&error),
        }
    }
    if suggestions_left > 0 {
        eprintln!(
            "{suggestions_left} suggestion{} not applied, as a suggestion may change what a \
             sentence says: review with `reframe check`, or apply with `reframe fix --unsafe`",
            if suggestions_left == 1 { "" } else { "s" },
        );
    }
    Ok(if tally.errors > 0 {
        EXIT_ERROR
    } else if dry_run && changed > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}

/// An unknown rule id, with the nearest known ids when some are close.
fn unknown_rule(id: &str, engine: &Engine) -> Error {
    let mut near: Vec<(f64, &str)> = engine
        .rules()
        .map(|r| (strsim::jaro_winkler(id, &r.id), r.id.as_str()))
        .filter(|(score, _)| *score > 0.85)
        .collect();
    near.sort_by(|a, b| b.0.total_cmp(&a.0));
    let hint = match near.as_slice() {
        [] => "see `reframe rules list`".to_string(),
        near => {
            let ids: Vec<String> = near
                .iter()
                .take(3)
                .map(|(_, id)| format!("`{id}`"))
                .collect();
            match ids.split_last() {
                Some((last, [])) => format!("did you mean {last}?"),
                Some((last, rest)) => format!("did you mean {} or {last}?", rest.join(", ")),
                None => unreachable!("near is not empty"),
            }
        }
    };
    Error::Invalid(format!("unknown rule id `{id}`: {hint}"))
}

/// Explains a rule given by id, or the rules that flag a phrase ("committed suicide").
fn explain(id_or_phrase: &str, args: &EngineArgs) -> Result<i32> {
    let engine = args.engine_for_cwd()?;
    let rules: Vec<_> = match engine.rule(id_or_phrase) {
        Some(rule) => vec![rule.clone()],
        None => {
            let mut found: Vec<_> = engine
                .lint(id_or_phrase, DocKind::PlainText)
                .findings
                .into_iter()
                .map(|f| f.rule)
                .collect();
            found.dedup_by(|a, b| a.id == b.id);
            if found.is_empty() {
                return Err(unknown_rule(id_or_phrase, &engine));
            }
            found
        }
    };
    let mut out = String::new();
    use std::fmt::Write as _;
    for rule in rules {
        if !out.is_empty() {
            out.push_str("\n---\n\n");
        }
        let _ = writeln!(
            out,
            "{} ({}, default {})",
            rule.id, rule.category, rule.severity
        );
        let _ = writeln!(out, "\n{}\n", rule.message);
        let _ = writeln!(out, "Why: {}\n", rule.why.trim());
        if !rule.reframes.is_empty() {
            let _ = writeln!(out, "Reframes:");
            for (i, r) in rule.reframes.iter().enumerate() {
                let _ = match rule.reframe_safety(i) {
                    FixSafety::Safe => writeln!(out, "  - {r} (safe: `reframe fix` applies it)"),
                    FixSafety::Suggestion => writeln!(out, "  - {r}"),
                };
            }
            out.push('\n');
        }
        let _ = writeln!(out, "Sources:");
        for s in &rule.sources {
            let _ = writeln!(out, "  - {} <{}>", s.title, s.url);
        }
        let _ = writeln!(out, "\nFlags:");
        for e in &rule.examples.flag {
            let _ = writeln!(out, "  ✗ {e}");
        }
        let _ = writeln!(out, "Leaves alone:");
        for e in &rule.examples.pass {
            let _ = writeln!(out, "  ✓ {e}");
        }
    }
    emit(&out)?;
    Ok(EXIT_CLEAN)
}

/// Writes to standard output; a closed pipe is reported as [`Error::Output`], which ends the
/// run quietly.
fn emit(text: &str) -> Result<()> {
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(Error::Output)
}

fn rules(command: RulesCommand) -> Result<i32> {
    match command {
        RulesCommand::List { format, engine } => {
            let engine = engine.engine_for_cwd()?;
            if format == Format::Json {
                let list: Vec<_> = engine
                    .rules()
                    .map(|r| {
                        serde_json::json!({
                            "id": r.id, "category": r.category, "severity": r.severity,
                            "effective_severity": engine.severity_of(&r.id),
                            "message": r.message, "reframes": r.reframes, "fix": r.fix.as_str(),
                        })
                    })
                    .collect();
                outln!("{}", serde_json::to_string_pretty(&list).unwrap());
            } else {
                for r in engine.rules() {
                    outln!(
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
                    loaded.extend(read_rule_path(f)?);
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
                outln!("{f}");
            }
            // Ids must be unique: a pack is loaded beside the built-in library, and the
            // built-in files beside each other. A clash is an error at the second rule's own
            // file and line, as it is when an engine is built.
            let library = if files.is_empty() {
                Library::None
            } else {
                Library::Builtin
            };
            let clash = EngineBuilder::new()
                .library(library)
                .rules(loaded.iter().cloned())
                .build()
                .err();
            if let Some(clash) = &clash {
                outln!("{clash}");
            }
            let examples: usize = loaded
                .iter()
                .map(|l| l.rule.examples.flag.len() + l.rule.examples.pass.len())
                .sum();
            outln!(
                "{} rules, {examples} examples: {} passed, {} failed",
                loaded.len(),
                examples - failures.len().min(examples),
                failures.len()
            );
            Ok(if failures.is_empty() && clash.is_none() {
                EXIT_CLEAN
            } else {
                EXIT_FINDINGS
            })
        }
        RulesCommand::Eval { dir, verbose } => {
            let engine = Engine::builtin();
            let scores = ruletest::evaluate(&engine, &dir)?;
            outln!(
                "{:<10} {:>8} {:>8} {:>8} {:>7} {:>7} {:>9}",
                "category",
                "phrases",
                "caught",
                "recall",
                "traps",
                "alarms",
                "alarm %"
            );
            let (mut p, mut c, mut t, mut a) = (0, 0, 0, 0);
            for (name, s) in &scores {
                outln!(
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
            outln!(
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
                        outln!("{name}: {problem}");
                    }
                }
            }
            print_real_corpus(&engine, &dir.join("real"), verbose)?;
            Ok(EXIT_CLEAN)
        }
        RulesCommand::Docs => {
            out!("{}", crate::docs::rules_markdown(&Engine::builtin()));
            Ok(EXIT_CLEAN)
        }
        RulesCommand::Sources => {
            out!("{}", crate::docs::sources_markdown(&Engine::builtin()));
            Ok(EXIT_CLEAN)
        }
        RulesCommand::SafeFixes { files } => {
            let mut loaded = crate::load::builtin_rules();
            for f in &files {
                loaded.extend(read_rule_path(f)?);
            }
            out!("{}", crate::docs::safe_fixes_markdown(&loaded));
            Ok(EXIT_CLEAN)
        }
        RulesCommand::Schema => {
            outln!(
                "{}",
                serde_json::to_string_pretty(&crate::rule::rule_file_schema()).unwrap()
            );
            Ok(EXIT_CLEAN)
        }
    }
}

/// Scores the real-text corpus's halves, when `dir` holds one: by kind, then by category. The
/// misses are listed for the `tune` half only; the `holdout` half's stay unread.
fn print_real_corpus(engine: &Engine, dir: &Path, verbose: bool) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for half in realcorpus::HALVES {
        let score = realcorpus::evaluate_half(engine, &dir.join(half))?;
        outln!();
        outln!("real corpus, {half} half");
        outln!("{}", realcorpus::table_header("kind"));
        for (kind, tally) in &score.by_kind {
            outln!("{}", realcorpus::table_row(kind, tally));
        }
        outln!("{}", realcorpus::table_row("total", &score.total()));
        outln!("{}", realcorpus::table_header("category"));
        for (category, tally) in &score.by_category {
            outln!("{}", realcorpus::table_row(category, tally));
        }
        if verbose && half == "tune" {
            for problem in &score.problems {
                outln!("{half}: {problem}");
            }
        }
    }
    Ok(())
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        100.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

fn init(force: bool) -> Result<i32> {
    let path = Path::new(CONFIG_FILE_NAME);
    if path.exists() && !force {
        return Err(Error::Invalid(format!(
            "{CONFIG_FILE_NAME} already exists (use --force to overwrite)"
        )));
    }
    files::write_atomic(path, STARTER_CONFIG, Expect::Anything)?;
    eprintln!("wrote {CONFIG_FILE_NAME}");
    Ok(EXIT_CLEAN)
}
