//! Turns a file's bytes into UTF-8 text: BOMs, legacy Chinese encodings, CRLF, and binary detection.

use std::borrow::Cow;

use encoding_rs::Encoding;

use crate::error::SkipReason;

/// Text decoded from a file, with the encoding it was found in.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    /// Some bytes could not be decoded and became U+FFFD.
    pub lossy: bool,
}

/// How much of the start of a file is inspected to tell text from binary.
const SNIFF_LEN: usize = 8192;

/// Decodes `bytes`: BOM first, then valid UTF-8, then the encoding `chardetng` guesses
/// (GBK/GB18030, Big5, Shift_JIS, windows-1252, …). Line ends become `\n`.
pub fn decode(bytes: Cow<'_, [u8]>) -> Result<Decoded, SkipReason> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(SkipReason::Empty);
    }
    let bom = Encoding::for_bom(&bytes);
    // UTF-16 legitimately contains NULs; everything else with them is binary.
    let is_utf16 =
        bom.is_some_and(|(e, _)| e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE);
    if !is_utf16 && looks_binary(&bytes[bom.map_or(0, |(_, len)| len)..]) {
        return Err(SkipReason::Binary);
    }
    let (text, encoding, lossy) = match bom {
        Some((enc, bom_len)) => {
            let (text, lossy) = enc.decode_without_bom_handling(&bytes[bom_len..]);
            (text.into_owned(), enc, lossy)
        }
        None => {
            // Valid UTF-8: the usual case.
            // Checked with SIMD and copied: several times faster than the
            // standard check on Chinese text.
            let valid = match simdutf8::basic::from_utf8(&bytes) {
                Ok(text) => Ok(text.to_owned()),
                Err(_) => Err(bytes),
            };
            match valid {
                Ok(text) => (text, encoding_rs::UTF_8, false),
                Err(body) => match mostly_utf8(&body) {
                    Some(text) => (text, encoding_rs::UTF_8, true),
                    None => {
                        let mut detector =
                            chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
                        detector.feed(&body, true);
                        let enc = detector.guess(None, chardetng::Utf8Detection::Deny);
                        let (text, lossy) = enc.decode_without_bom_handling(&body);
                        (text.into_owned(), enc, lossy)
                    }
                },
            }
        }
    };
    if text.trim().is_empty() {
        return Err(SkipReason::Empty);
    }
    Ok(Decoded {
        text: normalize_newlines(text),
        encoding,
        lossy,
    })
}

/// NUL bytes, or many C0 control bytes, near the start mean this is not text.
/// ESC is not counted: hostile text files carry escape sequences and are still text.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    if head.contains(&0) {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    controls * 10 > head.len()
}

/// UTF-8 with a damaged tail or a few bad bytes (a truncated download, a flipped
/// byte) stays UTF-8, with only the bad bytes replaced: guessing a legacy encoding
/// for it would garble every character instead of a few. Text in a legacy encoding
/// rarely forms valid multi-byte UTF-8 sequences, so it is told apart by how many
/// valid ones there are for each broken one.
fn mostly_utf8(bytes: &[u8]) -> Option<String> {
    let mut valid_multibyte = 0usize;
    let mut broken = 0usize;
    let mut text = String::with_capacity(bytes.len() + 16);
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        valid_multibyte += valid.bytes().filter(|&b| b >= 0xc0).count();
        text.push_str(valid);
        if !chunk.invalid().is_empty() {
            broken += 1;
            text.push(char::REPLACEMENT_CHARACTER);
        }
    }
    // Valid up to a character cut at the very end: a truncation.
    let cut_at_the_end = matches!(std::str::from_utf8(bytes), Err(e) if e.error_len().is_none());
    (cut_at_the_end || valid_multibyte >= 8 * broken).then_some(text)
}

fn normalize_newlines(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(bytes: &[u8]) -> Result<Decoded, SkipReason> {
        decode(Cow::Borrowed(bytes))
    }

    #[test]
    fn utf8_with_bom_and_crlf() {
        let d = dec(b"\xef\xbb\xbftitle\r\nbody\rend").unwrap();
        assert_eq!(d.text, "title\nbody\nend");
        assert_eq!(d.encoding, encoding_rs::UTF_8);
    }

    #[test]
    fn gbk_is_detected() {
        let (bytes, _, _) = encoding_rs::GBK
            .encode("中国已成为俄罗斯越来越重要的经济及军事伙伴。美国情报机构近日发现。");
        let d = dec(&bytes).unwrap();
        assert_eq!(
            d.text,
            "中国已成为俄罗斯越来越重要的经济及军事伙伴。美国情报机构近日发现。"
        );
        assert!(!d.lossy);
    }

    #[test]
    fn damaged_utf8_stays_utf8() {
        let mut bytes = "中国已成为俄罗斯越来越重要的经济及军事伙伴"
            .repeat(10)
            .into_bytes();
        bytes.push(0xe4);
        let d = dec(&bytes).unwrap();
        assert!(d.lossy);
        assert!(d.text.starts_with("中国已成为"));
    }

    #[test]
    fn utf8_cut_in_a_character_or_with_a_few_bad_bytes_stays_utf8() {
        let text = "中俄关系处于历史最好时期，两国贸易激增。";
        // Cut at every byte of the last character, in a short text.
        let bytes = text.as_bytes();
        for cut in 1..3 {
            let d = dec(&bytes[..bytes.len() - cut]).unwrap();
            assert!(d.lossy);
            assert_eq!(d.encoding, encoding_rs::UTF_8);
            assert!(d.text.starts_with("中俄关系处于历史最好时期"), "{}", d.text);
        }
        // A few flipped bytes in a longer one.
        let mut bytes = text.repeat(20).into_bytes();
        // Bytes of the full stop that ends some of the repetitions (60 bytes each).
        for at in [57, 357, 657] {
            bytes[at] = 0xff;
        }
        let d = dec(&bytes).unwrap();
        assert!(d.lossy);
        // Each bad byte is replaced (a broken lead leaves its continuation bytes
        // stray); every other character is intact.
        assert!(d.text.matches('\u{fffd}').count() <= 9);
        assert_eq!(d.text.matches("两国贸易激增").count(), 20);
    }

    #[test]
    fn empty_and_binary_are_refused() {
        assert_eq!(dec(b"").unwrap_err(), SkipReason::Empty);
        assert_eq!(dec(b" \n\r\n\t").unwrap_err(), SkipReason::Empty);
        assert_eq!(
            dec(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap_err(),
            SkipReason::Binary
        );
        assert_eq!(
            dec(&[1, 2, 3, 4, 5, 6, 7, 8, b'a']).unwrap_err(),
            SkipReason::Binary
        );
    }

    #[test]
    fn escape_heavy_text_is_still_text() {
        let d = dec(b"\x1b[2J\x1b]0;t\x07hello").unwrap();
        assert_eq!(d.text, "\u{1b}[2J\u{1b}]0;t\u{7}hello");
    }
}
