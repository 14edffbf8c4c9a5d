//! The filter language of the search box and the command line: `@source`, `#tag`, `by:author`, `after:`/`before:`/`on:` dates and `is:` states, beside title terms.
//!
//! A query is split once into its filter terms and its title terms; the title terms
//! go to the title index as before, the filter terms become a [`Filter`] that every
//! article is tested against. Values compare folded (case, width and script do not
//! matter) and by prefix, of the whole value or of any word in it.

use std::borrow::Cow;

use chrono::{Duration, NaiveDate};

use super::fields::{Field, Fields};
use super::fold::{fold_char, fold_str};
use crate::article::Article;

/// The filter terms, as (pattern, meaning) pairs for the help overlay and the README.
pub const FILTER_HELP: &[(&str, &str)] = &[
    ("@voa", "from a source (site or channel) starting with voa"),
    ("#中国", "with a tag starting with 中国"),
    ("by:\"Maria R\"", "by an author; quote values with spaces"),
    (
        "after:2023-10  before:2024",
        "dated from / before a year, month or day",
    ),
    ("on:2023-10-21", "dated within that day (or month, or year)"),
    (
        "after:7d  on:4w  on:today",
        "the last 7 days, 4 weeks, today",
    ),
    ("is:unread  is:read  is:starred", "by what you marked"),
    (
        "@voa$",
        "$ after a value: that value exactly, not one it begins",
    ),
    ("!@rfa", "! leaves out what any term matches"),
];

/// What one filter term asks of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// The source starts with this (folded) value, or one of its words does.
    Source(String),
    /// One of the tags does.
    Tag(String),
    /// The author does.
    Author(String),
    /// Dated on this day or later.
    After(NaiveDate),
    /// Dated before this day.
    Before(NaiveDate),
    /// Dated from the first day to the second, both included.
    On(NaiveDate, NaiveDate),
    Unread,
    Read,
    Starred,
}

/// One filter term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub kind: Kind,
    /// `!term`: the articles the term matches are left out.
    pub negated: bool,
}

/// Filter terms that must all hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub conditions: Vec<Condition>,
}

/// A term that cannot be understood; the message names it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    #[error("{0}: not a date (2023, 2023-10, 2023-10-21, today, 7d or 4w)")]
    NotADate(String),
    #[error("{0}: is: takes unread, read or starred")]
    NotAState(String),
}

/// A query taken apart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub filter: Filter,
    /// The title terms, space-separated, for the title index.
    pub title: String,
    /// The terms that could not be understood (they filter nothing).
    pub errors: Vec<FilterError>,
}

impl Parsed {
    /// The first error, for a status line or stderr.
    pub fn error(&self) -> Option<&FilterError> {
        self.errors.first()
    }
}

/// Splits `input` into filter terms and title terms; `today` anchors `today`, `7d`
/// and `4w`. A filter term with nothing after its operator (`@`, `by:`, as while
/// typing) is left out, silently.
pub fn parse(input: &str, today: NaiveDate) -> Parsed {
    let mut parsed = Parsed::default();
    let mut title: Vec<&str> = Vec::new();
    let mut rest = input;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let (negated, body) = match rest.strip_prefix('!') {
            Some(body) => (true, body),
            None => (false, rest),
        };
        let Some((op, after_op)) = operator(body) else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            title.push(&rest[..end]);
            rest = &rest[end..];
            continue;
        };
        let (value, next) = value(after_op);
        let whole = &rest[..rest.len() - next.len()];
        rest = next;
        if value.trim().is_empty() {
            continue;
        }
        match condition(op, value.trim(), today) {
            Ok(kind) => parsed.filter.conditions.push(Condition { kind, negated }),
            Err(e) => parsed.errors.push(match e {
                Bad::Date => FilterError::NotADate(whole.trim().to_owned()),
                Bad::State => FilterError::NotAState(whole.trim().to_owned()),
            }),
        }
    }
    parsed.title = title.join(" ");
    parsed
}

/// The filter operators, longest first where one starts another.
const OPERATORS: [&str; 7] = ["@", "#", "by:", "after:", "before:", "on:", "is:"];

fn operator(text: &str) -> Option<(&'static str, &str)> {
    OPERATORS
        .iter()
        .find_map(|op| text.strip_prefix(op).map(|rest| (*op, rest)))
}

