//! Search: titles (fuzzy, pinyin, fzf-style syntax), article bodies and the text of one article.
//!
//! Everything is compared in one folded form (see [`fold_str`]): lower case,
//! half-width, simplified Chinese. Folding maps each character to one character, so
//! character positions found in a folded title are positions in the original.
//!
//! - [`TitleIndex`] keeps every title folded plus a few bits per title (which
//!   characters, which pinyin initials and letters it has) that rule most titles out
//!   before they are read; the rest are matched in parallel and ranked in tiers
//!   (see `rank.rs`): at a boundary, contiguous, scattered (Skim-scored). Pinyin
//!   (`pinyin.rs`) matches Latin terms against every reading of consecutive characters.
//!   A query of one Chinese character is answered from per-character postings.
//!   Titles are also kept as small numbers, one per character (`alphabet.rs`), which
//!   pinyin and Chinese terms read instead of the text; a key typed at the end of a
//!   query tries only the hits before it, and each hit carries where its last term
//!   was spelled, which the longer term cannot spell earlier.
//! - [`Query`] is the parsed search-box text ([`SYNTAX_HELP`] documents it).
//! - [`search_bodies`] (every term of a query) and [`find_in_text`] (one phrase) look
//!   for text in raw bodies with a [`Finder`], which scans for a part of the phrase
//!   with a single spelling and checks the rest, so bodies are never folded or copied.

mod alphabet;
mod body;
pub mod fields;
pub mod filter;
mod fold;
pub mod pinyin;
mod postings;
mod query;
mod rank;
mod text;
mod title;

pub use body::{BodyHit, search_bodies};
pub use filter::{Filter, FilterError, Parsed};
pub use fold::{fold_char, fold_str};
pub use query::{Mode, Query, SYNTAX_HELP, Term};
pub use text::{Finder, find_in_text};
pub use title::{Hit, TitleIndex, narrows};
