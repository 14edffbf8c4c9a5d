//! The search box's state: the query being typed and what to return to when it is cancelled.

/// The title search box.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchBox {
    pub query: String,
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

    pub fn push(&mut self, text: &str) {
        // Pasted text is untrusted and may hold escape sequences, newlines or tabs:
        // a query is one clean line.
        for c in crate::sanitize::text(text).chars() {
            if c.is_whitespace() && c != ' ' && c != '\u{3000}' {
                if !self.query.ends_with(' ') && !self.query.is_empty() {
                    self.query.push(' ');
                }
            } else {
                self.query.push(c);
            }
        }
    }

    pub fn backspace(&mut self) {
        self.query.pop();
    }

    pub fn delete_word(&mut self) {
        let trimmed = self.query.trim_end().len();
        self.query.truncate(trimmed);
        let cut = self.query.rfind(' ').map_or(0, |i| i + 1);
        self.query.truncate(cut);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editing() {
        let mut s = SearchBox::default();
        s.push("中俄\n\u{1b}[2J关系\u{202e}");
        assert_eq!(s.query, "中俄 关系");
        s.backspace();
        assert_eq!(s.query, "中俄 关");
        s.delete_word();
        assert_eq!(s.query, "中俄 ");
        s.delete_word();
        assert_eq!(s.query, "");
    }
}