/// The value at the start of `text`: quoted (`"Maria R"`, to the closing quote or
/// the end, and what follows the quote up to white space) or up to the next white
/// space; and what follows it.
fn value(text: &str) -> (Cow<'_, str>, &str) {
    let word_end = |t: &str| t.find(char::is_whitespace).unwrap_or(t.len());
    if let Some(quoted) = text.strip_prefix('"') {
        return match quoted.find('"') {
            Some(end) => {
                let after = &quoted[end + 1..];
                let glued = word_end(after);
                let value = if glued == 0 {
                    Cow::Borrowed(&quoted[..end])
                } else {
                    Cow::Owned(format!("{}{}", &quoted[..end], &after[..glued]))
                };
                (value, &after[glued..])
            }
            None => (Cow::Borrowed(quoted), ""),
        };
    }
    let end = word_end(text);
    (Cow::Borrowed(&text[..end]), &text[end..])
}

enum Bad {
    Date,
    State,
}

fn condition(op: &str, value: &str, today: NaiveDate) -> Result<Kind, Bad> {
    let folded = || fold_str(value);
    Ok(match op {
        "@" => Kind::Source(folded()),
        "#" => Kind::Tag(folded()),
        "by:" => Kind::Author(folded()),
        "after:" => Kind::After(days(value, today).ok_or(Bad::Date)?.0),
        "before:" => Kind::Before(days(value, today).ok_or(Bad::Date)?.0),
        "on:" => {
            let (first, last) = days(value, today).ok_or(Bad::Date)?;
            Kind::On(first, last)
        }
        _ => {
            // Any unambiguous beginning: `is:u` while typing `is:unread`.
            let v = value.to_ascii_lowercase();
            let is = |word: &str| word.starts_with(v.as_str());
            match (is("unread"), is("read"), is("starred")) {
                (true, false, false) => Kind::Unread,
                (false, true, false) => Kind::Read,
                (false, false, true) => Kind::Starred,
                _ => return Err(Bad::State),
            }
        }
    })
}

/// The first and last day a DATE stands for: `2023`, `2023-10`, `2023-10-21`,
/// `today`, `7d` (the last seven days, today included) or `4w`.
pub fn days(value: &str, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let value = value.trim().to_ascii_lowercase();
    if value == "today" {
        return Some((today, today));
    }
    let count = |unit: char, days: i64| {
        let n = value.strip_suffix(unit)?;
        let n = i64::from(n.parse::<u32>().ok().filter(|&n| n > 0 && n <= 100_000)?);
        let back = Duration::try_days(n * days - 1)?;
        Some((today.checked_sub_signed(back)?, today))
    };
    if value.ends_with('d') {
        return count('d', 1);
    }
    if value.ends_with('w') {
        return count('w', 7);
    }
    let parts: Vec<&str> = value.split('-').collect();
    let number = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    match parts.as_slice() {
        [y] => {
            let y = number(y, 4)? as i32;
            Some((
                NaiveDate::from_ymd_opt(y, 1, 1)?,
                NaiveDate::from_ymd_opt(y, 12, 31)?,
            ))
        }
        [y, m] => {
            let first = NaiveDate::from_ymd_opt(number(y, 4)? as i32, number(m, 2)?, 1)?;
            let next = first.checked_add_months(chrono::Months::new(1))?;
            Some((first, next.pred_opt()?))
        }
        [y, m, d] => {
            let day = NaiveDate::from_ymd_opt(number(y, 4)? as i32, number(m, 2)?, number(d, 2)?)?;
            Some((day, day))
        }
        _ => None,
    }
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        self.conditions.is_empty()
    }

    /// Whether article `a`, read or not and starred or not, passes every term.
    pub fn matches(&self, a: &Article, read: bool, starred: bool) -> bool {
        self.conditions
            .iter()
            .all(|c| c.kind.holds(a, read, starred) != c.negated)
    }

    /// Whether a term asks about an `is:` state.
    pub fn has(&self, kind: &Kind) -> bool {
        self.conditions
            .iter()
            .any(|c| !c.negated && &c.kind == kind)
    }
}

/// A filter ready to test many articles: a source, tag or author term is tested
/// once per distinct name, then each article by number.
pub struct Compiled<'a> {
    fields: &'a Fields,
    terms: Vec<(Test<'a>, bool)>,
}

enum Test<'a> {
    /// The names (by number) the term's value matches, in that field.
    Names(Field, Vec<bool>),
    Other(&'a Kind),
}

