//! Resolves a link of an article against the article's own URL.

/// Makes `href` absolute against `base`. In-page anchors and scripts are not links.
pub fn resolve(base: Option<&str>, href: &str) -> Option<String> {
    let href = href.trim();
    let lower = href.get(..11).unwrap_or(href).to_ascii_lowercase();
    if href.is_empty() || href.starts_with('#') || lower.starts_with("javascript:") {
        return None;
    }
    if has_scheme(href) {
        return Some(href.to_owned());
    }
    let Some(base) = base.filter(|b| has_scheme(b)) else {
        return Some(href.to_owned());
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let origin_end = base[scheme_end..]
        .find(['/', '?', '#'])
        .map_or(base.len(), |i| scheme_end + i);
    let resolved = if let Some(rest) = href.strip_prefix("//") {
        format!("{}//{rest}", &base[..scheme_end.saturating_sub(2)])
    } else if href.starts_with('/') {
        format!("{}{href}", &base[..origin_end])
    } else {
        let path_end = base.find(['?', '#']).unwrap_or(base.len());
        let dir_end = base[..path_end].rfind('/').filter(|&i| i >= origin_end);
        match dir_end {
            Some(i) => format!("{}{href}", &base[..=i]),
            None => format!("{}/{href}", &base[..origin_end]),
        }
    };
    Some(resolved)
}

/// `url` when it is an absolute `http` or `https` URL with a host, the only links
/// folio hands to a browser: anything else (`file:`, `javascript:`, a relative
/// path, or text starting with `-` that a browser would take as an option) is not.
pub fn web_url(url: &str) -> Option<&str> {
    let (scheme, rest) = url.split_once("://")?;
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return None;
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    // No user name: `https://bank.com@evil.org/` reads as one host and is another.
    if authority.contains('@') {
        return None;
    }
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => {
            let (host, after) = v6.split_once(']')?;
            if host.is_empty()
                || !host
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
            {
                return None;
            }
            (host, after.strip_prefix(':'))
        }
        None => match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    let host_ok = !host.is_empty()
        && !host.starts_with(['-', '.'])
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | ':'));
    let port_ok =
        port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    (host_ok && port_ok).then_some(url)
}

/// `url` as an address bar shows it: percent-encoded non-ASCII text decoded
/// (`https://www.dw.com/zh/2023年中俄关系`), everything else as it is — ASCII
/// escapes (`%20`, `%2F`, `%3F`) stay encoded, and so does any character that
/// is invisible, a space or a control. For reading only: copying and opening use
/// the URL itself.
pub fn readable_url(url: &str) -> String {
    if !url.contains('%') {
        return url.to_owned();
    }
    let bytes = url.as_bytes();
    let mut out = String::with_capacity(url.len());
    let mut i = 0;
    while i < bytes.len() {
        if let Some((c, len)) = escaped_char(&bytes[i..]) {
            out.push(c);
            i += len;
            continue;
        }
        // Not a decodable character: copy one character as it is.
        let width = url[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&url[i..i + width]);
        i += width;
    }
    out
}

/// The character a run of `%XX` escapes at the start of `bytes` encodes, and
/// the run's length, when it is a visible non-ASCII character.
fn escaped_char(bytes: &[u8]) -> Option<(char, usize)> {
    let byte_at = |k: usize| -> Option<u8> {
        let run = bytes.get(k * 3..k * 3 + 3)?;
        if run[0] != b'%' {
            return None;
        }
        let hex = std::str::from_utf8(&run[1..]).ok()?;
        u8::from_str_radix(hex, 16).ok()
    };
    let first = byte_at(0)?;
    let len = match first {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let mut buf = [0u8; 4];
    buf[0] = first;
    for (k, slot) in buf.iter_mut().enumerate().take(len).skip(1) {
        *slot = byte_at(k)?;
    }
    let c = std::str::from_utf8(&buf[..len]).ok()?.chars().next()?;
    let shown = !c.is_whitespace()
        && !c.is_control()
        && crate::sanitize::line(&c.to_string()) == c.to_string()
        && !matches!(c as u32, 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB);
    shown.then_some((c, len * 3))
}

fn has_scheme(s: &str) -> bool {
    match s.find(':') {
        Some(i) if i > 0 => {
            s[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && s[..i].starts_with(|c: char| c.is_ascii_alphabetic())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readable_urls_decode_only_visible_non_ascii_text() {
        assert_eq!(
            readable_url("https://www.dw.com/zh/2023%E5%B9%B4%E4%B8%AD%E4%BF%84/a-1"),
            "https://www.dw.com/zh/2023年中俄/a-1"
        );
        assert_eq!(
            readable_url("https://x.org/a%20b%2Fc?q=%3F"),
            "https://x.org/a%20b%2Fc?q=%3F"
        );
        // A bidi override, a zero-width space, an ideographic space and a broken sequence stay encoded.
        assert_eq!(
            readable_url("https://x.org/%E2%80%AE%E2%80%8B%E3%80%80"),
            "https://x.org/%E2%80%AE%E2%80%8B%E3%80%80"
        );
        assert_eq!(readable_url("https://x.org/%E5%B9"), "https://x.org/%E5%B9");
        assert_eq!(readable_url("https://x.org/%zz%"), "https://x.org/%zz%");
    }

    #[test]
    fn only_absolute_web_urls_are_web_urls() {
        for ok in [
            "https://www.dw.com/zh/a-1",
            "HTTP://example.org",
            "http://127.0.0.1:8080/x?y#z",
            "https://[::1]:443/",
            "https://中文.example/路径",
        ] {
            assert_eq!(web_url(ok), Some(ok), "{ok}");
        }
        for bad in [
            "--renderer-cmd-prefix=/usr/bin/id",
            "--new-window=file:///etc/passwd",
            "-https://x.org",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "/relative/path",
            "https://",
            "https://-x.org/",
            "https://bank.com@evil.org/",
            "https://x.org:99999999/",
            "https://x.org/a b",
            "ftp://x.org/",
            "https:/x.org",
        ] {
            assert_eq!(web_url(bad), None, "{bad}");
        }
    }

    #[test]
    fn resolving_links() {
        let base = Some("https://a.org/x/y.html?q=1");
        assert_eq!(
            resolve(base, "z.html").as_deref(),
            Some("https://a.org/x/z.html")
        );
        assert_eq!(resolve(base, "/z").as_deref(), Some("https://a.org/z"));
        assert_eq!(
            resolve(base, "//cdn.org/z").as_deref(),
            Some("https://cdn.org/z")
        );
        assert_eq!(resolve(base, "#top"), None);
        assert_eq!(resolve(base, "javascript:void(0)"), None);
        assert_eq!(resolve(None, "/z").as_deref(), Some("/z"));
        assert_eq!(
            resolve(Some("https://a.org"), "z").as_deref(),
            Some("https://a.org/z")
        );
    }
}
