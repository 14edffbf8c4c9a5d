//! Parses the date formats found in article archives into a time with its UTC offset.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Dates outside these years are treated as garbage rather than trusted.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// Parses RFC 3339 (`2014-02-04T09:36:39+01:00`, `…T12:00:09.000Z`), Jekyll's
/// `2014-02-04 09:36:39 +0100`, naive date-times (taken as UTC), a bare
/// `2014-02-04`, RFC 2822 (`Mon, 23 Oct 2023 17:22:33 GMT`) and epoch milliseconds
/// or seconds (the `<!--…-->` stamp of the seed layout). `NaN` and garbage give `None`.
pub fn parse(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.trim().trim_matches(|c| c == '"' || c == '\'').trim();
    if s.is_empty() {
        return None;
    }
    let parsed = if s.bytes().all(|b| b.is_ascii_digit()) && s.len() >= 9 {
        from_epoch(s)
    } else {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .or_else(|| DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f %z").ok())
            .or_else(|| DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f%:z").ok())
            .or_else(|| DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f%z").ok())
            .or_else(|| DateTime::parse_from_rfc2822(s).ok())
            .or_else(|| naive(s))
    };
    parsed.filter(|d| YEARS.contains(&chrono::Datelike::year(d)))
}

fn from_epoch(digits: &str) -> Option<DateTime<FixedOffset>> {
    let n: i64 = digits.parse().ok()?;
    // 13 digits are milliseconds (the seed layout); 9–11 are seconds.
    let utc = if digits.len() >= 12 {
        Utc.timestamp_millis_opt(n).single()?
    } else {
        Utc.timestamp_opt(n, 0).single()?
    };
    Some(utc.fixed_offset())
}

fn naive(s: &str) -> Option<DateTime<FixedOffset>> {
    const DATE_TIMES: [&str; 4] = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
    ];
    const DATES: [&str; 3] = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"];
    let naive = DATE_TIMES
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .or_else(|| {
            DATES
                .iter()
                .find_map(|f| NaiveDate::parse_from_str(s, f).ok())
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })?;
    Some(naive.and_utc().fixed_offset())
}

/// The `YYYY-MM-DD` that starts a Jekyll-style file name, if any.
pub fn from_file_name(name: &str) -> Option<DateTime<FixedOffset>> {
    let prefix = name.get(..10)?;
    let rest = &name[10..];
    if !(rest.is_empty() || rest.starts_with(['-', '_', ' ', '.'])) {
        return None;
    }
    parse(prefix).filter(|_| prefix.as_bytes()[4] == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rfc(s: &str) -> String {
        parse(s).map(|d| d.to_rfc3339()).unwrap_or_default()
    }

    #[test]
    fn formats_in_real_archives() {
        assert_eq!(
            rfc("2014-02-04T09:36:39+01:00"),
            "2014-02-04T09:36:39+01:00"
        );
        assert_eq!(rfc("2023-10-21T12:00:09.000Z"), "2023-10-21T12:00:09+00:00");
        assert_eq!(rfc("2023-10-21T12:00:09Z"), "2023-10-21T12:00:09+00:00");
        assert_eq!(rfc("2014-02-04"), "2014-02-04T00:00:00+00:00");
        assert_eq!(
            rfc("2014-02-04 09:36:39 +0100"),
            "2014-02-04T09:36:39+01:00"
        );
        assert_eq!(rfc("2014-02-04 09:36:39"), "2014-02-04T09:36:39+00:00");
        assert_eq!(
            rfc("Mon, 23 Oct 2023 17:22:33 GMT"),
            "2023-10-23T17:22:33+00:00"
        );
        assert_eq!(rfc("\"2014-02-04\""), "2014-02-04T00:00:00+00:00");
    }

    #[test]
    fn stamps() {
        assert_eq!(
            parse("1690562527000").map(|d| d.to_rfc3339()),
            Some("2023-07-28T16:42:07+00:00".to_owned())
        );
        assert_eq!(parse("NaN"), None);
        assert_eq!(parse(""), None);
        assert_eq!(parse("99999999999999999999"), None);
    }

    #[test]
    fn garbage_is_no_date() {
        assert_eq!(parse("yesterday"), None);
        assert_eq!(parse("0000-01-01"), None);
        assert_eq!(parse("2014-13-45"), None);
    }

    #[test]
    fn file_name_dates() {
        assert!(from_file_name("2014-02-04-标题.md").is_some());
        assert!(from_file_name("2014-02-04.md").is_some());
        assert!(from_file_name("20140204-x.md").is_none());
        assert!(from_file_name("标题.md").is_none());
    }
}
