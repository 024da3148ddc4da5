//! Rendering in one place: JSON documents, ANSI tones, and the detail lines
//! shared with the TUI.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use crate::pki::render::{DetailLine, Tone};

/// Writes one pretty JSON document and a newline. The document is built
/// first, so that a write error is an I/O error (a closed pipe is then
/// recognised as one).
pub fn json(out: &mut dyn Write, value: &impl Serialize) -> Result<()> {
    let mut text = serde_json::to_vec_pretty(value)?;
    text.push(b'\n');
    out.write_all(&text)?;
    Ok(())
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
