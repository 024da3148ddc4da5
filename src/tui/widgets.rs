//! One module per view, and the pieces they share.

pub mod bundle;
pub mod detail;
pub mod diff;
pub mod overlays;
pub mod pins;
pub mod store;

use ratatui::layout::Rect;
use ratatui::style::Style;

use super::app::List;
use super::theme;

/// The rows of `list` that fit in `height`, scrolled so that the selection
/// shows: each row's index, with the selected style on the selected row when
/// the list has the focus. Only these rows are ever built.
pub fn visible_rows(
    list: &List,
    height: usize,
    focused: bool,
) -> impl Iterator<Item = (usize, Style)> + '_ {
    let offset = visible_offset(list.offset, list.selected, height);
    list.filtered
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(move |(pos, &i)| {
            let style = if pos == list.selected && focused {
                theme::selected()
            } else {
                Style::default()
            };
            (i, style)
        })
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
