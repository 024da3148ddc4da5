//! A bundle (or any file of certificates): a virtualized table, the detail
//! pane, and the problems of blocks that are not certificates.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, Wrap};

use super::{Column, detail, fit, kept, plan_columns, visible_rows, with_detail};
use crate::pki::render::Tone;
use crate::tui::app::{App, List};
use crate::tui::data::CertRow;
use crate::tui::theme;

/// A table of certificate rows; only the visible ones are built. Columns
/// are as wide as what they show; on a narrow pane the pin, then the key
/// column, give way to the subject.
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
    let digits = rows.last().map_or(1, |r| r.block.to_string().len());
    struct Cells {
        number: String,
        role: &'static str,
        subject: String,
        key: String,
        expiry: (String, Tone),
        pin: String,
    }
    let visible: Vec<(Cells, ratatui::style::Style)> = visible_rows(list, height, focused)
        .into_iter()
        .filter_map(|v| {
            let r = rows.get(v.index)?;
            let mark = if marked.contains(&r.info.pin_sha256) {
                "*"
            } else {
                " "
            };
            Some((
                Cells {
                    number: format!("{}{mark}{:>digits$}", v.pointer, r.block),
                    role: r.role(),
                    subject: r.info.short_name().to_owned(),
                    key: r.info.key.describe(),
                    expiry: r.expiry(),
                    pin: r.info.pin_sha256.get(..8).unwrap_or_default().to_owned(),
                },
                v.style,
            ))
        })
        .collect();
    let columns = [
        Column {
            header: "#",
            width: u16::try_from(digits + 2).unwrap_or(8),
            drop: 0,
        },
        Column::fitting("role", visible.iter().map(|(c, _)| c.role), 0),
        Column::fitting(
            "subject",
            visible.iter().map(|(c, _)| c.subject.as_str()),
            0,
        ),
        Column::fitting("key", visible.iter().map(|(c, _)| c.key.as_str()), 2),
        Column::fitting(
            "validity",
            visible.iter().map(|(c, _)| c.expiry.0.as_str()),
            0,
        ),
        Column::fitting("pin", visible.iter().map(|(c, _)| c.pin.as_str()), 3),
    ];
    let (keep, widths, subject_width) = plan_columns(&columns, 2, 12, area.width.saturating_sub(2));
    let header = kept(columns.iter().map(|c| c.header).collect(), &keep);
    let table_rows: Vec<Row<'_>> = visible
        .into_iter()
        .map(|(c, style)| {
            let cells = vec![
                Line::from(c.number),
                Line::from(c.role),
                Line::from(fit(&c.subject, subject_width)),
                Line::from(c.key),
                Line::from(Span::styled(c.expiry.0, theme::tone(c.expiry.1))),
                Line::from(Span::styled(c.pin, theme::tone(Tone::Dim))),
            ];
            Row::new(kept(cells, &keep)).style(style)
        })
        .collect();
    let table = Table::new(table_rows, widths)
        .header(Row::new(header).style(theme::header()))
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_type(theme::border_type(focused))
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
            Paragraph::new(text)
                .wrap(Wrap { trim: true })
                .block(Block::default().borders(Borders::ALL)),
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
            " {} — {} {} ",
            loaded.name,
            view.list.count(loaded.rows.len()),
            if loaded.rows.len() == 1 {
                "certificate"
            } else {
                "certificates"
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
            Paragraph::new(lines).wrap(Wrap { trim: true }).block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(" not usable as trust anchors "),
            ),
            problem_area,
        );
    }
}
