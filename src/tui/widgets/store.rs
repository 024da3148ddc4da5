//! The store: CAs as a tree (roots and their intermediates) above the
//! certificates tlsctl issued, expiry coloured.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, Wrap};

use super::{Column, detail, fit, kept, plan_columns, visible_rows, with_detail};
use crate::pki::render::Tone;
use crate::tui::app::{App, StorePane};
use crate::tui::theme;

/// The cells of a store row before the columns are planned.
struct Cells {
    name: String,
    second: String,
    key: String,
    expiry: (String, Tone),
    pin: String,
    style: Style,
}

fn pane(title: String, focused: bool) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_type(theme::border_type(focused))
        .border_style(theme::border(focused))
        .title(Span::styled(title, theme::title()))
}

/// A table of store rows: the name column takes what the others leave;
/// on a narrow pane the pin, then the key, give way.
fn table(
    frame: &mut Frame<'_>,
    cells: Vec<Cells>,
    headers: [&'static str; 5],
    block: Block<'static>,
    area: Rect,
) {
    let columns = [
        Column::fitting(headers[0], cells.iter().map(|c| c.name.as_str()), 0),
        Column::fitting(headers[1], cells.iter().map(|c| c.second.as_str()), 0),
        Column::fitting(headers[2], cells.iter().map(|c| c.key.as_str()), 2),
        Column::fitting(headers[3], cells.iter().map(|c| c.expiry.0.as_str()), 0),
        Column::fitting(headers[4], cells.iter().map(|c| c.pin.as_str()), 3),
    ];
    let (keep, widths, name_width) = plan_columns(&columns, 0, 10, area.width.saturating_sub(2));
    let rows: Vec<Row<'_>> = cells
        .into_iter()
        .map(|c| {
            let line = vec![
                Line::from(fit(&c.name, name_width)),
                Line::from(c.second),
                Line::from(c.key),
                Line::from(Span::styled(c.expiry.0, theme::tone(c.expiry.1))),
                Line::from(Span::styled(c.pin, theme::tone(Tone::Dim))),
            ];
            Row::new(kept(line, &keep)).style(c.style)
        })
        .collect();
    let header = kept(headers.to_vec(), &keep);
    frame.render_widget(
        Table::new(rows, widths)
            .header(Row::new(header).style(theme::header()))
            .block(block),
        area,
    );
}

fn short_pin(pin: &str) -> String {
    pin.get(..8).unwrap_or_default().to_owned()
}

pub fn draw(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let view = &app.store;
    let Some(snap) = &view.snapshot else {
        let text = match &view.error {
            Some(e) => Line::from(Span::styled(e.clone(), theme::tone(Tone::Bad))),
            None => Line::from("loading the store..."),
        };
        frame.render_widget(
            Paragraph::new(text)
                .wrap(Wrap { trim: true })
                .block(Block::default().borders(Borders::ALL)),
            area,
        );
        return;
    };
    let (lists, detail_rect) = with_detail(area, app.detail);
    if let Some(lists) = lists {
        let ca_rows = (snap.cas.len() as u16).clamp(2, lists.height.saturating_sub(6) / 2 + 1) + 3;
        let [ca_area, issued_area] =
            Layout::vertical([Constraint::Length(ca_rows), Constraint::Min(4)]).areas(lists);
        let marked: Vec<&str> = app.marked.iter().map(|m| m.pin.as_str()).collect();
        let mark = |pin: &str| if marked.contains(&pin) { "*" } else { " " };

        // CAs.
        let focus = view.pane == StorePane::Cas && !app.detail_focus;
        let title = format!(
            " CAs ({}) in {} ",
            view.cas.count(snap.cas.len()),
            snap.root
        );
        if snap.cas.is_empty() {
            let text = Line::from(Span::styled(
                "None yet: c creates a CA; i issues a certificate (and first makes a CA named \
                 \"default\").",
                theme::tone(Tone::Dim),
            ));
            frame.render_widget(
                Paragraph::new(text)
                    .wrap(Wrap { trim: true })
                    .block(pane(title, focus)),
                ca_area,
            );
        } else {
            let height = usize::from(ca_area.height.saturating_sub(3));
            let cells: Vec<Cells> = visible_rows(&view.cas, height, focus)
                .into_iter()
                .filter_map(|v| {
                    let ca = snap.cas.get(v.index)?;
                    let branch = match (ca.depth, ca.last) {
                        (0, _) => String::new(),
                        (d, true) => format!("{}└ ", "  ".repeat(d - 1)),
                        (d, false) => format!("{}├ ", "  ".repeat(d - 1)),
                    };
                    Some(Cells {
                        name: format!(
                            "{}{}{branch}{}",
                            v.pointer,
                            mark(&ca.row.info.pin_sha256),
                            ca.name
                        ),
                        second: ca.row.role().to_owned(),
                        key: ca.row.info.key.describe(),
                        expiry: ca.row.expiry(),
                        pin: short_pin(&ca.row.info.pin_sha256),
                        style: v.style,
                    })
                })
                .collect();
            table(
                frame,
                cells,
                ["name", "role", "key", "validity", "pin"],
                pane(title, focus),
                ca_area,
            );
        }

        // Issued certificates.
        let focus = view.pane == StorePane::Issued && !app.detail_focus;
        let title = format!(
            " Issued certificates ({}) ",
            view.issued.count(snap.issued.len())
        );
        if snap.issued.is_empty() {
            let text = Line::from(Span::styled(
                "None yet: i issues a certificate from the selected CA.",
                theme::tone(Tone::Dim),
            ));
            frame.render_widget(
                Paragraph::new(text)
                    .wrap(Wrap { trim: true })
                    .block(pane(title, focus)),
                issued_area,
            );
        } else {
            let height = usize::from(issued_area.height.saturating_sub(3));
            let cells: Vec<Cells> = visible_rows(&view.issued, height, focus)
                .into_iter()
                .filter_map(|v| {
                    let r = snap.issued.get(v.index)?;
                    Some(match &r.row {
                        Some(row) => Cells {
                            name: format!("{}{}{}", v.pointer, mark(&row.info.pin_sha256), r.name),
                            second: r.ca.clone(),
                            key: row.info.key.describe(),
                            expiry: row.expiry(),
                            pin: short_pin(&row.info.pin_sha256),
                            style: v.style,
                        },
                        None => Cells {
                            name: format!("{} {}", v.pointer, r.name),
                            second: r.ca.clone(),
                            key: "unreadable".to_owned(),
                            expiry: (fit(r.error.as_deref().unwrap_or_default(), 19), Tone::Bad),
                            pin: String::new(),
                            style: v.style,
                        },
                    })
                })
                .collect();
            table(
                frame,
                cells,
                ["issued", "CA", "key", "validity", "pin"],
                pane(title, focus),
                issued_area,
            );
        }
    }
    if let Some(rect) = detail_rect {
        detail::selected(frame, app, rect);
    }
}
