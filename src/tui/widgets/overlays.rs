//! What draws on top: help (from the key table), a confirmation, a text
//! prompt, a form with validation as you type.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::pki::render::Tone;
use crate::tui::app::{App, Overlay};
use crate::tui::{keymap, theme};

/// A text value with its cursor: the character under it (or a space at
/// the end) in reverse video, which shows without colour.
fn with_cursor(value: &str, cursor: usize) -> Vec<Span<'static>> {
    let chars: Vec<char> = value.chars().collect();
    let at = cursor.min(chars.len());
    let before: String = chars.get(..at).unwrap_or_default().iter().collect();
    let under: String = chars.get(at).map_or(" ".to_owned(), |c| c.to_string());
    let after: String = chars.get(at + 1..).unwrap_or_default().iter().collect();
    vec![
        Span::raw(before),
        Span::styled(under, theme::selected()),
        Span::raw(after),
    ]
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}

pub fn draw(frame: &mut Frame<'_>, app: &App) {
    let area = frame.area();
    match &app.overlay {
        None => {}
        Some(Overlay::Help) => {
            let help = keymap::help_lines();
            let width = help
                .iter()
                .map(|(k, _)| k.chars().count())
                .max()
                .unwrap_or(4)
                + 2;
            let mut lines: Vec<Line<'_>> = help
                .into_iter()
                .map(|(k, h)| {
                    Line::from(vec![
                        Span::styled(format!("{k:<width$}"), theme::key_hint()),
                        Span::raw(h),
                    ])
                })
                .collect();
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                "In forms and prompts (and the filter):",
                theme::title(),
            )));
            for (k, h) in keymap::mode_lines(keymap::Mode::Typing) {
                lines.push(Line::from(vec![
                    Span::styled(format!("{k:<width$}"), theme::key_hint()),
                    Span::raw(h),
                ]));
            }
            lines.push(Line::from(Span::styled(
                "Text can be pasted into any field.",
                theme::tone(Tone::Dim),
            )));
            let total = u16::try_from(lines.len()).unwrap_or(u16::MAX);
            let rect = centered(area, 76, total.saturating_add(2));
            // On a short terminal the help scrolls (j/k), and says so.
            let limit = total.saturating_sub(rect.height.saturating_sub(2));
            app.help_limit.set(limit);
            let scroll = app.help_scroll.min(limit);
            let more = if scroll < limit {
                " ↓ more: j/k scroll, G end "
            } else {
                ""
            };
            frame.render_widget(Clear, rect);
            frame.render_widget(
                Paragraph::new(lines).scroll((scroll, 0)).block(
                    Block::default()
                        .borders(Borders::ALL)
                        .title(" keys (Esc closes) ")
                        .title_bottom(Span::styled(more, theme::key_hint())),
                ),
                rect,
            );
        }
        Some(Overlay::Confirm { question, .. }) => {
            // As tall as the question wraps (what a removal cuts off can
            // take several lines), within the screen.
            let width = area.width.min(78);
            let inner = usize::from(width.saturating_sub(2)).max(1);
            let mut lines: Vec<Line<'_>> = question
                .lines()
                .map(|l| {
                    let tone = if l.trim_start().starts_with("lost:") {
                        Tone::Bad
                    } else if l.starts_with("warning:") {
                        Tone::Warn
                    } else {
                        Tone::Normal
                    };
                    Line::from(Span::styled(l.to_owned(), theme::tone(tone)))
                })
                .collect();
            let rows: usize = question
                .lines()
                .map(|l| super::wrapped_rows(l, inner))
                .sum();
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                "y: yes    n / Esc: no",
                theme::key_hint(),
            )));
            let height = u16::try_from(rows + 2)
                .unwrap_or(u16::MAX)
                .saturating_add(2);
            let rect = centered(area, width, height);
            frame.render_widget(Clear, rect);
            frame.render_widget(
                Paragraph::new(lines)
                    .wrap(Wrap { trim: false })
                    .block(Block::default().borders(Borders::ALL).title(" confirm ")),
                rect,
            );
        }
        Some(Overlay::Prompt(p)) => {
            let rect = centered(area, 70, 5);
            frame.render_widget(Clear, rect);
            let mut lines = vec![Line::from(with_cursor(&p.input, p.cursor))];
            if let Some(e) = &p.error {
                lines.push(Line::from(Span::styled(e.clone(), theme::tone(Tone::Bad))));
            }
            frame.render_widget(
                Paragraph::new(lines).block(
                    Block::default()
                        .borders(Borders::ALL)
                        .title(format!(" {} ", p.title)),
                ),
                rect,
            );
        }
        Some(Overlay::Form(form)) => {
            let title = form.kind.title();
            let mut lines: Vec<Line<'_>> = Vec::new();
            for (i, f) in form.fields.iter().enumerate() {
                let focused = i == form.focus;
                let mut spans = vec![
                    Span::styled(
                        format!("{}{:<12}", theme::pointer(focused), f.label),
                        if focused {
                            theme::selected()
                        } else {
                            theme::header()
                        },
                    ),
                    Span::raw(" "),
                ];
                // A password shows as one `*` a character, never itself.
                let masked;
                let value = if f.secret {
                    masked = "*".repeat(f.value.chars().count());
                    &masked
                } else {
                    &f.value
                };
                match f.choices {
                    Some(_) => spans.push(Span::raw(format!("‹ {value} ›"))),
                    None if focused => spans.extend(with_cursor(value, f.cursor)),
                    None => spans.push(Span::raw(value.clone())),
                }
                lines.push(Line::from(spans));
                match &f.error {
                    Some(e) => lines.push(Line::from(Span::styled(
                        format!("{:<12}! {e}", ""),
                        theme::tone(Tone::Bad),
                    ))),
                    None if focused => lines.push(Line::from(Span::styled(
                        format!("{:<14}{}", "", f.hint),
                        theme::tone(Tone::Dim),
                    ))),
                    None => {}
                }
            }
            lines.push(Line::from(""));
            if let Some(e) = &form.error {
                lines.push(Line::from(Span::styled(e.clone(), theme::tone(Tone::Bad))));
            }
            lines.push(Line::from(Span::styled(
                if form.is_valid() {
                    "Enter: go    Esc: cancel"
                } else {
                    "fix the fields marked !    Esc: cancel"
                },
                theme::key_hint(),
            )));
            // Long hints, values and errors wrap: count their rows.
            let inner = usize::from(area.width.min(78).saturating_sub(2)).max(1);
            let rows: usize = lines
                .iter()
                .map(|l| {
                    let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
                    if text.trim().is_empty() {
                        1
                    } else {
                        super::wrapped_rows(&text, inner)
                            .max(l.width().div_ceil(inner))
                            .max(1)
                    }
                })
                .sum();
            let height = u16::try_from(rows).unwrap_or(u16::MAX);
            let rect = centered(area, 78, height.saturating_add(2));
            frame.render_widget(Clear, rect);
            frame.render_widget(
                Paragraph::new(lines)
                    .wrap(Wrap { trim: false })
                    .block(Block::default().borders(Borders::ALL).title(title)),
                rect,
            );
        }
    }
}
