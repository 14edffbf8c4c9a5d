//! The list's search box: the query, titles or full text, what to return to when it is cancelled; and query editing.

/// What the search box searches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SearchMode {
    #[default]
    Titles,
    /// The full text of every article.
    Bodies,
}

/// The list's search box.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchBox {
    pub query: String,
    pub mode: SearchMode,
    /// Keys go to the box (it has the focus).
    pub typing: bool,
    /// The article selected when the search began, restored on cancel.
    pub before: Option<usize>,
}

impl SearchBox {
    /// Shown while typing, and while its filter applies.
    pub fn is_visible(&self) -> bool {
        self.typing || !self.query.is_empty()
    }
}

/// Appends typed or pasted text to a query. Pasted text is untrusted and may hold
/// escape sequences, newlines or tabs: a query is one clean line.
pub fn push(query: &mut String, text: &str) {
    for c in crate::sanitize::text(text).chars() {
        if c.is_whitespace() && c != ' ' && c != '\u{3000}' {
            if !query.ends_with(' ') && !query.is_empty() {
                query.push(' ');
            }
        } else {
            query.push(c);
        }
    }
}

/// Deletes the last character.
pub fn backspace(query: &mut String) {
    query.pop();
}

/// Deletes the last word and the spaces after it.
pub fn delete_word(query: &mut String) {
    let trimmed = query.trim_end().len();
    query.truncate(trimmed);
    let cut = query.rfind(' ').map_or(0, |i| i + 1);
    query.truncate(cut);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editing() {
        let mut q = String::new();
        push(&mut q, "中俄\n\u{1b}[2J关系\u{202e}");
        assert_eq!(q, "中俄 关系");
        backspace(&mut q);
        assert_eq!(q, "中俄 关");
        delete_word(&mut q);
        assert_eq!(q, "中俄 ");
        delete_word(&mut q);
        assert_eq!(q, "");
    }
}
