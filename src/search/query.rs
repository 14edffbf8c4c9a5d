//! The query language of the search box, after fzf's: terms that must all match, `'exact`, `^prefix`, `suffix$`, `!negation`.

use super::fold::fold_str;

/// The query syntax, as (pattern, meaning) pairs for the help overlay and the README.
pub const SYNTAX_HELP: &[(&str, &str)] = &[
    (
        "中俄 普京",
        "every space-separated term must match, in any order",
    ),
    (
        "中俄",
        "fuzzy: the characters in order, close together; contiguous ranks first",
    ),
    (
        "pujing  pj",
        "pinyin, full or initials, finds Chinese characters",
    ),
    (
        "'term",
        "exact: the title contains term as typed (no fuzzy, no pinyin)",
    ),
    ("^term", "the title starts with term"),
    ("term$", "the title ends with term"),
    ("!term", "leave out titles that contain term"),
    (
        "!^term  !term$",
        "leave out titles that start / end with term",
    ),
    (
        "ＡＢ 關係",
        "case, full width and traditional/simplified are ignored",
    ),
];

/// How one term matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The term's characters in order and close together, or its pinyin.
    Fuzzy,
    /// The term as a substring (`'term`).
    Exact,
    /// The title starts with the term (`^term`), or with characters it spells in pinyin.
    Prefix,
    /// The title ends with the term (`term$`).
    Suffix,
    /// The whole title is the term (`^term$`).
    Whole,
}

/// One space-separated part of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The term's text, folded (see [`super::fold_str`]), without its operators.
    pub text: String,
    pub mode: Mode,
    /// `!term`: titles matching the term are left out. A negated term always matches
    /// literally (a substring, prefix or suffix), never fuzzily.
    pub negated: bool,
}

/// A parsed query: every positive term must match and no negated one may.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub terms: Vec<Term>,
}

impl Query {
    /// Parses `input`. Operators with nothing after them (a lone `!`, `'` or `^`,
    /// as while typing) are ignored.
    pub fn parse(input: &str) -> Query {
        let terms = input
            .split(char::is_whitespace)
            .filter_map(parse_term)
            .collect();
        Query { terms }
    }

    /// True when there is no term at all: such a query matches nothing.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The terms that must match.
    pub fn positive(&self) -> impl Iterator<Item = &Term> {
        self.terms.iter().filter(|t| !t.negated)
    }
}

fn parse_term(token: &str) -> Option<Term> {
    let (negated, rest) = match token.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, token),
    };
    let (mode, text) = if let Some(exact) = rest.strip_prefix('\'') {
        (Mode::Exact, exact)
    } else {
        let (prefix, rest) = match rest.strip_prefix('^') {
            Some(rest) => (true, rest),
            None => (false, rest),
        };
        let (suffix, rest) = match rest.strip_suffix('$') {
            Some(rest) if !rest.is_empty() => (true, rest),
            _ => (false, rest),
        };
        let mode = match (prefix, suffix) {
            (true, true) => Mode::Whole,
            (true, false) => Mode::Prefix,
            (false, true) => Mode::Suffix,
            (false, false) if negated => Mode::Exact,
            (false, false) => Mode::Fuzzy,
        };
        (mode, rest)
    };
    let text = fold_str(text);
    (!text.is_empty()).then_some(Term {
        text,
        mode,
        negated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(text: &str, mode: Mode, negated: bool) -> Term {
        Term {
            text: text.into(),
            mode,
            negated,
        }
    }

    #[test]
    fn terms_are_split_on_any_white_space_and_folded() {
        let q = Query::parse("  中俄\u{3000}ＡＰＥＣ 關係 ");
        assert_eq!(
            q.terms,
            vec![
                term("中俄", Mode::Fuzzy, false),
                term("apec", Mode::Fuzzy, false),
                term("关系", Mode::Fuzzy, false),
            ]
        );
    }

    #[test]
    fn operators() {
        let q = Query::parse("'exact ^start end$ ^whole$ !not !^nostart !noend$ !'lit");
        assert_eq!(
            q.terms,
            vec![
                term("exact", Mode::Exact, false),
                term("start", Mode::Prefix, false),
                term("end", Mode::Suffix, false),
                term("whole", Mode::Whole, false),
                term("not", Mode::Exact, true),
                term("nostart", Mode::Prefix, true),
                term("noend", Mode::Suffix, true),
                term("lit", Mode::Exact, true),
            ]
        );
        assert_eq!(q.positive().count(), 4);
    }

    #[test]
    fn lone_operators_are_ignored_and_a_lone_dollar_is_text() {
        assert!(Query::parse("! ' ^ !'").is_empty());
        assert_eq!(Query::parse("$").terms, vec![term("$", Mode::Fuzzy, false)]);
        assert!(Query::parse("").is_empty());
        assert!(Query::parse("   ").is_empty());
    }
}
