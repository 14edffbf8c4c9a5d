//! Search: titles (fuzzy, pinyin, fzf-style syntax), article bodies and the text of one article.
//!
//! Everything is compared in one folded form (see [`fold_str`]): lower case,
//! half-width, simplified Chinese. Folding maps each character to one character, so
//! character positions found in a folded title are positions in the original.

mod body;
mod fold;
mod pinyin;
mod query;
mod rank;
mod text;
mod title;

pub use body::{BodyHit, search_bodies};
pub use fold::{fold_char, fold_str};
pub use query::{Mode, Query, SYNTAX_HELP, Term};
pub use text::{Finder, find_in_text};
pub use title::{Hit, TitleIndex};
