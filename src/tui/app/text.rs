//! Editing a line of text with a cursor: the filter, prompts and form
//! fields. The cursor is a character index, clamped on every use, so a
//! value set from outside (a default, a test) is safe to edit.

use crate::tui::keymap::Cmd;

/// A character index as a byte offset into `s` (the end past the last).
fn byte_at(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i)
}

/// Inserts `text` at the cursor and moves the cursor after it. Line breaks
/// and tabs (a paste of several lines) become spaces, a final line break
/// goes: a field is one line.
pub fn insert(value: &mut String, cursor: &mut usize, text: &str) {
    let at = (*cursor).min(value.chars().count());
    let clean: String = text
        .trim_end_matches(['\n', '\r'])
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    value.insert_str(byte_at(value, at), &clean);
    *cursor = at + clean.chars().count();
}

/// Applies an editing command; false when `cmd` is not one.
pub fn edit(value: &mut String, cursor: &mut usize, cmd: Cmd) -> bool {
    let len = value.chars().count();
    let at = (*cursor).min(len);
    match cmd {
        Cmd::DeleteChar => {
            if at > 0 {
                let start = byte_at(value, at - 1);
                value.replace_range(start..byte_at(value, at), "");
                *cursor = at - 1;
            } else {
                *cursor = 0;
            }
        }
        Cmd::DeleteForward => {
            if at < len {
                let start = byte_at(value, at);
                value.replace_range(start..byte_at(value, at + 1), "");
            }
            *cursor = at;
        }
        Cmd::DeleteWord => {
            // Spaces before the cursor, then the word before them.
            let chars: Vec<char> = value.chars().collect();
            let mut from = at;
            while from > 0 && chars.get(from - 1).is_some_and(|c| c.is_whitespace()) {
                from -= 1;
            }
            while from > 0 && chars.get(from - 1).is_some_and(|c| !c.is_whitespace()) {
                from -= 1;
            }
            let start = byte_at(value, from);
            value.replace_range(start..byte_at(value, at), "");
            *cursor = from;
        }
        Cmd::ChoicePrev => *cursor = at.saturating_sub(1),
        Cmd::ChoiceNext => *cursor = (at + 1).min(len),
        Cmd::LineStart => *cursor = 0,
        Cmd::LineEnd => *cursor = len,
        _ => return false,
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(start: &str, cursor: usize, cmds: &[Cmd]) -> (String, usize) {
        let (mut v, mut c) = (start.to_owned(), cursor);
        for cmd in cmds {
            edit(&mut v, &mut c, *cmd);
        }
        (v, c)
    }

    #[test]
    fn the_cursor_moves_and_stops_at_the_ends() {
        assert_eq!(run("abc", 3, &[Cmd::ChoicePrev]), ("abc".into(), 2));
        assert_eq!(run("abc", 0, &[Cmd::ChoicePrev]), ("abc".into(), 0));
        assert_eq!(run("abc", 3, &[Cmd::ChoiceNext]), ("abc".into(), 3));
        assert_eq!(run("abc", 1, &[Cmd::LineEnd]), ("abc".into(), 3));
        assert_eq!(run("abc", 2, &[Cmd::LineStart]), ("abc".into(), 0));
        // A cursor past the end (a value set from outside) is the end.
        assert_eq!(run("abc", 99, &[Cmd::DeleteChar]), ("ab".into(), 2));
    }

    #[test]
    fn deleting_before_under_and_by_word() {
        assert_eq!(run("abc", 1, &[Cmd::DeleteChar]), ("bc".into(), 0));
        assert_eq!(run("abc", 1, &[Cmd::DeleteForward]), ("ac".into(), 1));
        assert_eq!(run("abc", 3, &[Cmd::DeleteForward]), ("abc".into(), 3));
        assert_eq!(
            run("node.example  10.0.0.1", 22, &[Cmd::DeleteWord]),
            ("node.example  ".into(), 14)
        );
        assert_eq!(
            run("node.example  10.0.0.1", 14, &[Cmd::DeleteWord]),
            ("10.0.0.1".into(), 0)
        );
        // Multi-byte characters are one position each.
        assert_eq!(run("né", 2, &[Cmd::DeleteChar]), ("n".into(), 1));
    }

    #[test]
    fn typing_and_pasting_insert_at_the_cursor_on_one_line() {
        let (mut v, mut c) = ("a.example".to_owned(), 0);
        insert(&mut v, &mut c, "b.example ");
        assert_eq!((v.as_str(), c), ("b.example a.example", 10));
        insert(&mut v, &mut c, "x\ty\r\n");
        assert_eq!((v.as_str(), c), ("b.example x ya.example", 13));
        insert(&mut v, &mut c, " ");
        assert_eq!((v.as_str(), c), ("b.example x y a.example", 14));
    }
}
