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
