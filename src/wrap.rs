//! TEMPORARY placeholder until the real wrapping module lands.
pub fn wrap(text: &str, _width: usize) -> Vec<&str> {
    vec![text]
}