impl Filter {
    /// The filter, compiled against the articles' `fields`.
    pub fn compile<'a>(&'a self, fields: &'a Fields) -> Compiled<'a> {
        let terms = self
            .conditions
            .iter()
            .map(|c| {
                let test = match &c.kind {
                    Kind::Source(v) => Test::Names(Field::Source, fields.names_matching(v)),
                    Kind::Tag(v) => Test::Names(Field::Tag, fields.names_matching(v)),
                    Kind::Author(v) => Test::Names(Field::Author, fields.names_matching(v)),
                    other => Test::Other(other),
                };
                (test, c.negated)
            })
            .collect();
        Compiled { fields, terms }
    }
}

impl Compiled<'_> {
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether a term asks whether articles are read or starred.
    pub fn needs_marks(&self) -> bool {
        self.terms
            .iter()
            .any(|(test, _)| matches!(test, Test::Other(Kind::Unread | Kind::Read | Kind::Starred)))
    }

    /// Whether article `i` (which is `a`), read or not and starred or not, passes.
    pub fn matches(&self, i: usize, a: &Article, read: bool, starred: bool) -> bool {
        self.terms.iter().all(|(test, negated)| {
            let holds = match test {
                Test::Names(field, names) => self.fields.has(*field, i, names),
                Test::Other(kind) => kind.holds(a, read, starred),
            };
            holds != *negated
        })
    }
}

impl Kind {
    fn holds(&self, a: &Article, read: bool, starred: bool) -> bool {
        let day = || a.date.map(|d| d.date_naive());
        match self {
            Kind::Source(v) => a.source.as_deref().is_some_and(|s| value_matches(s, v)),
            Kind::Tag(v) => a.tags.iter().any(|t| value_matches(t, v)),
            Kind::Author(v) => a.author.as_deref().is_some_and(|s| value_matches(s, v)),
            Kind::After(first) => day().is_some_and(|d| d >= *first),
            Kind::Before(first) => day().is_some_and(|d| d < *first),
            Kind::On(first, last) => day().is_some_and(|d| d >= *first && d <= *last),
            Kind::Unread => !read,
            Kind::Read => read,
            Kind::Starred => starred,
        }
    }
}

/// Whether the folded `value` begins `field`, or begins one of its words (after a
/// space or punctuation), folded; a value ending in `$` is the whole field, folded
/// (`@voa$` is the source `VOA` and not `VOA Chinese`). Nothing is allocated.
pub fn value_matches(field: &str, value: &str) -> bool {
    if let Some(whole) = value.strip_suffix('$')
        && !whole.is_empty()
    {
        let mut folded = field.chars().map(fold_char);
        return whole.chars().all(|v| folded.next() == Some(v)) && folded.next().is_none();
    }
    let mut at_word = true;
    for (i, c) in field.char_indices() {
        if at_word && starts_folded(&field[i..], value) {
            return true;
        }
        at_word = !c.is_alphanumeric();
    }
    false
}

fn starts_folded(text: &str, value: &str) -> bool {
    let mut text = text.chars().map(fold_char);
    value.chars().all(|v| text.next() == Some(v))
}

