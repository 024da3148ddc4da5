//! The store: CAs as a tree (roots and their intermediates) above the
//! certificates tlsctl issued, expiry coloured.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table};

use super::{detail, fit, visible_rows, with_detail};
use crate::pki::render::Tone;
use crate::tui::app::{App, StorePane};
use crate::tui::theme;

pub fn draw(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let view = &app.store;
    let Some(snap) = &view.snapshot else {
        let text = match &view.error {
            Some(e) => Line::from(Span::styled(e.clone(), theme::tone(Tone::Bad))),
            None => Line::from("loading the store..."),
        };
        frame.render_widget(
            Paragraph::new(text).block(Block::default().borders(Borders::ALL)),
            area,
        );
        return;
    };
    let (lists, detail_rect) = with_detail(area, app.detail);
    if let Some(lists) = lists {
        let ca_rows = (snap.cas.len() as u16).clamp(1, lists.height.saturating_sub(6) / 2 + 1) + 3;
        let [ca_area, issued_area] =
            Layout::vertical([Constraint::Length(ca_rows), Constraint::Min(4)]).areas(lists);
        let marked: Vec<&str> = app.marked.iter().map(|m| m.pin.as_str()).collect();

        // CAs.
        let focus = view.pane == StorePane::Cas && !app.detail_focus;
        let height = usize::from(ca_area.height.saturating_sub(3));
        let name_width = usize::from(ca_area.width)
            .saturating_sub(2 + 13 + 12 + 20 + 9 + 6)
            .max(10);
        let rows: Vec<Row<'_>> = visible_rows(&view.cas, height, focus)
            .filter_map(|(i, style)| {
                let ca = snap.cas.get(i)?;
                let branch = match (ca.depth, ca.last) {
                    (0, _) => String::new(),
                    (d, true) => format!("{}└ ", "  ".repeat(d - 1)),
                    (d, false) => format!("{}├ ", "  ".repeat(d - 1)),
                };
                let (expiry, tone) = ca.row.expiry();
                let mark = if marked.contains(&ca.row.info.pin_sha256.as_str()) {
                    "*"
                } else {
                    " "
                };
                Some(
                    Row::new(vec![
                        Line::from(fit(&format!("{mark}{branch}{}", ca.name), name_width)),
                        Line::from(ca.row.role()),
                        Line::from(ca.row.info.key.describe()),
                        Line::from(Span::styled(expiry, theme::tone(tone))),
                        Line::from(Span::styled(
                            ca.row
                                .info
                                .pin_sha256
                                .get(..8)
                                .unwrap_or_default()
                                .to_owned(),
                            theme::tone(Tone::Dim),
                        )),
                    ])
                    .style(style),
                )
            })
            .collect();
        let empty = snap.cas.is_empty();
        let table = Table::new(
            rows,
            [Constraint::Min(10), Constraint::Length(12), Constraint::Length(11), Constraint::Length(19), Constraint::Length(8)],
        )
        .header(Row::new(["name", "role", "key", "validity", "pin"]).style(theme::header()))
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme::border(focus))
                .title(Span::styled(
                    if empty {
                        format!(" CAs in {} — none yet: c creates one, i issues (and makes a default CA) ", snap.root)
                    } else {
                        format!(" CAs in {} ", snap.root)
                    },
                    theme::title(),
                )),
        );
        frame.render_widget(table, ca_area);

        // Issued certificates.
        let focus = view.pane == StorePane::Issued && !app.detail_focus;
        let height = usize::from(issued_area.height.saturating_sub(3));
        let rows: Vec<Row<'_>> = visible_rows(&view.issued, height, focus)
            .filter_map(|(i, style)| {
                let r = snap.issued.get(i)?;
                let cells = match &r.row {
                    Some(row) => {
                        let (expiry, tone) = row.expiry();
                        let mark = if marked.contains(&row.info.pin_sha256.as_str()) {
                            "*"
                        } else {
                            " "
                        };
                        vec![
                            Line::from(format!("{mark}{}", r.name)),
                            Line::from(r.ca.clone()),
                            Line::from(row.info.key.describe()),
                            Line::from(Span::styled(expiry, theme::tone(tone))),
                            Line::from(Span::styled(
                                row.info.pin_sha256.get(..8).unwrap_or_default().to_owned(),
                                theme::tone(Tone::Dim),
                            )),
                        ]
                    }
                    None => vec![
                        Line::from(format!(" {}", r.name)),
                        Line::from(r.ca.clone()),
                        Line::from(Span::styled("unreadable", theme::tone(Tone::Bad))),
                        Line::from(Span::styled(
                            r.error.clone().unwrap_or_default(),
                            theme::tone(Tone::Bad),
                        )),
                    ],
                };
                Some(Row::new(cells).style(style))
            })
            .collect();
        let table = Table::new(
            rows,
            [
                Constraint::Min(10),
                Constraint::Length(12),
                Constraint::Length(11),
                Constraint::Length(19),
                Constraint::Length(8),
            ],
        )
        .header(Row::new(["issued", "CA", "key", "validity", "pin"]).style(theme::header()))
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme::border(focus))
                .title(Span::styled(
                    format!(" Issued certificates ({}) ", snap.issued.len()),
                    theme::title(),
                )),
        );
        frame.render_widget(table, issued_area);
    }
    if let Some(rect) = detail_rect {
        detail::selected(frame, app, rect);
    }
}
