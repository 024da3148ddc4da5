//! Drawing: a pure function of `&App`. The frame is a tab bar, the current
//! view, a status line and a help bar written from the key table; overlays
//! (help, confirmation, prompt, form) draw on top.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::app::{App, Overlay, Tab};
use super::keymap;
use super::theme;
use super::widgets;

const SPINNER: [&str; 4] = ["|", "/", "-", "\\"];

pub fn draw(frame: &mut Frame<'_>, app: &App) {
    // A long message (an error from a job) wraps onto up to three rows.
    let status_rows = match (&app.status, app.filtering) {
        (Some((text, _)), false) => {
            widgets::wrapped_rows(text, usize::from(frame.area().width).max(1)).min(3)
        }
        _ => 1,
    };
    let [tabs, main, status, help] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(u16::try_from(status_rows).unwrap_or(1)),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    draw_tabs(frame, app, tabs);
    match app.current_tab() {
        Tab::Store => widgets::store::draw(frame, app, main),
        Tab::File(i) => widgets::bundle::draw(frame, app, i, main),
        Tab::Diff => widgets::diff::draw(frame, app, main),
        Tab::Fleet => widgets::fleet::draw(frame, app, main),
        Tab::Pins => widgets::pins::draw(frame, app, main),
    }
    draw_status(frame, app, status);
    draw_help_bar(frame, app, help);
    widgets::overlays::draw(frame, app);
    if !app.color {
        theme::strip_colors(frame.buffer_mut());
    }
}

fn tab_title(app: &App, tab: Tab) -> String {
    match tab {
        Tab::Store => "Store".to_owned(),
        Tab::File(i) => app
            .files
            .get(i)
            .map(|f| {
                f.path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| f.path.display().to_string())
            })
            .unwrap_or_default(),
        Tab::Diff => "Diff".to_owned(),
        Tab::Fleet => "Fleet".to_owned(),
        Tab::Pins => format!("Pins ({})", app.marked.len()),
    }
}

fn draw_tabs(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let mut spans = vec![Span::styled(" tlsctl ", theme::title())];
    let titles: Vec<String> = app
        .tabs
        .iter()
        .map(|t| format!(" {} ", tab_title(app, *t)))
        .collect();
    // With more tabs than fit, start late enough that the current one (and
    // the busy marker) shows; `‹` says tabs are hidden to the left.
    let room = usize::from(area.width).saturating_sub(8 + 12);
    let width = |range: std::ops::RangeInclusive<usize>| -> usize {
        titles
            .get(range)
            .map_or(0, |ts| ts.iter().map(|t| t.chars().count() + 1).sum())
    };
    let mut first = 0;
    while first < app.tab && width(first..=app.tab) > room {
        first += 1;
    }
    if first > 0 {
        spans.push(Span::styled(" ‹", theme::key_hint()));
    }
    for (i, title) in titles.iter().enumerate().skip(first) {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(title.clone(), theme::tab(i == app.tab)));
    }
    if app.busy > 0 {
        let spin = SPINNER
            .get(app.spinner % SPINNER.len())
            .copied()
            .unwrap_or("|");
        spans.push(Span::styled(format!("  {spin} working"), theme::key_hint()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_status(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let line = if app.filtering {
        let (filter, cursor) = app
            .list()
            .map(|l| (l.filter.clone(), l.cursor))
            .unwrap_or_default();
        let chars: Vec<char> = filter.chars().collect();
        let at = cursor.min(chars.len());
        let part = |r: std::ops::Range<usize>| -> String {
            chars.get(r).unwrap_or_default().iter().collect()
        };
        Line::from(vec![
            Span::styled("/", theme::key_hint()),
            Span::raw(part(0..at)),
            Span::styled(
                chars.get(at).map_or(" ".to_owned(), |c| c.to_string()),
                theme::selected(),
            ),
            Span::raw(part((at + 1).min(chars.len())..chars.len())),
        ])
    } else if let Some((text, tone)) = &app.status {
        Line::from(Span::styled(text.clone(), theme::tone(*tone)))
    } else if let Some(list) = app.list().filter(|l| !l.filter.is_empty()) {
        Line::from(Span::styled(
            format!(
                "filter: {} ({} shown; Esc clears)",
                list.filter,
                list.filtered.len()
            ),
            theme::key_hint(),
        ))
    } else {
        Line::from("")
    };
    frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), area);
}

/// Where the user is, for the help bar.
pub fn place(app: &App) -> keymap::Place {
    let (form, choice) = match &app.overlay {
        Some(Overlay::Form(f)) => (
            true,
            f.fields.get(f.focus).is_some_and(|f| f.choices.is_some()),
        ),
        _ => (false, false),
    };
    keymap::Place {
        view: match app.current_tab() {
            Tab::Store => keymap::View::Store,
            Tab::File(_) => keymap::View::File,
            Tab::Diff => keymap::View::Diff,
            Tab::Fleet => keymap::View::Fleet,
            Tab::Pins => keymap::View::Pins,
        },
        issued: app.store.pane == super::app::StorePane::Issued,
        detail: app.detail,
        form,
        choice,
    }
}

/// The keys of the current mode and place, from the key table; when they
/// do not fit, the general ones (view, pins) give way first.
pub fn help_bar_items(app: &App, width: usize) -> Vec<keymap::BarItem> {
    let mut items = keymap::bar(app.mode(), place(app));
    let len = |items: &[keymap::BarItem]| -> usize {
        items
            .iter()
            .map(|i| i.key.chars().count() + i.label.chars().count() + 3)
            .sum()
    };
    while len(&items) > width {
        let victim = items
            .iter()
            .rposition(|i| !i.specific)
            .or_else(|| items.iter().position(|i| i.moving));
        match victim {
            Some(at) => {
                items.remove(at);
            }
            None => break,
        }
    }
    items
}

fn draw_help_bar(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let mut spans = Vec::new();
    for item in help_bar_items(app, usize::from(area.width)) {
        spans.push(Span::styled(format!(" {}", item.key), theme::key_hint()));
        spans.push(Span::styled(format!(" {} ", item.label), Style::default()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
