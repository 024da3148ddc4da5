//! The fleet: the nodes of the given nats-server configurations with
//! their findings counted by severity, their connections (route, gateway,
//! leafnode) with a verdict in words and a mark, now and, under a
//! rehearsed replacement, after (what gets worse first, marked `!`), and
//! below them what the selected row is about: a node's findings or a
//! connection's reasons; with `--peer`, each peer's verdict per block.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, Wrap};

use super::{Column, detail, fit, kept, plan_columns, visible_rows, with_detail, wrap_text};
use crate::pki::natscheck::ConnVerdict;
use crate::pki::natsconf::model::Severity;
use crate::pki::render::Tone;
use crate::pki::text::escape_controls;
use crate::tui::app::{App, FleetPane, FleetView};
use crate::tui::data::fleet::{Change, Fleet, LinkRow, kind_name, severity_name};
use crate::tui::theme;

/// A verdict as a mark and a word: readable without colour.
pub fn verdict_text(v: Option<ConnVerdict>) -> &'static str {
    match v {
        Some(ConnVerdict::Ok) => "✓ ok",
        Some(ConnVerdict::OneWay) => "→ one-way",
        Some(ConnVerdict::Broken) => "✗ broken",
        None => "- absent",
    }
}

fn verdict_tone(v: Option<ConnVerdict>) -> Tone {
    match v {
        Some(ConnVerdict::Ok) => Tone::Good,
        Some(ConnVerdict::OneWay) => Tone::Warn,
        Some(ConnVerdict::Broken) => Tone::Bad,
        None => Tone::Dim,
    }
}

fn severity_tone(s: Severity) -> Tone {
    match s {
        Severity::Error => Tone::Bad,
        Severity::Warning => Tone::Warn,
        Severity::Info => Tone::Dim,
    }
}

fn clean(s: &str) -> String {
    escape_controls(s).into_owned()
}

fn pane(title: String, focused: bool) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_type(theme::border_type(focused))
        .border_style(theme::border(focused))
        .title(Span::styled(title, theme::title()))
}

