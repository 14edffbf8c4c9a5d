//! The sample articles bundled in the binary, opened when folio is given no path.

macro_rules! sample {
    ($name:literal) => {
        (
            $name,
            include_bytes!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/assets/articles/",
                $name
            )),
        )
    };
}

/// Name and content of each file in `assets/articles/`.
pub const SAMPLE_ARTICLES: &[(&str, &[u8])] = &[
    sample!("2023-02-20-voa-us-warns-china-on-arms-for-russia.txt"),
    sample!("2023-07-28-rfa-us-intelligence-china-backs-russia.txt"),
    sample!("2023-10-21-laoyang-china-russia-mutual-gain.txt"),
    sample!("2023-10-23-voa-northeast-china-russia-trade.txt"),
    sample!("2023-12-22-dw-china-russia-relations-2023.txt"),
];

#[cfg(test)]
mod tests {
    #[test]
    fn every_file_in_the_folder_is_bundled() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/articles");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let mut bundled: Vec<&str> = super::SAMPLE_ARTICLES.iter().map(|(n, _)| *n).collect();
        bundled.sort();
        assert_eq!(on_disk, bundled);
    }
}
