//! The diff: peers (lost first) above OLD and NEW side by side, each row a
//! class.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Wrap};

use super::{base_name, detail, fit, fit_left, visible_rows, with_detail, wrap_text, wrapped_rows};
use crate::pki::diff::{Class, PeerVerdict};
use crate::pki::render::Tone;
use crate::tui::app::{App, DiffPane};
use crate::tui::theme;

fn class_tone(c: Class) -> Tone {
    match c {
        Class::Removed => Tone::Bad,
        Class::Rekeyed => Tone::Warn,
        Class::Added => Tone::Good,
        Class::Renewed => Tone::Normal,
        Class::Unchanged => Tone::Dim,
    }
}

fn verdict_tone(v: PeerVerdict) -> Tone {
    match v {
        PeerVerdict::Lost | PeerVerdict::Never => Tone::Bad,
        PeerVerdict::Gained | PeerVerdict::Kept => Tone::Good,
    }
}

pub fn draw(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let Some(view) = &app.diff else { return };
    let Some(parts) = &view.parts else {
        let text = match &view.error {
            Some(e) => Line::from(Span::styled(e.clone(), theme::tone(Tone::Bad))),
            None => Line::from(format!(
                "comparing {} and {}...",
                view.old.display(),
                view.new.display()
            )),
        };
        frame.render_widget(
            Paragraph::new(text)
                .wrap(Wrap { trim: true })
                .block(Block::default().borders(Borders::ALL)),
            area,
        );
        return;
    };
    let (main, detail_rect) = with_detail(area, app.detail);
    if let Some(rect) = detail_rect {
        let focused = app.detail_focus;
        match view.pane {
            DiffPane::Peers => {
                if let Some(p) = view.peers.current().and_then(|i| parts.peers.get(i)) {
                    app.detail_limit
                        .set(detail::peer(frame, p, rect, focused, app.detail_scroll));
                }
            }
            DiffPane::Changes => {
                if let Some(c) = view.changes.current().and_then(|i| parts.changes.get(i)) {
                    app.detail_limit.set(detail::change(
                        frame,
                        c,
                        rect,
                        focused,
                        app.detail_scroll,
                    ));
                }
            }
        }
    }
    let Some(area) = main else { return };
    // Every warning, wrapped; the box takes at most a third of the height
    // and says when it holds more than it shows.
    let inner = usize::from(area.width.saturating_sub(2)).max(1);
    let wrapped: usize = parts
        .warnings
        .iter()
        .map(|w| wrapped_rows(&w.message, inner))
        .sum();
    let warnings = u16::try_from(wrapped)
        .unwrap_or(u16::MAX)
        .min((area.height / 3).max(1));
    let hidden = wrapped.saturating_sub(usize::from(warnings));
    // Each peer's reason wraps (up to 3 lines) in the last column.
    let reason_width = usize::from(area.width.saturating_sub(2 + 8 + 24 + 2)).max(10);
    let peer_reasons: Vec<Vec<String>> = parts
        .peers
        .iter()
        .map(|p| {
            let why = match p.verdict {
                PeerVerdict::Lost | PeerVerdict::Never => {
                    p.new.failure().map(ToString::to_string).unwrap_or_default()
                }
                _ => p.new.path().map(|x| x.join(" <- ")).unwrap_or_default(),
            };
            let mut lines = wrap_text(&why, reason_width);
            if lines.len() > 3 {
                lines.truncate(3);
                if let Some(last) = lines.last_mut() {
                    *last = fit(&format!("{last} …"), reason_width);
                }
            }
            lines
        })
        .collect();
    let peer_rows = if parts.peers.is_empty() {
        0
    } else {
        let lines: usize = peer_reasons.iter().map(Vec::len).sum();
        u16::try_from(lines)
            .unwrap_or(u16::MAX)
            .min((area.height / 3).max(1))
            + 3
    };
    let [warn_area, peer_area, change_area] = Layout::vertical([
        Constraint::Length(if warnings > 0 { warnings + 2 } else { 0 }),
        Constraint::Length(peer_rows),
        Constraint::Min(4),
    ])
    .areas(area);
    if warnings > 0 {
        let lines: Vec<Line<'_>> = parts
            .warnings
            .iter()
            .map(|w| Line::from(Span::styled(w.message.clone(), theme::tone(Tone::Warn))))
            .collect();
        let more = if hidden > 0 {
            format!(" ↓ {hidden} more lines: tlsctl bundle diff prints them all ")
        } else {
            String::new()
        };
        frame.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: true }).block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(format!(" warnings ({}) ", parts.warnings.len()))
                    .title_bottom(Span::styled(more, theme::key_hint())),
            ),
            warn_area,
        );
    }
    if peer_rows > 0 {
        let focus = view.pane == DiffPane::Peers && !app.detail_focus;
        let height = usize::from(peer_area.height.saturating_sub(3));
        let rows: Vec<Row<'_>> = visible_rows(&view.peers, height, focus)
            .into_iter()
            .filter_map(|v| {
                let p = parts.peers.get(v.index)?;
                let why = peer_reasons.get(v.index).cloned().unwrap_or_default();
                let lines = u16::try_from(why.len().max(1)).unwrap_or(1);
                Some(
                    Row::new(vec![
                        Cell::from(Line::from(vec![
                            Span::raw(v.pointer),
                            Span::styled(p.verdict.as_str(), theme::tone(verdict_tone(p.verdict))),
                        ])),
                        Cell::from(fit_left(&p.peer, 24)),
                        Cell::from(Text::from(
                            why.into_iter().map(Line::from).collect::<Vec<_>>(),
                        )),
                    ])
                    .height(lines)
                    .style(v.style),
                )
            })
            .collect();
        let table = Table::new(
            rows,
            [
                Constraint::Length(8),
                Constraint::Length(24),
                Constraint::Min(10),
            ],
        )
        .header(Row::new(["peer", "file", "after the roll"]).style(theme::header()))
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_type(theme::border_type(focus))
                .border_style(theme::border(focus))
                .title(Span::styled(
                    format!(" Peers ({}) ", view.peers.count(parts.peers.len())),
                    theme::title(),
                )),
        );
        frame.render_widget(table, peer_area);
    }
    let focus = view.pane == DiffPane::Changes && !app.detail_focus;
    let height = usize::from(change_area.height.saturating_sub(3));
    let side_width = usize::from(change_area.width.saturating_sub(15)) / 2;
    let rows: Vec<Row<'_>> = visible_rows(&view.changes, height, focus)
        .into_iter()
        .filter_map(|v| {
            let c = parts.changes.get(v.index)?;
            let side = |s: &Option<crate::pki::diff::Side>| match s {
                Some(s) => fit(
                    &format!(
                        "{} {}",
                        s.subject.rsplit("CN=").next().unwrap_or(&s.subject),
                        s.pin_sha256.get(..8).unwrap_or_default()
                    ),
                    side_width.saturating_sub(1),
                ),
                None => String::new(),
            };
            Some(
                Row::new(vec![
                    Line::from(vec![
                        Span::raw(v.pointer),
                        Span::styled(c.class.as_str(), theme::tone(class_tone(c.class))),
                    ]),
                    Line::from(side(&c.old)),
                    Line::from(side(&c.new)),
                ])
                .style(v.style),
            )
        })
        .collect();
    let table = Table::new(
        rows,
        [
            Constraint::Length(11),
            Constraint::Percentage(50),
            Constraint::Percentage(50),
        ],
    )
    .header(Row::new(["class", "OLD", "NEW"]).style(theme::header()))
    .block(
        Block::default()
            .borders(Borders::ALL)
            .border_type(theme::border_type(focus))
            .border_style(theme::border(focus))
            .title(Span::styled(
                format!(
                    " {} -> {} ({} certificates) ",
                    base_name(&parts.old_name),
                    base_name(&parts.new_name),
                    view.changes.count(parts.changes.len())
                ),
                theme::title(),
            )),
    );
    frame.render_widget(table, change_area);
}