pub fn draw(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let Some(view) = &app.fleet else { return };
    let Some(fleet) = &view.fleet else {
        let text = match &view.error {
            Some(e) => Line::from(Span::styled(clean(e), theme::tone(Tone::Bad))),
            None => Line::from(format!(
                "checking {} nats-server configuration(s)...",
                view.configs.len()
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
    let (lists, detail_rect) = with_detail(area, app.detail);
    if let Some(rect) = detail_rect {
        let inner = usize::from(rect.width.saturating_sub(2));
        let (title, lines) = selection(view, fleet, inner);
        app.detail_limit.set(detail::draw_lines(
            frame,
            &title,
            lines,
            rect,
            app.detail_focus,
            app.detail_scroll,
        ));
    }
    let Some(area) = lists else { return };
    let node_rows = u16::try_from(fleet.nodes.len().max(1))
        .unwrap_or(u16::MAX)
        .min((area.height / 4).max(2))
        + 3;
    let link_rows = u16::try_from(fleet.links.len().max(1))
        .unwrap_or(u16::MAX)
        .min((area.height / 3).max(2))
        + 3;
    let below = if app.detail {
        Constraint::Length(0)
    } else {
        Constraint::Min(4)
    };
    let mut peer_lines = peer_lines(fleet, usize::from(area.width.saturating_sub(2)));
    let room = usize::from((area.height / 4).max(2));
    if peer_lines.len() > room {
        // What does not fit is counted, not dropped silently.
        let more = peer_lines.len() - (room - 1);
        peer_lines.truncate(room - 1);
        peer_lines.push(Line::from(Span::styled(
            format!("  ... {more} more line(s): tlsctl nats check --peer lists them all"),
            theme::tone(Tone::Dim),
        )));
    }
    let peer_rows = if peer_lines.is_empty() {
        0
    } else {
        u16::try_from(peer_lines.len()).unwrap_or(u16::MAX) + 2
    };
    let [head, nodes_area, links_area, peers_area, info_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(node_rows),
        Constraint::Length(link_rows),
        Constraint::Length(peer_rows),
        below,
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(headline(fleet, head.width)), head);
    draw_nodes(frame, app, view, fleet, nodes_area);
    draw_links(frame, app, view, fleet, links_area);
    if peer_rows > 0 {
        let refused = fleet.peers_refused();
        let title = format!(
            " Peers ({}): {} accepted everywhere, {refused} refused ",
            fleet.result.peers.len(),
            fleet.result.peers.len() - refused
        );
        frame.render_widget(
            Paragraph::new(peer_lines).block(pane(title, false)),
            peers_area,
        );
    }
    if !app.detail && info_area.height > 2 {
        let inner = usize::from(info_area.width.saturating_sub(2));
        let (title, lines) = selection(view, fleet, inner);
        detail::draw_lines(frame, &title, lines, info_area, false, 0);
    }
}

/// The line above the tables: what is rehearsed, or how to rehearse.
fn headline(fleet: &Fleet, width: u16) -> Line<'static> {
    if fleet.replace.is_empty() {
        return Line::from(Span::styled(
            "As configured; R rehearses a replacement (PATH=NEWPATH).",
            theme::tone(Tone::Dim),
        ));
    }
    let pairs: Vec<String> = fleet
        .replace
        .iter()
        .map(|(a, b)| format!("{} -> {}", a.display(), b.display()))
        .collect();
    let suffix = "  (R: change)";
    let room = usize::from(width).saturating_sub(10 + suffix.len());
    Line::from(vec![
        Span::styled("Replacing ", theme::title()),
        Span::styled(
            super::fit_left(&clean(&pairs.join(", ")), room),
            theme::tone(Tone::Key),
        ),
        Span::styled(suffix, theme::tone(Tone::Dim)),
    ])
}

/// The peers' verdicts (`--peer`), a line each, fitted to `width`: the
/// peer and its subject, then per block "✓ accepted" or "✗ refused", the
/// node, block and role, and why.
fn peer_lines(fleet: &Fleet, width: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    // What is refused first: the peers refused somewhere, and in each its
    // refusals.
    let mut peers: Vec<_> = fleet.result.peers.iter().collect();
    peers.sort_by_key(|p| !p.refused());
    for p in peers {
        lines.push(Line::from(Span::styled(
            fit(&clean(&format!("{}  {}", p.peer, p.subject)), width),
            theme::tone(Tone::Key),
        )));
        if p.verdicts.is_empty() {
            lines.push(Line::from(Span::styled(
                fit("  no block of these configs verifies a peer", width),
                theme::tone(Tone::Dim),
            )));
        }
        let mut verdicts: Vec<_> = p.verdicts.iter().collect();
        verdicts.sort_by_key(|v| v.accepted);
        for v in verdicts {
            let (mark, tone) = if v.accepted {
                ("  ✓ accepted ", Tone::Good)
            } else {
                ("  ✗ refused  ", Tone::Bad)
            };
            // "refused as a client: why" says the verdict and role again.
            let why = v
                .reason
                .strip_prefix(&format!(
                    "{} as a {}: ",
                    if v.accepted { "accepted" } else { "refused" },
                    v.role
                ))
                .unwrap_or(&v.reason);
            let what = clean(&format!("{} {} as {}: {why}", v.node, v.block, v.role));
            lines.push(Line::from(vec![
                Span::styled(mark, theme::tone(tone)),
                Span::raw(fit(&what, width.saturating_sub(13))),
            ]));
        }
    }
    lines
}

fn draw_nodes(frame: &mut Frame<'_>, app: &App, view: &FleetView, fleet: &Fleet, area: Rect) {
    let focus = view.pane == FleetPane::Nodes && !app.detail_focus;
    let title = format!(" Nodes ({}) ", view.nodes.count(fleet.nodes.len()));
    let height = usize::from(area.height.saturating_sub(3));
    let visible = visible_rows(&view.nodes, height, focus);
    let cells: Vec<(usize, [String; 6], Style)> = visible
        .iter()
        .filter_map(|v| {
            let n = fleet.nodes.get(v.index)?;
            let mut role = Vec::new();
            if let Some(c) = &n.cluster {
                role.push(format!("cluster {c}"));
            }
            if let Some(g) = &n.gateway {
                role.push(format!("gateway {g}"));
            }
            Some((
                v.index,
                [
                    format!("{}{}", v.pointer, clean(&n.name)),
                    clean(&n.file),
                    clean(&role.join(", ")),
                    n.errors.to_string(),
                    n.warnings.to_string(),
                    n.infos.to_string(),
                ],
                v.style,
            ))
        })
        .collect();
    let headers = ["node", "file", "role", "errors", "warnings", "info"];
    let columns: Vec<Column> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let drop = match i {
                2 => 3,
                5 => 2,
                _ => 0,
            };
            Column::fitting(h, cells.iter().map(|c| c.1[i].as_str()), drop)
        })
        .collect();
    let (keep, widths, file_width) = plan_columns(&columns, 1, 8, area.width.saturating_sub(2));
    let rows: Vec<Row<'_>> = cells
        .into_iter()
        .filter_map(|(index, [name, file, role, e, w, i], style)| {
            let n = fleet.nodes.get(index)?;
            let count = |text: String, n: usize, tone: Tone| {
                Line::from(Span::styled(
                    text,
                    theme::tone(if n > 0 { tone } else { Tone::Dim }),
                ))
            };
            let line = vec![
                Line::from(name),
                Line::from(super::fit_left(&file, file_width)),
                Line::from(role),
                count(e, n.errors, Tone::Bad),
                count(w, n.warnings, Tone::Warn),
                count(i, n.infos, Tone::Normal),
            ];
            Some(Row::new(kept(line, &keep)).style(style))
        })
        .collect();
    frame.render_widget(
        Table::new(rows, widths)
            .header(Row::new(kept(headers.to_vec(), &keep)).style(theme::header()))
            .block(pane(title, focus)),
        area,
    );
}

fn draw_links(frame: &mut Frame<'_>, app: &App, view: &FleetView, fleet: &Fleet, area: Rect) {
    let focus = view.pane == FleetPane::Links && !app.detail_focus;
    let (ok, one_way, broken) = fleet.counts();
    let title = if fleet.rehearsed() {
        format!(
            " Connections ({}) after: {ok} ok, {one_way} one-way, {broken} broken; {} worse ",
            view.links.count(fleet.links.len()),
            fleet.worse()
        )
    } else {
        format!(
            " Connections ({}): {ok} ok, {one_way} one-way, {broken} broken ",
            view.links.count(fleet.links.len())
        )
    };
    if fleet.links.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(
                "None between the given nodes: no route, gateway or leafnode remote names \
                 another node's address.",
                theme::tone(Tone::Dim),
            )))
            .wrap(Wrap { trim: true })
            .block(pane(title, focus)),
            area,
        );
        return;
    }
    let rehearsed = fleet.rehearsed();
    let height = usize::from(area.height.saturating_sub(3));
    let visible = visible_rows(&view.links, height, focus);
    let reason = |l: &LinkRow| -> String {
        let reasons = if rehearsed {
            &l.reasons_after
        } else {
            &l.reasons_now
        };
        // The reason of a problem first: the first that is not "... ok".
        let first = match l.judged() {
            Some(ConnVerdict::Ok) if reasons.len() > 1 => {
                return "verifies both ways".to_owned();
            }
            Some(ConnVerdict::Ok) => return "verifies".to_owned(),
            _ => reasons
                .iter()
                .find(|r| !r.ends_with(": ok") && !r.ends_with(" ok"))
                .or(reasons.first()),
        };
        // "a dials b (URL): what happened": what happened.
        first
            .map(|r| clean(r.split_once("): ").map_or(r.as_str(), |(_, why)| why)))
            .unwrap_or_default()
    };
    let cells: Vec<(usize, Vec<String>, Style)> = visible
        .iter()
        .filter_map(|v| {
            let l = fleet.links.get(v.index)?;
            let mut row = vec![
                format!("{}{}", v.pointer, kind_name(l.kind)),
                clean(&format!("{} -> {}", l.from, l.to)),
                verdict_text(l.now).to_owned(),
            ];
            if rehearsed {
                row.push(verdict_text(l.after).to_owned());
                row.push(l.change.label(l.after).to_owned());
            }
            row.push(reason(l));
            Some((v.index, row, v.style))
        })
        .collect();
    let mut headers = vec![
        "kind",
        "from -> to",
        if rehearsed { "now" } else { "verdict" },
    ];
    if rehearsed {
        headers.extend(["after", "change"]);
    }
    headers.push("why");
    let flex = headers.len() - 1;
    let columns: Vec<Column> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| Column::fitting(h, cells.iter().map(|c| c.1[i].as_str()), 0))
        .collect();
    let (keep, widths, why_width) = plan_columns(&columns, flex, 8, area.width.saturating_sub(2));
    let rows: Vec<Row<'_>> = cells
        .into_iter()
        .filter_map(|(index, row, style)| {
            let l = fleet.links.get(index)?;
            let worse = matches!(l.change, Change::Worse | Change::Gone);
            let mut line: Vec<Line<'_>> = Vec::new();
            for (i, text) in row.into_iter().enumerate() {
                let cell = match (i, rehearsed) {
                    (2, _) => Line::from(Span::styled(text, theme::tone(verdict_tone(l.now)))),
                    (3, true) => Line::from(Span::styled(
                        text,
                        theme::tone(verdict_tone(l.after)).add_modifier(if worse {
                            Modifier::BOLD
                        } else {
                            Modifier::empty()
                        }),
                    )),
                    (4, true) => Line::from(Span::styled(
                        text,
                        if worse {
                            theme::tone(Tone::Bad).add_modifier(Modifier::BOLD)
                        } else {
                            theme::tone(Tone::Good)
                        },
                    )),
                    (i, _) if i == flex => {
                        Line::from(Span::styled(fit(&text, why_width), theme::tone(Tone::Dim)))
                    }
                    _ => Line::from(text),
                };
                line.push(cell);
            }
            Some(Row::new(kept(line, &keep)).style(style))
        })
        .collect();
    frame.render_widget(
        Table::new(rows, widths)
            .header(Row::new(kept(headers, &keep)).style(theme::header()))
            .block(pane(title, focus)),
        area,
    );
}

