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

/// `1536` → `1.5 kB`, `734003200` → `734 MB` (decimal units).
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "kB", "MB", "GB", "TB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    match unit {
        0 => format!("{n} bytes"),
        _ if value < 10.0 => format!("{value:.1} {}", UNITS[unit]),
        _ => format!("{value:.0} {}", UNITS[unit]),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands() {
        assert_eq!(super::thousands(5), "5");
        assert_eq!(super::thousands(5685), "5,685");
        assert_eq!(super::thousands(100000), "100,000");
    }

    #[test]
    fn bytes() {
        assert_eq!(super::bytes(512), "512 bytes");
        assert_eq!(super::bytes(1536), "1.5 kB");
        assert_eq!(super::bytes(734_003_200), "734 MB");
    }
}
