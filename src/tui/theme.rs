//! Colours and styles, in one place; tones come from the shared renderer.
//!
//! Nothing that matters is shown by colour alone: the selected row is in
//! reverse video and carries a `>`, the focused pane has a thick border,
//! the current tab is in reverse video. Without colour (`NO_COLOR`,
//! `--color never`) the view drops every colour and keeps the rest
//! (`strip_colors`).

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::BorderType;

use crate::pki::render::Tone;

pub fn tone(t: Tone) -> Style {
    match t {
        Tone::Normal => Style::default(),
        Tone::Good => Style::default().fg(Color::Green),
        Tone::Warn => Style::default().fg(Color::Yellow),
        Tone::Bad => Style::default().fg(Color::Red),
        Tone::Dim => Style::default().fg(Color::DarkGray),
        Tone::Key => Style::default()
            .fg(Color::Cyan)
            .add_modifier(Modifier::BOLD),
    }
}

pub fn title() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}

pub fn selected() -> Style {
    Style::default().add_modifier(Modifier::REVERSED)
}

/// The marker before the selected row of a list.
pub fn pointer(selected: bool) -> &'static str {
    if selected { ">" } else { " " }
}

pub fn header() -> Style {
    Style::default()
        .fg(Color::Gray)
        .add_modifier(Modifier::BOLD)
}

pub fn tab(active: bool) -> Style {
    if active {
        // Reversed: black on cyan in colour, reverse video without.
        Style::default()
            .fg(Color::Cyan)
            .add_modifier(Modifier::BOLD | Modifier::REVERSED)
    } else {
        Style::default().fg(Color::Gray)
    }
}

pub fn key_hint() -> Style {
    Style::default().fg(Color::Cyan)
}

pub fn border(focused: bool) -> Style {
    if focused {
        Style::default().fg(Color::Cyan)
    } else {
        Style::default().fg(Color::DarkGray)
    }
}

/// A focused pane has a thick border, so focus shows without colour.
pub fn border_type(focused: bool) -> BorderType {
    if focused {
        BorderType::Thick
    } else {
        BorderType::Plain
    }
}

/// Drops every colour from a drawn frame, keeping reverse video, bold and
/// the rest: the view without colour.
pub fn strip_colors(buffer: &mut Buffer) {
    let plain = Style::default()
        .fg(Color::Reset)
        .bg(Color::Reset)
        .underline_color(Color::Reset);
    for cell in &mut buffer.content {
        cell.set_style(plain);
    }
}