/// Today, in the local time zone.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const TODAY: fn() -> NaiveDate = || day(2024, 3, 10);

    fn kinds(q: &str) -> Vec<(Kind, bool)> {
        let p = parse(q, TODAY());
        assert!(p.errors.is_empty(), "{q}: {:?}", p.errors);
        p.filter
            .conditions
            .into_iter()
            .map(|c| (c.kind, c.negated))
            .collect()
    }

    #[test]
    fn every_term() {
        assert_eq!(kinds("@VOA"), [(Kind::Source("voa".into()), false)]);
        assert_eq!(kinds("#中國"), [(Kind::Tag("中国".into()), false)]);
        assert_eq!(
            kinds("by:\"Maria Repnikova\""),
            [(Kind::Author("maria repnikova".into()), false)]
        );
        assert_eq!(
            kinds("after:2023-10"),
            [(Kind::After(day(2023, 10, 1)), false)]
        );
        assert_eq!(
            kinds("before:2024"),
            [(Kind::Before(day(2024, 1, 1)), false)]
        );
        assert_eq!(
            kinds("on:2023-02"),
            [(Kind::On(day(2023, 2, 1), day(2023, 2, 28)), false)]
        );
        assert_eq!(
            kinds("on:2023-10-21"),
            [(Kind::On(day(2023, 10, 21), day(2023, 10, 21)), false)]
        );
        assert_eq!(kinds("on:today"), [(Kind::On(TODAY(), TODAY()), false)]);
        assert_eq!(kinds("after:7d"), [(Kind::After(day(2024, 3, 4)), false)]);
        assert_eq!(kinds("after:1w"), [(Kind::After(day(2024, 3, 4)), false)]);
        assert_eq!(
            kinds("is:unread is:READ is:starred is:s"),
            [
                (Kind::Unread, false),
                (Kind::Read, false),
                (Kind::Starred, false),
                (Kind::Starred, false)
            ]
        );
        assert_eq!(kinds("!@rfa"), [(Kind::Source("rfa".into()), true)]);
    }

    #[test]
    fn title_terms_stay_in_order_beside_filters() {
        let p = parse("  @voa 普京 !by:x  'exact  ^start ", TODAY());
        assert_eq!(p.title, "普京 'exact ^start");
        assert_eq!(p.filter.conditions.len(), 2);
        let p = parse("中俄 关系", TODAY());
        assert_eq!(p.title, "中俄 关系");
        assert!(p.filter.is_empty());
    }

    #[test]
    fn half_typed_terms_are_left_out_silently() {
        for q in ["@", "#", "by:", "after:", "is:", "!@", "by:\"", "中俄 @"] {
            let p = parse(q, TODAY());
            assert!(p.errors.is_empty() && p.filter.is_empty(), "{q}");
        }
    }

    #[test]
    fn errors_name_the_term() {
        let p = parse("after:2023-13 中俄", TODAY());
        assert_eq!(
            p.error().map(ToString::to_string).as_deref(),
            Some("after:2023-13: not a date (2023, 2023-10, 2023-10-21, today, 7d or 4w)")
        );
        assert_eq!(p.title, "中俄");
        for bad in [
            "before:23",
            "on:2023-1",
            "on:2023-02-30",
            "after:x",
            "on:-3d",
        ] {
            assert!(
                matches!(parse(bad, TODAY()).error(), Some(FilterError::NotADate(t)) if t == bad),
                "{bad}"
            );
        }
        assert!(matches!(
            parse("is:new", TODAY()).error(),
            Some(FilterError::NotAState(t)) if t == "is:new"
        ));
        // `is:` needs an unambiguous beginning: `is:r` is read, but `is:x` is nothing.
        assert!(parse("is:x", TODAY()).error().is_some());
    }

    #[test]
    fn values_match_folded_by_prefix_of_the_value_or_a_word() {
        assert!(value_matches("VOA Chinese", "voa"));
        assert!(value_matches("VOA Chinese", "chin"));
        assert!(value_matches("ＶＯＡ", "voa"));
        assert!(value_matches("中國時報", "中国"));
        assert!(value_matches("Maria Repnikova", "maria r"));
        assert!(!value_matches("Maria Repnikova", "aria"));
        assert!(!value_matches("rfa", "rfa mandarin"));
        assert!(value_matches("老楊到處說", "老杨"));
        assert!(value_matches("VOA", "voa$"));
        assert!(!value_matches("VOA Chinese", "voa$"));
        assert!(value_matches("中國", "中国$"));
        assert!(value_matches("x$", "x"));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// Queries built from the language's pieces and arbitrary text.
        fn query() -> impl Strategy<Value = String> {
            let piece = prop_oneof![
                Just("@".to_owned()),
                Just("#".to_owned()),
                Just("by:".to_owned()),
                Just("after:".to_owned()),
                Just("before:".to_owned()),
                Just("on:".to_owned()),
                Just("is:".to_owned()),
                Just("!".to_owned()),
                Just("\"".to_owned()),
                Just(" ".to_owned()),
                Just("99999999999d".to_owned()),
                Just("2023-02-30".to_owned()),
                "[a-z0-9-]{0,6}",
                "\\PC{0,4}",
            ];
            prop::collection::vec(piece, 0..12).prop_map(|parts| parts.concat())
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

            #[test]
            fn any_query_parses_without_panic_and_keeps_its_title_words(q in query()) {
                let parsed = parse(&q, NaiveDate::from_ymd_opt(2024, 3, 10).unwrap());
                // Every title word is a word of the query, in order.
                let words: Vec<&str> = q.split_whitespace().collect();
                let mut at = 0;
                for w in parsed.title.split(' ').filter(|w| !w.is_empty()) {
                    let found = words[at..].iter().position(|x| *x == w);
                    prop_assert!(found.is_some(), "{w:?} not in {q:?}");
                    at += found.unwrap_or(0) + 1;
                }
                for e in &parsed.errors {
                    prop_assert!(!e.to_string().is_empty());
                }
            }

            #[test]
            fn dates_and_values_never_panic(v in "\\PC{0,12}", field in "\\PC{0,12}") {
                let _ = days(&v, NaiveDate::from_ymd_opt(2024, 3, 10).unwrap());
                let _ = value_matches(&field, &fold_str(&v));
            }
        }
    }
}
