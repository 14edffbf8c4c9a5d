//! Ambiguous-width characters counted two columns wide, as some CJK terminals draw them.
//!
//! The switch is process-wide, so these tests live in a test binary of their own, and
//! every test here turns it on.

use folio::wrap::{set_ambiguous_wide, str_width, truncate, wrap};

#[test]
fn quotes_and_ellipses_count_two_columns() {
    set_ambiguous_wide(true);
    assert_eq!(str_width("“中”"), 6);
    assert_eq!(str_width("a…b—c·d"), 7 + 3);
    assert_eq!(str_width("plain"), 5);
}

#[test]
fn wrapping_makes_room_for_wide_quotes() {
    set_ambiguous_wide(true);
    // “ab” is 6 columns wide here: it does not fit in 5 beside anything else.
    assert_eq!(wrap("“ab” cd", 6), ["“ab”", "cd"]);
    assert_eq!(wrap("“ab” cd", 9), ["“ab” cd"]);
    for line in wrap("他说：“中俄关系……历史最好。”——据报道", 7) {
        assert!(str_width(line) <= 7, "{line:?}");
    }
}

#[test]
fn truncation_counts_the_ellipsis_as_two() {
    set_ambiguous_wide(true);
    assert_eq!(truncate("abcdef", 5), "abc…");
    assert_eq!(truncate("“quoted”", 6), "“qu…");
    assert_eq!(truncate("abcdef", 1), "");
    assert!(str_width(&truncate("中俄关系历史", 7)) <= 7);
}
