//! A filtered, scrollable list: indices over rows held elsewhere.

/// A filtered, scrollable list over rows held elsewhere. Only indices:
/// the rows are never copied or re-parsed.
#[derive(Debug, Clone, Default)]
pub struct List {
    pub filter: String,
    /// Indices of the rows the filter keeps.
    pub filtered: Vec<usize>,
    /// Position in `filtered`.
    pub selected: usize,
    /// First visible position in `filtered`.
    pub offset: usize,
}

impl List {
    /// Recomputes the filtered rows from each row's search text.
    pub fn refilter<'a>(&mut self, searches: impl Iterator<Item = &'a str>) {
        let needle = self.filter.trim().to_lowercase();
        self.filtered = searches
            .enumerate()
            .filter(|(_, s)| needle.is_empty() || s.contains(&needle))
            .map(|(i, _)| i)
            .collect();
        self.selected = self.selected.min(self.filtered.len().saturating_sub(1));
        self.offset = self.offset.min(self.selected);
    }

    /// The selected row's index, if any row is shown.
    pub fn current(&self) -> Option<usize> {
        self.filtered.get(self.selected).copied()
    }

    fn go(&mut self, to: usize, page: usize) {
        let last = self.filtered.len().saturating_sub(1);
        self.selected = to.min(last);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + page {
            self.offset = self.selected + 1 - page;
        }
    }

    pub fn step(&mut self, delta: isize, page: usize) {
        let to = if delta < 0 {
            self.selected.saturating_sub(delta.unsigned_abs())
        } else {
            self.selected.saturating_add(delta.unsigned_abs())
        };
        self.go(to, page.max(1));
    }

    pub fn top(&mut self) {
        self.selected = 0;
        self.offset = 0;
    }

    pub fn bottom(&mut self, page: usize) {
        self.go(self.filtered.len().saturating_sub(1), page.max(1));
    }
}
