//! The pins view: the marked certificates' pins as a ready `pinned_certs`
//! block, which `w` writes to a file.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::pki::render::Tone;
use crate::tui::app::App;
use crate::tui::theme;

pub fn draw(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" pinned_certs ", theme::title()));
    if app.marked.is_empty() {
        let text = vec![
            Line::from("No pins marked yet."),
            Line::from(""),
            Line::from(Span::styled(
                "Mark certificates with space in the store or a bundle; their pins gather here \
                 as a pinned_certs block, which w writes to a file.",
                theme::tone(Tone::Dim),
            )),
        ];
        frame.render_widget(
            Paragraph::new(text).wrap(Wrap { trim: true }).block(block),
            area,
        );
        return;
    }
    let lines: Vec<Line<'_>> = app
        .pins_text
        .lines()
        .map(|l| {
            if l.trim_start().starts_with('#') {
                Line::from(Span::styled(l.to_owned(), theme::tone(Tone::Dim)))
            } else if l.trim_start().starts_with('"') {
                Line::from(Span::styled(l.to_owned(), theme::tone(Tone::Key)))
            } else {
                Line::from(l.to_owned())
            }
        })
        .collect();
    let block = block.title_bottom(Span::styled(
        " w: write to a file    space (in a list): unmark ",
        theme::key_hint(),
    ));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
