//! The detail pane: the same lines `tlsctl inspect` prints (pin and
//! fingerprint labelled apart), scrollable; and the detail of a diff row.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::pki::diff::{Change, PeerResult, Side};
use crate::pki::render::{self, DetailLine, Tone};
use crate::tui::app::App;
use crate::tui::theme;

/// Splits a long value into lines of at most `width`, at `:` or spaces
/// where it can (fingerprints, key identifiers, DNs).
fn split(value: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let mut out = Vec::new();
    let mut rest = value;
    while rest.chars().count() > width {
        let head: String = rest.chars().take(width).collect();
        let cut = head
            .rfind([':', ' ', ','])
            .map(|i| i + 1)
            .filter(|&i| i > width / 2)
            .unwrap_or(head.len());
        let (line, tail) = rest.split_at(cut.min(rest.len()));
        out.push(line.trim_end().to_owned());
        rest = tail.trim_start();
    }
    if !rest.is_empty() || out.is_empty() {
        out.push(rest.to_owned());
    }
    out
}

fn is_colon_hex(value: &str) -> bool {
    value.contains(':') && value.chars().all(|c| c == ':' || c.is_ascii_hexdigit())
}

/// The pin and the fingerprint first (what the detail pane is opened
/// for, above the fold on a small terminal), then the rest in the order
/// `tlsctl inspect` prints them.
pub fn pins_first(mut lines: Vec<DetailLine>) -> Vec<DetailLine> {
    let rank = |l: &DetailLine| match l.label {
        "SPKI pin" => 0,
        "Fingerprint" => 1,
        _ => 2,
    };
    lines.sort_by_key(rank);
    lines
}

/// Detail lines laid out for `inner` columns.
pub fn layout(lines: &[DetailLine], inner: usize) -> Vec<Line<'static>> {
    let width = lines.iter().map(|l| l.label.len()).max().unwrap_or(0) + 1;
    let mut text = Vec::new();
    for l in lines {
        let label = Span::styled(
            format!("{:<width$} ", format!("{}:", l.label)),
            theme::header(),
        );
        let style = theme::tone(l.tone);
        // A colon-separated hex value (a fingerprint) that does not fit on
        // a line is shown without its colons, so that it is never broken:
        // 64 hex digits, as `--fingerprint` takes them.
        let bare;
        let value = if l.value.chars().count() > inner && is_colon_hex(&l.value) {
            bare = l.value.replace(':', "").to_ascii_lowercase();
            &bare
        } else {
            &l.value
        };
        if width + 1 + value.chars().count() <= inner {
            text.push(Line::from(vec![label, Span::styled(value.clone(), style)]));
        } else {
            // A value that does not fit beside its label gets lines of its
            // own: indented when that fits, else from the first column (so
            // that a pin is never broken).
            text.push(Line::from(label));
            let indent = if value.chars().count() + 2 <= inner {
                "  "
            } else {
                ""
            };
            for part in split(value, inner.saturating_sub(indent.len())) {
                text.push(Line::from(vec![
                    Span::raw(indent),
                    Span::styled(part, style),
                ]));
            }
        }
        if let Some(note) = l.note {
            for part in split(&format!("({note})"), inner.saturating_sub(2)) {
                text.push(Line::from(Span::styled(
                    format!("  {part}"),
                    theme::tone(Tone::Dim),
                )));
            }
        }
    }
    text
}

/// Draws `text` in a bordered pane scrolled by `scroll` (clamped), and
/// returns the furthest useful scroll.
pub fn draw_lines(
    frame: &mut Frame<'_>,
    title: &str,
    text: Vec<Line<'static>>,
    area: Rect,
    focused: bool,
    scroll: u16,
) -> u16 {
    let total = text.len();
    let visible = usize::from(area.height.saturating_sub(2));
    let limit = u16::try_from(total.saturating_sub(visible)).unwrap_or(u16::MAX);
    let scroll = scroll.min(limit);
    let more = if total > visible + usize::from(scroll) {
        " ↓ more "
    } else {
        ""
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(theme::border_type(focused))
        .border_style(theme::border(focused))
        .title(Span::styled(format!(" {title} "), theme::title()))
        .title_bottom(Span::styled(more, theme::key_hint()));
    frame.render_widget(Paragraph::new(text).block(block).scroll((scroll, 0)), area);
    limit
}

/// The detail of the current view's selected certificate, if any; the
/// model learns how far the pane can scroll.
pub fn selected(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let Some((row, source)) = app.selected_cert() else {
        return;
    };
    let inner = usize::from(area.width.saturating_sub(2));
    app.detail_limit.set(draw_lines(
        frame,
        &source,
        layout(&pins_first(render::cert_details(&row.info)), inner),
        area,
        app.detail_focus,
        app.detail_scroll,
    ));
}

fn side_lines(heading: &'static str, side: &Side) -> Vec<DetailLine> {
    let line = |label: &'static str, value: &str, tone: Tone| DetailLine {
        label,
        value: value.to_owned(),
        tone,
        note: None,
    };
    vec![
        line(
            heading,
            &format!("bundle block {}", side.index),
            Tone::Normal,
        ),
        line("SPKI pin", &side.pin_sha256, Tone::Key),
        line(
            "Fingerprint",
            &crate::pki::pin::fingerprint_display(&side.fingerprint_sha256),
            Tone::Dim,
        ),
        line("Subject", &side.subject, Tone::Normal),
        line("Issuer", &side.issuer, Tone::Normal),
        line("Not after", &side.not_after, Tone::Normal),
    ]
}

pub fn change(frame: &mut Frame<'_>, c: &Change, area: Rect, focused: bool, scroll: u16) -> u16 {
    let mut lines = vec![DetailLine {
        label: "Class",
        value: c.class.as_str().to_owned(),
        tone: Tone::Normal,
        note: None,
    }];
    if let Some(old) = &c.old {
        lines.extend(side_lines("OLD", old));
    }
    if let Some(new) = &c.new {
        lines.extend(side_lines("NEW", new));
    }
    let inner = usize::from(area.width.saturating_sub(2));
    draw_lines(
        frame,
        "change",
        layout(&lines, inner),
        area,
        focused,
        scroll,
    )
}

pub fn peer(frame: &mut Frame<'_>, p: &PeerResult, area: Rect, focused: bool, scroll: u16) -> u16 {
    let mut lines = vec![
        DetailLine {
            label: "Peer",
            value: p.peer.clone(),
            tone: Tone::Normal,
            note: None,
        },
        DetailLine {
            label: "Subject",
            value: p.subject.clone(),
            tone: Tone::Normal,
            note: None,
        },
        DetailLine {
            label: "Verdict",
            value: p.verdict.as_str().to_owned(),
            tone: Tone::Key,
            note: None,
        },
    ];
    for (label, standing) in [("OLD", &p.old), ("NEW", &p.new)] {
        for (purpose, check) in [("server", &standing.server), ("client", &standing.client)] {
            let Some(check) = check else { continue };
            let (value, tone) = match (&check.path, &check.message) {
                (Some(path), _) => (
                    format!("{purpose}: trusted via {}", path.join(" <- ")),
                    Tone::Good,
                ),
                (None, Some(why)) => (format!("{purpose}: {why}"), Tone::Bad),
                _ => (purpose.to_owned(), Tone::Normal),
            };
            lines.push(DetailLine {
                label,
                value,
                tone,
                note: None,
            });
        }
    }
    let inner = usize::from(area.width.saturating_sub(2));
    draw_lines(frame, "peer", layout(&lines, inner), area, focused, scroll)
}
