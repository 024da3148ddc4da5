//! One module per view, and the pieces they share.

pub mod bundle;
pub mod detail;
pub mod diff;
pub mod fleet;
pub mod overlays;
pub mod pins;
pub mod store;

use ratatui::layout::Rect;
use ratatui::style::Style;

use super::app::List;
use super::theme;

/// A row of a list as drawn: its index, its style (reverse video on the
/// selected row when the list has the focus) and its pointer (`>` on the
/// selected row, focused or not).
#[derive(Debug, Clone, Copy)]
pub struct Visible {
    pub index: usize,
    pub style: Style,
    pub pointer: &'static str,
}

/// The rows of `list` that fit in `height`, scrolled so that the selection
/// shows. Only these rows are ever built.
pub fn visible_rows(list: &List, height: usize, focused: bool) -> Vec<Visible> {
    let offset = visible_offset(list.offset, list.selected, height);
    list.filtered
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(pos, &index)| {
            let selected = pos == list.selected;
            Visible {
                index,
                style: if selected && focused {
                    theme::selected()
                } else {
                    Style::default()
                },
                pointer: theme::pointer(selected),
            }
        })
        .collect()
}

/// A table column: its header, the width its content needs, and the order
/// in which columns go when room runs out (0: never; higher goes first).
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub header: &'static str,
    pub width: u16,
    pub drop: u8,
}

impl Column {
    /// A column as wide as its widest cell (or header).
    pub fn fitting<'a>(
        header: &'static str,
        cells: impl Iterator<Item = &'a str>,
        drop: u8,
    ) -> Column {
        let widest = cells.map(|c| c.chars().count()).max().unwrap_or(0);
        Column {
            header,
            width: u16::try_from(widest.max(header.chars().count())).unwrap_or(u16::MAX),
            drop,
        }
    }
}

/// The columns that fit in `width` (a space between columns), the one at
/// `flex` taking what is left: which are kept, the constraints of the kept
/// ones, and the width the flexible one gets. The flexible column's
/// `width` is what its content wants; columns that may go give way until
/// it gets that (up to 24) or at least `min_flex`.
pub fn plan_columns(
    columns: &[Column],
    flex: usize,
    min_flex: u16,
    width: u16,
) -> (Vec<bool>, Vec<ratatui::layout::Constraint>, usize) {
    use ratatui::layout::Constraint;
    let mut keep = vec![true; columns.len()];
    let need = |keep: &[bool]| -> u32 {
        let kept: Vec<&Column> = columns
            .iter()
            .zip(keep)
            .filter(|(_, k)| **k)
            .map(|(c, _)| c)
            .collect();
        let fixed: u32 = columns
            .iter()
            .enumerate()
            .filter(|(i, _)| keep.get(*i).copied().unwrap_or(false) && *i != flex)
            .map(|(_, c)| u32::from(c.width))
            .sum();
        fixed + kept.len().saturating_sub(1) as u32
    };
    let target = u32::from(
        columns
            .get(flex)
            .map_or(min_flex, |c| c.width.min(24))
            .max(min_flex),
    );
    while need(&keep) + target > u32::from(width) {
        let victim = columns
            .iter()
            .enumerate()
            .filter(|(i, c)| keep.get(*i).copied().unwrap_or(false) && c.drop > 0)
            .max_by_key(|(_, c)| c.drop)
            .map(|(i, _)| i);
        match victim.and_then(|i| keep.get_mut(i)) {
            Some(k) => *k = false,
            None => break,
        }
    }
    let spare = u32::from(width).saturating_sub(need(&keep));
    let constraints = columns
        .iter()
        .enumerate()
        .filter(|(i, _)| keep.get(*i).copied().unwrap_or(false))
        .map(|(i, c)| {
            if i == flex {
                // Exactly what is left, so that the fixed columns are never
                // squeezed (the flexible one is cut to fit instead).
                Constraint::Length(u16::try_from(spare).unwrap_or(u16::MAX))
            } else {
                Constraint::Length(c.width)
            }
        })
        .collect();
    (keep, constraints, spare as usize)
}

/// The kept cells of a row, in order.
pub fn kept<T>(cells: Vec<T>, keep: &[bool]) -> Vec<T> {
    cells
        .into_iter()
        .zip(keep)
        .filter(|(_, k)| **k)
        .map(|(c, _)| c)
        .collect()
}

/// The first row to show so that `selected` is visible in `height` rows,
/// starting from the remembered `offset`.
fn visible_offset(offset: usize, selected: usize, height: usize) -> usize {
    let height = height.max(1);
    if selected < offset {
        selected
    } else if selected >= offset + height {
        selected + 1 - height
    } else {
        offset
    }
}

/// Splits `area` into a list and, when open, a detail pane: side by side
/// when there is room (100 columns), else the detail replaces the list.
pub fn with_detail(area: Rect, open: bool) -> (Option<Rect>, Option<Rect>) {
    if !open {
        return (Some(area), None);
    }
    if area.width >= 100 {
        let [list, detail] = ratatui::layout::Layout::horizontal([
            ratatui::layout::Constraint::Percentage(42),
            ratatui::layout::Constraint::Percentage(58),
        ])
        .areas(area);
        (Some(list), Some(detail))
    } else {
        (None, Some(area))
    }
}

pub use crate::pki::render::fit;

/// Cuts `s` to `width` characters from the left, keeping the end (file
/// names matter more than the directories above them).
pub fn fit_left(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n <= width {
        return s.to_owned();
    }
    let mut out = String::from("…");
    out.extend(s.chars().skip(n + 1 - width));
    out
}

/// The last component of a path as typed.
pub fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Rows `text` takes when word-wrapped at `width` (as `Wrap` lays it out,
/// give or take a long word).
pub fn wrapped_rows(text: &str, width: usize) -> usize {
    let mut rows = 1;
    let mut used = 0;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        let need = if used == 0 { len } else { used + 1 + len };
        if need <= width {
            used = need;
        } else {
            rows += 1;
            used = len.min(width);
            rows += len.saturating_sub(1) / width;
        }
    }
    rows
}

/// `text` word-wrapped at `width` columns (a word longer than a line is
/// cut into pieces).
pub fn wrap_text(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(word.drain(..width).collect());
        }
        let word: String = word.into_iter().collect();
        let used = line.chars().count();
        if used > 0 && used + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}
