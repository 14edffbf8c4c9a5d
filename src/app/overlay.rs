//! Pop-ups over the panes (the link picker, the skipped files) and the effects `update` asks the terminal loop to carry out.

/// A pop-up that takes the keyboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    /// The open article's links; `typed` holds the digits of a number being typed.
    Links { selected: usize, typed: String },
    /// The files the load skipped, scrolled to `scroll`.
    Skipped { scroll: usize },
}

/// Something only the terminal loop can do, asked for by `update`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Put text on the clipboard of the computer the user sits at (OSC 52).
    Copy(String),
    /// Open a URL with the local opener.
    Open(String),
}

/// The link number typed so far, extended by `digit`; a number past the last link
/// starts again from the digit.
pub fn type_digit(typed: &mut String, digit: u8, links: usize) -> Option<usize> {
    typed.push(char::from(b'0' + digit));
    let fits = |t: &str| t.parse::<usize>().ok().filter(|n| (1..=links).contains(n));
    if fits(typed).is_none() {
        typed.clear();
        typed.push(char::from(b'0' + digit));
    }
    fits(typed).map(|n| n - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_link_numbers() {
        let mut t = String::new();
        assert_eq!(type_digit(&mut t, 1, 12), Some(0));
        assert_eq!(type_digit(&mut t, 2, 12), Some(11));
        assert_eq!(
            type_digit(&mut t, 3, 12),
            Some(2),
            "13 is past the end: starts again at 3"
        );
        assert_eq!(type_digit(&mut t, 0, 12), None);
    }
}