/// What the selected row is about, laid out for `inner` columns: a node's
/// findings, or a connection's reasons now and after.
pub fn selection(view: &FleetView, fleet: &Fleet, inner: usize) -> (String, Vec<Line<'static>>) {
    let inner = inner.max(10);
    let wrapped = |text: &str, indent: &str, style: Style| -> Vec<Line<'static>> {
        wrap_text(&clean(text), inner.saturating_sub(indent.len()))
            .into_iter()
            .map(|l| Line::from(vec![Span::raw(indent.to_owned()), Span::styled(l, style)]))
            .collect()
    };
    match view.pane {
        FleetPane::Nodes => {
            let Some(n) = view.nodes.current().and_then(|i| fleet.nodes.get(i)) else {
                return ("findings".to_owned(), Vec::new());
            };
            let title = format!(
                "Findings of {} ({}){}",
                clean(&n.name),
                n.findings.len(),
                if fleet.rehearsed() {
                    ", after the replacement"
                } else {
                    ""
                }
            );
            let mut lines = wrapped(
                &format!(
                    "{}: TLS in {}",
                    n.file,
                    if n.tls_blocks.is_empty() {
                        "no block".to_owned()
                    } else {
                        n.tls_blocks.join(", ")
                    }
                ),
                "",
                theme::tone(Tone::Dim),
            );
            if n.findings.is_empty() {
                lines.push(Line::from("No findings."));
            }
            for (index, new) in &n.findings {
                let Some(f) = fleet.finding(*index) else {
                    continue;
                };
                let mut head = vec![
                    Span::styled(
                        format!("{:<8}", severity_name(f.severity)),
                        theme::tone(severity_tone(f.severity)),
                    ),
                    Span::raw(format!("{} [{}]", clean(&f.block), f.code)),
                ];
                if *new {
                    head.push(Span::styled(
                        "  new after the replacement",
                        theme::tone(Tone::Bad).add_modifier(Modifier::BOLD),
                    ));
                }
                lines.push(Line::from(head));
                lines.extend(wrapped(&f.message, "  ", Style::default()));
                if let Some(fix) = &f.fix {
                    lines.extend(wrapped(
                        &format!("fix: {fix}"),
                        "  ",
                        theme::tone(Tone::Good),
                    ));
                }
                lines.extend(wrapped(&f.location, "  ", theme::tone(Tone::Dim)));
            }
            (title, lines)
        }
        FleetPane::Links => {
            let Some(l) = view.links.current().and_then(|i| fleet.links.get(i)) else {
                return ("connection".to_owned(), Vec::new());
            };
            let title = clean(&format!("{} {} -> {}", kind_name(l.kind), l.from, l.to));
            let mut lines = Vec::new();
            let mut side = |label: &str, v: Option<ConnVerdict>, reasons: &[String]| {
                lines.push(Line::from(vec![
                    Span::styled(format!("{label}: "), theme::header()),
                    Span::styled(verdict_text(v), theme::tone(verdict_tone(v))),
                ]));
                for r in reasons {
                    lines.extend(wrapped(r, "  ", Style::default()));
                }
            };
            if fleet.rehearsed() {
                side("Now", l.now, &l.reasons_now);
                side("After", l.after, &l.reasons_after);
                let change = l.change.label(l.after);
                if !change.is_empty() {
                    let style = if matches!(l.change, Change::Worse | Change::Gone) {
                        theme::tone(Tone::Bad).add_modifier(Modifier::BOLD)
                    } else {
                        theme::tone(Tone::Good)
                    };
                    lines.push(Line::from(Span::styled(format!("Change: {change}"), style)));
                }
            } else {
                side("Verdict", l.now, &l.reasons_now);
            }
            (title, lines)
        }
    }
}
