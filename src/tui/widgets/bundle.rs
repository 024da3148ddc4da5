//! A bundle (or any file of certificates): a virtualized table, the detail
//! pane, and the problems of blocks that are not certificates.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table};

use super::{detail, fit, visible_rows, with_detail};
use crate::pki::render::{Tone, counted};
use crate::tui::app::{App, List};
use crate::tui::data::CertRow;
use crate::tui::theme;

/// A table of certificate rows; only the visible ones are built.
pub fn cert_table(
    frame: &mut Frame<'_>,
    rows: &[CertRow],
    list: &List,
    marked: &[String],
    title: String,
    area: Rect,
    focused: bool,
) {
    let height = usize::from(area.height.saturating_sub(3));
    // Narrow panes drop the key and pin columns.
    let wide = area.width >= 78;
    let digits = rows.last().map_or(1, |r| r.block.to_string().len());
    let number = (digits + 1).max(4) as u16;
    let fixed = usize::from(number)
        + if wide {
            12 + 11 + 19 + 8 + 7
        } else {
            12 + 19 + 5
        };
    let subject_width = usize::from(area.width).saturating_sub(fixed).max(8);
    let visible: Vec<Row<'_>> = visible_rows(list, height, focused)
        .filter_map(|(i, style)| {
            let r = rows.get(i)?;
            let (expiry, tone) = r.expiry();
            let mark = if marked.contains(&r.info.pin_sha256) {
                "*"
            } else {
                " "
            };
            let mut cells = vec![
                Line::from(format!("{mark}{:>digits$}", r.block)),
                Line::from(r.role()),
                Line::from(fit(r.info.short_name(), subject_width)),
            ];
            if wide {
                cells.push(Line::from(r.info.key.describe()));
            }
            cells.push(Line::from(Span::styled(expiry, theme::tone(tone))));
            if wide {
                cells.push(Line::from(Span::styled(
                    r.info.pin_sha256.get(..8).unwrap_or_default().to_owned(),
                    theme::tone(Tone::Dim),
                )));
            }
            Some(Row::new(cells).style(style))
        })
        .collect();
    let (widths, header): (Vec<Constraint>, Vec<&str>) = if wide {
        (
            vec![
                Constraint::Length(number),
                Constraint::Length(12),
                Constraint::Min(8),
                Constraint::Length(11),
                Constraint::Length(19),
                Constraint::Length(8),
            ],
            vec!["#", "role", "subject", "key", "validity", "pin"],
        )
    } else {
        (
            vec![
                Constraint::Length(number),
                Constraint::Length(12),
                Constraint::Min(8),
                Constraint::Length(19),
            ],
            vec!["#", "role", "subject", "validity"],
        )
    };
    let table = Table::new(visible, widths)
        .header(Row::new(header).style(theme::header()))
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme::border(focused))
                .title(Span::styled(title, theme::title())),
        );
    frame.render_widget(table, area);
}

pub fn draw(frame: &mut Frame<'_>, app: &App, index: usize, area: Rect) {
    let Some(view) = app.files.get(index) else {
        return;
    };
    let Some(loaded) = &view.loaded else {
        let text = match &view.error {
            Some(e) => Line::from(Span::styled(e.clone(), theme::tone(Tone::Bad))),
            None => Line::from(format!("loading {}...", view.path.display())),
        };
        frame.render_widget(
            Paragraph::new(text).block(Block::default().borders(Borders::ALL)),
            area,
        );
        return;
    };
    let problems = loaded.problems.len().min(5) as u16;
    let [list_area, problem_area] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(if problems > 0 { problems + 2 } else { 0 }),
    ])
    .areas(area);
    let (list_rect, detail_rect) = with_detail(list_area, app.detail);
    let marked: Vec<String> = app.marked.iter().map(|m| m.pin.clone()).collect();
    if let Some(rect) = list_rect {
        let title = format!(
            " {} — {}{} ",
            loaded.name,
            counted(loaded.rows.len(), "certificate"),
            if view.list.filter.is_empty() {
                String::new()
            } else {
                format!(", {} shown", view.list.filtered.len())
            }
        );
        cert_table(
            frame,
            &loaded.rows,
            &view.list,
            &marked,
            title,
            rect,
            !app.detail_focus,
        );
    }
    if let Some(rect) = detail_rect {
        detail::selected(frame, app, rect);
    }
    if problems > 0 {
        let lines: Vec<Line<'_>> = loaded
            .problems
            .iter()
            .take(5)
            .map(|p| Line::from(Span::styled(p.clone(), theme::tone(Tone::Bad))))
            .collect();
        frame.render_widget(
            Paragraph::new(lines).block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(" not usable as trust anchors "),
            ),
            problem_area,
        );
    }
}
