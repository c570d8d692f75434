//! JSON Lines in, JSON Lines out: `reframe check --input jsonl` reads one record a line
//! (`{"id": …, "text": …}`, field names configurable) and writes one line per finding with the
//! record's id, in input order. It is built for pipelines (`RDD.pipe`, shell): memory is
//! bounded by a window of lines in flight, whatever the input's length; rayon's threads parse,
//! lint and format whole batches into bytes, and the calling thread only reads lines and writes
//! finished batches in order; output is flushed after each batch, so a consumer sees results
//! while the input still streams.
//!
//! A record that cannot be read is reported on standard error as `name:line:column: …` and
//! skipped; the rest go on.

use crate::engine::Engine;
use crate::error::{Error, LocatedError, Result};
use crate::lines::LineIndex;
use crate::prose::DocKind;
use crate::rule::Severity;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// The names of a record's id and text fields.
#[derive(Clone, Debug)]
pub struct Fields {
    /// The field copied to each finding to say which record it is from.
    pub id: String,
    /// The field holding the text to check.
    pub text: String,
}

impl Default for Fields {
    fn default() -> Self {
        Fields {
            id: "id".into(),
            text: "text".into(),
        }
    }
}

/// How a run went.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Records checked.
    pub records: usize,
    /// Findings written.
    pub findings: usize,
    /// Lines that could not be read as records (reported on standard error).
    pub errors: usize,
    /// The highest severity found.
    pub worst: Option<Severity>,
}

/// A batch is cut at this many lines or bytes, whichever comes first. At most
/// [`BATCHES_AHEAD`] read batches wait for a worker and at most [`BATCHES_IN_FLIGHT`] are being
/// linted or wait to be written, so memory stays a few batches' worth.
const BATCH_LINES: usize = 4096;
const BATCH_BYTES: usize = 4 << 20;
const BATCHES_AHEAD: usize = 2;
const BATCHES_IN_FLIGHT: usize = 3;

/// Lines read from one input, numbered from `first_line`, in one buffer: the reader thread
/// only copies bytes and notes where each line ends.
struct Batch {
    first_line: usize,
    text: Vec<u8>,
    ends: Vec<usize>,
}

impl Batch {
    fn line(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }
}

/// A batch's output, made on the lint threads: its findings as JSON lines, ready to write.
#[derive(Default)]
struct Done {
    json: Vec<u8>,
    tally: Tally,
    errors: Vec<LocatedError>,
}

impl Done {
    fn append(mut self, mut other: Done) -> Done {
        self.json.append(&mut other.json);
        self.tally.add(&other.tally);
        self.errors.append(&mut other.errors);
        self
    }
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.records += other.records;
        self.findings += other.findings;
        self.errors += other.errors;
        self.worst = self.worst.max(other.worst);
    }
}

/// Checks the records of `input`, named `name` in errors, and writes findings to `out`. A line
/// that is not a record goes to `bad_line` (the CLI prints it on standard error). `tally`
/// accumulates over inputs. An error writing `out` (a closed pipe) ends the run.
///
/// Three threads' worth of work overlap: a reader cuts lines into batches, rayon's threads
/// parse, lint and format each batch into bytes (the next batch starts while the last one's
/// stragglers finish), and this thread only writes finished batches in input order.
pub fn check(
    engine: &Engine,
    fields: &Fields,
    name: &str,
    input: Box<dyn BufRead + Send>,
    out: &mut dyn Write,
    tally: &mut Tally,
    bad_line: &mut dyn FnMut(LocatedError),
) -> Result<()> {
    let (sender, batches) = mpsc::sync_channel::<std::io::Result<Batch>>(BATCHES_AHEAD);
    // A detached reader: when the output closes, the run ends without waiting for more input.
    std::thread::spawn(move || read_batches(input, &sender));
    rayon::in_place_scope(|scope| {
        let mut in_flight = VecDeque::new();
        let mut finish = |done: mpsc::Receiver<Done>| -> Result<()> {
            // A lint task that panicked drops its sender; the panic itself ends the scope.
            let Ok(done) = done.recv() else {
                return Ok(());
            };
            tally.add(&done.tally);
            done.errors.into_iter().for_each(&mut *bad_line);
            out.write_all(&done.json).map_err(Error::Output)?;
            out.flush().map_err(Error::Output)
        };
        for batch in batches {
            let batch = batch.map_err(|e| Error::io(Path::new(name), e))?;
            let (send, done) = mpsc::sync_channel(1);
            scope.spawn(move |_| {
                let _ = send.send(check_batch(engine, fields, name, &batch));
            });
            in_flight.push_back(done);
            if in_flight.len() >= BATCHES_IN_FLIGHT {
                finish(in_flight.pop_front().expect("a batch is in flight"))?;
            }
        }
        in_flight.into_iter().try_for_each(finish)
    })
}

