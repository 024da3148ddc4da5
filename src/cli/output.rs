//! Rendering in one place: JSON documents, ANSI tones, and the detail lines
//! shared with the TUI.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use crate::ops::Warning;
use crate::pki::bundle::{Finding, Severity};
use crate::pki::render::{DetailLine, Tone};

/// Writes one pretty JSON document and a newline, as it is serialized (a
/// document of 100,000 certificates is tens of megabytes: not built
/// first). A write error stays an I/O error, so that a closed pipe is
/// recognised as one.
pub fn json(out: &mut dyn Write, value: &impl Serialize) -> Result<()> {
    // serde_json writes a few bytes at a time: into a buffer of known
    // type rather than through `dyn Write` each time.
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut buffered, value).map_err(std::io::Error::from)?;
    buffered.write_all(b"\n")?;
    buffered.flush()?;
    Ok(())
}

/// Writes one JSON document: `value`'s fields and the operation's
/// `warnings` (`{code, message}` each) beside them.
pub fn json_with(out: &mut dyn Write, value: &impl Serialize, warnings: &[Warning]) -> Result<()> {
    #[derive(Serialize)]
    struct Document<'a, T: Serialize> {
        #[serde(flatten)]
        value: &'a T,
        warnings: &'a [Warning],
    }
    json(out, &Document { value, warnings })
}

/// How wide a table may be: `COLUMNS` when it is set (as most CLIs honour
/// it), else the terminal's width when stdout is one; no limit on a pipe.
pub fn table_width() -> Option<usize> {
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
    {
        return Some(n);
    }
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        return None;
    }
    terminal_size::terminal_size().map(|(w, _)| usize::from(w.0))
}

/// Wraps `text` in the ANSI sequence for `tone` when colour is on.
pub fn paint(text: &str, tone: Tone, color: bool) -> String {
    let code = match tone {
        Tone::Normal => return text.to_owned(),
        Tone::Good => "32",
        Tone::Warn => "33",
        Tone::Bad => "31",
        Tone::Dim => "2",
        Tone::Key => "1;36",
    };
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

/// Bold, for headings.
pub fn bold(text: &str, color: bool) -> String {
    if color {
        format!("\x1b[1m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

/// Prints detail lines as an aligned `label: value` list, each explanatory
/// note on its own dim line under the value.
pub fn detail_lines(
    out: &mut dyn Write,
    lines: &[DetailLine],
    indent: &str,
    color: bool,
) -> Result<()> {
    let width = lines.iter().map(|l| l.label.len()).max().unwrap_or(0) + 1;
    for line in lines {
        let label = format!("{}:", line.label);
        writeln!(
            out,
            "{indent}{label:<width$} {}",
            paint(&line.value, line.tone, color)
        )?;
        if let Some(note) = line.note {
            let pad = " ".repeat(width + 1);
            writeln!(
                out,
                "{indent}{pad}{}",
                paint(&format!("({note})"), Tone::Dim, color)
            )?;
        }
    }
    Ok(())
}

/// What the lint commands report.
#[derive(Debug, Serialize)]
pub struct LintReport {
    pub file: String,
    pub findings: Vec<Finding>,
    /// How many findings are errors, and how many warnings (the document's
    /// `warnings` are what the run itself warns about).
    #[serde(rename = "error_count")]
    pub errors: usize,
    #[serde(rename = "warning_count")]
    pub warnings: usize,
}

/// Prints findings the way lint commands do.
pub fn print_findings(out: &mut dyn Write, findings: &[Finding], color: bool) -> Result<()> {
    for f in findings {
        let tone = match f.severity {
            Severity::Error => Tone::Bad,
            Severity::Warning => Tone::Warn,
            Severity::Info => Tone::Dim,
        };
        let place = f.block.map(|b| format!("block {b}: ")).unwrap_or_default();
        writeln!(
            out,
            "  {} {}{}: {}",
            paint(&format!("{:<7}", f.severity.as_str()), tone, color),
            place,
            f.code,
            f.message
        )?;
        if let Some(fix) = &f.fix {
            writeln!(
                out,
                "          {}",
                paint(&format!("fix: {fix}"), Tone::Dim, color)
            )?;
        }
    }
    Ok(())
}

/// How many findings have `severity`.
pub fn count(findings: &[Finding], severity: Severity) -> usize {
    findings.iter().filter(|f| f.severity == severity).count()
}
