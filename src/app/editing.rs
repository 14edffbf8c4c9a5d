//! Editing a one-line box (the search box, the find box) as in a shell or fzf: a cursor, moving by character and word, deleting either way.

/// What to do to the text of a box at its cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// Insert typed or pasted text at the cursor.
    Insert(String),
    /// Delete the character before the cursor.
    Backspace,
    /// Delete the character under the cursor.
    Delete,
    /// Delete the word before the cursor.
    DeleteWord,
    /// Delete from the start of the line to the cursor.
    ClearToStart,
    /// Delete from the cursor to the end of the line.
    ClearToEnd,
    Left,
    Right,
    Home,
    End,
    WordLeft,
    WordRight,
}

impl Edit {
    /// Whether it can change the text (not only move the cursor).
    pub fn changes_text(&self) -> bool {
        !matches!(
            self,
            Edit::Left | Edit::Right | Edit::Home | Edit::End | Edit::WordLeft | Edit::WordRight
        )
    }
}

/// Applies `edit` to `text` with its cursor at byte `cursor` (kept on a character
/// boundary). Pasted text is untrusted and may hold escape sequences, newlines or
/// tabs: a query is one clean line.
pub fn apply(text: &mut String, cursor: &mut usize, edit: &Edit) {
    *cursor = (*cursor).min(text.len());
    while !text.is_char_boundary(*cursor) {
        *cursor -= 1;
    }
    match edit {
        Edit::Insert(typed) => {
            let mut clean = String::new();
            for c in crate::sanitize::text(typed).chars() {
                if c.is_whitespace() && c != ' ' && c != '\u{3000}' {
                    let before = text[..*cursor].chars().next_back();
                    if !clean.ends_with(' ')
                        && (before.is_some_and(|b| b != ' ') || !clean.is_empty())
                    {
                        clean.push(' ');
                    }
                } else {
                    clean.push(c);
                }
            }
            text.insert_str(*cursor, &clean);
            *cursor += clean.len();
        }
        Edit::Backspace => {
            if let Some(c) = text[..*cursor].chars().next_back() {
                *cursor -= c.len_utf8();
                text.remove(*cursor);
            }
        }
        Edit::Delete => {
            if *cursor < text.len() {
                text.remove(*cursor);
            }
        }
        Edit::DeleteWord => {
            let start = word_start(text, *cursor);
            text.replace_range(start..*cursor, "");
            *cursor = start;
        }
        Edit::ClearToStart => {
            text.replace_range(..*cursor, "");
            *cursor = 0;
        }
        Edit::ClearToEnd => text.truncate(*cursor),
        Edit::Left => {
            if let Some(c) = text[..*cursor].chars().next_back() {
                *cursor -= c.len_utf8();
            }
        }
        Edit::Right => {
            if let Some(c) = text[*cursor..].chars().next() {
                *cursor += c.len_utf8();
            }
        }
        Edit::Home => *cursor = 0,
        Edit::End => *cursor = text.len(),
        Edit::WordLeft => *cursor = word_start(text, *cursor),
        Edit::WordRight => {
            let rest = &text[*cursor..];
            let skip = rest.len() - rest.trim_start_matches(is_gap).len();
            let word = rest[skip..].find(is_gap).unwrap_or(rest.len() - skip);
            *cursor += skip + word;
        }
    }
}

fn is_gap(c: char) -> bool {
    c == ' ' || c == '\u{3000}'
}

/// Where the word before byte `at` starts (spaces before `at` skipped first).
fn word_start(text: &str, at: usize) -> usize {
    let before = text[..at].trim_end_matches(is_gap);
    before.rfind(is_gap).map_or(0, |i| {
        i + before[i..].chars().next().map_or(1, char::len_utf8)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(start: &str, cursor: usize, edits: &[Edit]) -> (String, usize) {
        let mut text = start.to_owned();
        let mut at = cursor;
        for e in edits {
            apply(&mut text, &mut at, e);
        }
        (text, at)
    }

    #[test]
    fn typing_and_pasting_at_the_cursor() {
        let (t, c) = run("", 0, &[Edit::Insert("中俄\n\u{1b}[2J关系\u{202e}".into())]);
        assert_eq!(t, "中俄 关系");
        assert_eq!(c, t.len());
        let (t, c) = run("中关系", 3, &[Edit::Insert("俄".into())]);
        assert_eq!((t.as_str(), c), ("中俄关系", 6));
    }

    #[test]
    fn moving_and_deleting_as_in_a_shell() {
        let s = "putin xi jinping";
        assert_eq!(run(s, s.len(), &[Edit::WordLeft]).1, 9);
        assert_eq!(run(s, s.len(), &[Edit::WordLeft, Edit::WordLeft]).1, 6);
        assert_eq!(run(s, 0, &[Edit::WordRight]).1, 5);
        assert_eq!(run(s, 0, &[Edit::WordRight, Edit::WordRight]).1, 8);
        assert_eq!(run(s, 6, &[Edit::ClearToEnd]).0, "putin ");
        assert_eq!(
            run(s, 6, &[Edit::ClearToStart]),
            ("xi jinping".to_owned(), 0)
        );
        assert_eq!(
            run(s, 8, &[Edit::DeleteWord]),
            ("putin  jinping".to_owned(), 6)
        );
        assert_eq!(run(s, 0, &[Edit::Delete]).0, "utin xi jinping");
        assert_eq!(run(s, 0, &[Edit::Backspace]).0, s);
        assert_eq!(
            run("中俄", 6, &[Edit::Left, Edit::Backspace]),
            ("俄".to_owned(), 0)
        );
        assert_eq!(run("中俄", 0, &[Edit::End, Edit::Home, Edit::Right]).1, 3);
        // A cursor past the end, or inside a character, is brought back first.
        assert_eq!(run("中", 2, &[Edit::Insert("x".into())]).0, "x中");
    }
}