/// Parses, lints and formats one batch's records on rayon's threads, in input order.
fn check_batch(engine: &Engine, fields: &Fields, name: &str, batch: &Batch) -> Done {
    (0..batch.ends.len())
        .into_par_iter()
        .fold(Done::default, |mut done, i| {
            match check_record(engine, fields, batch.line(i), &mut done.json) {
                Ok(record) => {
                    done.tally.records += usize::from(record.checked);
                    done.tally.findings += record.findings;
                    done.tally.worst = done.tally.worst.max(record.worst);
                }
                Err((column, message)) => {
                    done.tally.errors += 1;
                    done.errors.push(LocatedError {
                        path: PathBuf::from(name),
                        line: batch.first_line + i,
                        column,
                        message,
                    });
                }
            }
            done
        })
        .reduce(Done::default, Done::append)
}

/// Reads `input` line by line into batches until it ends, an error occurs, or nobody listens.
fn read_batches(
    mut input: Box<dyn BufRead + Send>,
    sender: &mpsc::SyncSender<std::io::Result<Batch>>,
) {
    let mut next_line = 1;
    loop {
        let mut batch = Batch {
            first_line: next_line,
            text: Vec::with_capacity(BATCH_BYTES + (64 << 10)),
            ends: Vec::with_capacity(BATCH_LINES),
        };
        while batch.ends.len() < BATCH_LINES && batch.text.len() < BATCH_BYTES {
            match input.read_until(b'\n', &mut batch.text) {
                Ok(0) => break,
                Ok(_) => batch.ends.push(batch.text.len()),
                Err(e) => {
                    let _ = sender.send(Err(e));
                    return;
                }
            }
        }
        if batch.ends.is_empty() {
            return;
        }
        next_line += batch.ends.len();
        if sender.send(Ok(batch)).is_err() {
            return;
        }
    }
}

/// What one line added.
#[derive(Default)]
struct RecordTally {
    /// False for a blank line.
    checked: bool,
    findings: usize,
    worst: Option<Severity>,
}

/// One finding as a JSON line. Field names are a contract, as in `--format json`.
#[derive(Serialize)]
struct JsonlFinding<'a> {
    id: &'a RawValue,
    rule: &'a str,
    category: &'static str,
    severity: &'static str,
    /// UTF-8 byte offsets into the record's text (after JSON unescaping).
    start: usize,
    end: usize,
    /// 1-based line and column (Unicode scalar values) within the record's text.
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    matched: &'a str,
    message: &'a str,
    reframes: &'a [String],
}

/// Lints one line's record and appends the findings' JSON lines to `json`; or the column and
/// message of what is wrong with the line. A blank line is no record and no error.
fn check_record(
    engine: &Engine,
    fields: &Fields,
    line: &[u8],
    json: &mut Vec<u8>,
) -> std::result::Result<RecordTally, (usize, String)> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.iter().all(u8::is_ascii_whitespace) {
        return Ok(RecordTally::default());
    }
    let record: HashMap<Cow<'_, str>, &RawValue> =
        serde_json::from_slice(line).map_err(|e| (e.column().max(1), json_message(&e)))?;
    let field = |name: &str| {
        record
            .get(name)
            .copied()
            .ok_or_else(|| (1, format!("the record has no `{name}` field")))
    };
    let id = field(&fields.id)?;
    let text: Cow<'_, str> = serde_json::from_str(field(&fields.text)?.get())
        .map_err(|_| (1, format!("the `{}` field is not a string", fields.text)))?;
    let report = engine.lint(&text, DocKind::PlainText);
    let index = LineIndex::new(&text);
    let mut cursor = index.ranges();
    let mut tally = RecordTally {
        checked: true,
        ..RecordTally::default()
    };
    for f in &report.findings {
        let ((line, column), (end_line, end_column)) = cursor.range(&f.range);
        let finding = JsonlFinding {
            id,
            rule: &f.rule.id,
            category: f.rule.category.as_str(),
            severity: f.severity.as_str(),
            start: f.range.start,
            end: f.range.end,
            line,
            column,
            end_line,
            end_column,
            matched: &text[f.range.clone()],
            message: &f.rule.message,
            reframes: &f.reframes,
        };
        serde_json::to_writer(&mut *json, &finding).expect("a finding always serialises");
        json.push(b'\n');
        tally.findings += 1;
        tally.worst = tally.worst.max(Some(f.severity));
    }
    Ok(tally)
}

