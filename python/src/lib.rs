//! `reframe_lint._reframe`: the Reframe engine for Python, and the `reframe` command.
//!
//! The Python package (`python/reframe_lint/`) wraps this module: `Linter` adds the tabular
//! methods, and the `reframe` console script calls [`run_cli`] with `sys.argv`.

mod engine;
mod findings;

use engine::{build_engine, settings_from_json, ConfigSource};
use findings::{convert, Finding};
use pyo3::create_exception;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use rayon::prelude::*;
use reframe::DocKind;
use reframe::Engine;
use reframe::LocatedError;
use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

create_exception!(
    reframe_lint,
    ConfigError,
    PyValueError,
    "A rule pack or setting that cannot be used; the message is `path:line:column: what is wrong` and `path`, `line`, `column` and `reason` hold its parts."
);

/// Raises [`ConfigError`] with the error's parts as attributes.
fn config_error(py: Python<'_>, error: LocatedError) -> PyErr {
    let err = ConfigError::new_err(error.to_string());
    let value = err.value(py);
    let set = value
        .setattr("path", error.path.display().to_string())
        .and_then(|()| value.setattr("line", error.line))
        .and_then(|()| value.setattr("column", error.column))
        .and_then(|()| value.setattr("reason", error.message));
    if let Err(e) = set {
        return e;
    }
    err
}

fn doc_kind(markdown: bool) -> DocKind {
    if markdown {
        DocKind::Markdown
    } else {
        DocKind::PlainText
    }
}

/// Checks text for stigmatizing, pathologizing and blaming language with the built-in rule
/// library, rule packs and the settings of `.reframe.toml`.
#[pyclass(frozen, subclass, module = "reframe_lint")]
struct Linter {
    engine: Engine,
}

#[pymethods]
impl Linter {
    /// `rules`: rule pack files or folders added to the built-in library. `config`: a
    /// `.reframe.toml` path, or a dict with the same keys (`disable`, `allow`, `rules`,
    /// `quotes`, `severity`). No `.reframe.toml` is looked for: pass one to use it.
    #[new]
    #[pyo3(signature = (rules=None, config=None))]
    fn new(
        py: Python<'_>,
        rules: Option<Vec<PathBuf>>,
        config: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let config = match config {
            None => None,
            Some(value) if value.is_instance_of::<PyDict>() => {
                let json: String = py
                    .import("json")?
                    .call_method1("dumps", (value,))?
                    .extract()?;
                Some(ConfigSource::Settings(
                    settings_from_json(&json).map_err(|e| config_error(py, e))?,
                ))
            }
            Some(value) => Some(ConfigSource::File(value.extract().map_err(|_| {
                PyTypeError::new_err("config must be a path to a .reframe.toml or a dict")
            })?)),
        };
        let rules = rules.unwrap_or_default();
        let engine = py
            .detach(|| build_engine(&rules, config))
            .map_err(|e| config_error(py, e))?;
        Ok(Linter { engine })
    }

    /// Checks one text. Markdown (the default) skips code, HTML and link targets; with
    /// `markdown=False` every character is prose. Findings come in order of position.
    #[pyo3(signature = (text, *, markdown=true))]
    fn check(&self, py: Python<'_>, text: &str, markdown: bool) -> Vec<Finding> {
        py.detach(|| self.lint(text, doc_kind(markdown)))
    }

    /// Checks many texts on every core (or on `threads` threads) with the GIL released; one
    /// list of findings per text, in input order. `None` stands for a missing text and has no
    /// findings.
    #[pyo3(signature = (texts, *, threads=None, markdown=true))]
    fn check_many(
        &self,
        py: Python<'_>,
        texts: &Bound<'_, PyAny>,
        threads: Option<usize>,
        markdown: bool,
    ) -> PyResult<Vec<Vec<Finding>>> {
        if texts.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err(
                "texts must be an iterable of texts, not one str (use check for one text)",
            ));
        }
        let mut owned: Vec<Option<String>> = Vec::new();
        for (i, text) in texts.try_iter()?.enumerate() {
            let text = text?;
            owned.push(if text.is_none() {
                None
            } else {
                Some(text.extract().map_err(|_| {
                    PyTypeError::new_err(format!("texts[{i}] is not a str or None"))
                })?)
            });
        }
        let kind = doc_kind(markdown);
        let lint = |text: &Option<String>| match text {
            Some(text) => self.lint(text, kind),
            None => Vec::new(),
        };
        match threads {
            Some(0) => Err(PyValueError::new_err("threads must be at least 1")),
            Some(1) => Ok(py.detach(|| owned.iter().map(lint).collect())),
            Some(n) => {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(n)
                    .build()
                    .map_err(|e| PyValueError::new_err(format!("cannot start threads: {e}")))?;
                Ok(py.detach(|| pool.install(|| owned.par_iter().map(lint).collect())))
            }
            None => Ok(py.detach(|| owned.par_iter().map(lint).collect())),
        }
    }

    /// Every rule this linter knows, in load order, as dicts: `id`, `category`, `severity`
    /// (effective), `message`, `phrases`, `reframes`, `flag_examples`, `pass_examples`.
    fn rules<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for rule in self.engine.rules() {
            let entry = PyDict::new(py);
            entry.set_item("id", &rule.id)?;
            entry.set_item("category", rule.category.to_string())?;
            let severity = self.engine.severity_of(&rule.id).unwrap_or(rule.severity);
            entry.set_item("severity", severity.to_string())?;
            entry.set_item("message", &rule.message)?;
            entry.set_item("phrases", &rule.phrases)?;
            entry.set_item("reframes", &rule.reframes)?;
            entry.set_item("flag_examples", &rule.examples.flag)?;
            entry.set_item("pass_examples", &rule.examples.pass)?;
            list.append(entry)?;
        }
        Ok(list)
    }
}

impl Linter {
    fn lint(&self, text: &str, kind: DocKind) -> Vec<Finding> {
        convert(text, &self.engine.lint(text, kind).findings)
    }
}

/// Runs the `reframe` command with `args` (the first is the program name) and returns its
/// exit code; what the Rust binary prints, this prints.
#[pyfunction]
fn run_cli(py: Python<'_>, args: Vec<OsString>) -> i32 {
    let code = py.detach(|| reframe::run_cli_with_args(args));
    let _ = std::io::stdout().flush();
    code
}

#[pymodule]
fn _reframe(m: &Bound<'_, PyModule>) -> PyResult<()> {
    reframe::install_private_panic_hook();
    m.add_class::<Linter>()?;
    m.add_class::<Finding>()?;
    m.add("ConfigError", m.py().get_type::<ConfigError>())?;
    m.add_function(wrap_pyfunction!(run_cli, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
