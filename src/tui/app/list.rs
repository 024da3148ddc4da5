//! A filtered, scrollable list: indices over rows held elsewhere.

/// A filtered, scrollable list over rows held elsewhere. Only indices:
/// the rows are never copied or re-parsed.
#[derive(Debug, Clone, Default)]
pub struct List {
    pub filter: String,
    /// Where typing goes in the filter, in characters.
    pub cursor: usize,
    /// Indices of the rows the filter keeps.
    pub filtered: Vec<usize>,
    /// Position in `filtered`.
    pub selected: usize,
    /// First visible position in `filtered`.
    pub offset: usize,
}

impl List {
    /// Recomputes the filtered rows from each row's search text and its
    /// hex keys (pins and fingerprints, space-separated). A filter of hex
    /// digits (4 or more, colons allowed) matches key prefixes and words
    /// that start with it, never a run of digits inside a pin: `/0999`
    /// finds the pins that begin 0999.
    pub fn refilter<'a>(&mut self, rows: impl Iterator<Item = (&'a str, &'a str)>) {
        let needle = self.filter.trim().to_lowercase();
        let hex = hex_prefix(&needle);
        self.filtered = rows
            .enumerate()
            .filter(|(_, (text, keys))| match &hex {
                Some(h) => {
                    keys.split(' ').any(|k| k.starts_with(h.as_str()))
                        || text
                            .split(|c: char| !c.is_alphanumeric())
                            .any(|w| w.starts_with(h.as_str()))
                }
                None => needle.is_empty() || text.contains(&needle),
            })
            .map(|(i, _)| i)
            .collect();
        self.selected = self.selected.min(self.filtered.len().saturating_sub(1));
        self.offset = self.offset.min(self.selected);
    }

    /// "12 of 10000" when a filter hides rows, else the count of rows.
    pub fn count(&self, total: usize) -> String {
        if self.filter.trim().is_empty() {
            total.to_string()
        } else {
            format!("{} of {total}", self.filtered.len())
        }
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

/// The filter as a key prefix, when it is one: hex digits (colons of a
/// fingerprint dropped), at least 4 of them.
fn hex_prefix(needle: &str) -> Option<String> {
    let hex: String = needle.chars().filter(|c| *c != ':').collect();
    (hex.len() >= 4 && hex.chars().all(|c| c.is_ascii_hexdigit())).then_some(hex)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filtered(filter: &str, rows: &[(&str, &str)]) -> Vec<usize> {
        let mut list = List {
            filter: filter.to_owned(),
            ..List::default()
        };
        list.refilter(rows.iter().copied());
        list.filtered
    }

    #[test]
    fn a_hex_filter_matches_key_prefixes_not_digits_inside_them() {
        let rows = [
            ("cn=a", "0999aa11 77665544"),
            ("cn=b", "aa0999bb 12340999"),
            ("cn=c", "bbbb0000 0999cdef"),
        ];
        assert_eq!(filtered("0999", &rows), [0, 2]);
        assert_eq!(filtered("09:99", &rows), [0, 2], "a fingerprint's colons");
        assert_eq!(
            filtered("099", &rows),
            Vec::<usize>::new(),
            "3 digits is text"
        );
        // Words of the text still match by their start ("added", a class).
        assert_eq!(filtered("added", &[("added cn=x", "ffff")]), [0]);
        assert_eq!(
            filtered("dded", &[("added cn=x", "ffff")]),
            Vec::<usize>::new()
        );
        // Other text matches anywhere.
        assert_eq!(filtered("n=b", &rows), [1]);
    }

    #[test]
    fn the_count_says_how_many_of_how_many() {
        let mut list = List::default();
        list.refilter([("a", ""), ("b", "")].into_iter());
        assert_eq!(list.count(2), "2");
        list.filter = "a".into();
        list.refilter([("a", ""), ("b", "")].into_iter());
        assert_eq!(list.count(2), "1 of 2");
    }
}