/// serde_json's message without its own " at line 1 column N", which the location says.
fn json_message(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let message = match message.rfind(" at line ") {
        Some(at) => &message[..at],
        None => &message,
    };
    format!("not a JSON record: {message}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_with_errors(input: &str, fields: &Fields) -> (String, Tally, Vec<String>) {
        let engine = Engine::builtin();
        let mut out = Vec::new();
        let mut tally = Tally::default();
        let mut errors = Vec::new();
        let input: Box<dyn BufRead + Send> = Box::new(std::io::Cursor::new(input.to_string()));
        check(
            &engine,
            fields,
            "notes.jsonl",
            input,
            &mut out,
            &mut tally,
            &mut |e| errors.push(e.to_string()),
        )
        .unwrap();
        (String::from_utf8(out).unwrap(), tally, errors)
    }

    fn run(input: &str, fields: &Fields) -> (String, Tally) {
        let (out, tally, errors) = run_with_errors(input, fields);
        assert_eq!(errors, Vec::<String>::new());
        (out, tally)
    }

    #[test]
    fn findings_carry_the_id_and_positions_within_the_text() {
        let input = "{\"id\": 7, \"text\": \"Fine.\\nThe client is resistant.\"}\n\
                     {\"id\": \"b\", \"note\": \"x\", \"text\": \"He committed suicide.\"}\n";
        let (out, tally) = run(input, &Fields::default());
        let lines: Vec<serde_json::Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2, "{out}");
        assert_eq!(lines[0]["id"], 7);
        assert_eq!(lines[0]["matched"], "resistant");
        assert_eq!(
            (lines[0]["line"].as_u64(), lines[0]["column"].as_u64()),
            (Some(2), Some(15))
        );
        assert_eq!(lines[0]["start"], "Fine.\nThe client is ".len());
        assert_eq!(lines[1]["id"], "b");
        assert_eq!(lines[1]["matched"], "committed suicide");
        assert_eq!((tally.records, tally.findings, tally.errors), (2, 2, 0));
    }

    #[test]
    fn bad_lines_are_reported_and_the_rest_go_on() {
        let input = "{\"doc\": 1, \"body\": \"He is an addict.\"}\n\
                     {\"doc\": 2, \"body\": oops}\n\
                     \n\
                     {\"doc\": 3}\n\
                     {\"doc\": 4, \"body\": 5}\n\
                     {\"doc\": 5, \"body\": \"The client is resistant.\"}\r\n";
        let fields = Fields {
            id: "doc".into(),
            text: "body".into(),
        };
        let (out, tally, errors) = run_with_errors(input, &fields);
        let ids: Vec<serde_json::Value> = out
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].clone())
            .collect();
        assert_eq!(ids, [1, 5]);
        assert_eq!((tally.records, tally.errors), (2, 3));
        assert_eq!(errors.len(), 3);
        assert!(
            errors[0].starts_with("notes.jsonl:2:20: not a JSON record: expected value"),
            "{errors:?}"
        );
        assert_eq!(errors[1], "notes.jsonl:4:1: the record has no `body` field");
        assert_eq!(
            errors[2],
            "notes.jsonl:5:1: the `body` field is not a string"
        );
    }

    #[test]
    fn batches_keep_input_order() {
        let mut input = String::new();
        for i in 0..3 * BATCH_LINES {
            let text = if i % 3 == 0 {
                "He is an addict."
            } else {
                "Nothing here."
            };
            input.push_str(&format!("{{\"id\": {i}, \"text\": \"{text}\"}}\n"));
        }
        let (out, tally) = run(&input, &Fields::default());
        let ids: Vec<u64> = out
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                    .as_u64()
                    .unwrap()
            })
            .collect();
        let expected: Vec<u64> = (0..3 * BATCH_LINES as u64).filter(|i| i % 3 == 0).collect();
        assert_eq!(ids, expected);
        assert_eq!(tally.records, 3 * BATCH_LINES);
    }
}
