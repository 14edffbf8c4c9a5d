//! Numbers as people read them: `100,000 articles`.

/// `5685` → `5,685`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands() {
        assert_eq!(super::thousands(5), "5");
        assert_eq!(super::thousands(5685), "5,685");
        assert_eq!(super::thousands(100000), "100,000");
    }
}
