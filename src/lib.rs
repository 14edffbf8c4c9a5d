//! folio: a terminal browser for large archives of news articles.
#![forbid(unsafe_code)]

pub mod app;
pub mod article;
pub mod assets;
pub mod background;
pub mod body;
pub mod cli;
pub mod collection;
pub mod commands;
pub mod config;
pub mod contain;
pub mod error;
pub mod format;
pub mod html;
pub mod loader;
pub mod sanitize;
pub mod search;
pub mod serve;
pub mod sort;
pub mod state;
pub mod store;
pub mod terminal;
pub mod ui;
pub mod watch;
pub mod wrap;

pub use article::{Article, Link, Span, SpanStyle, Text};
pub use collection::Collection;
pub use loader::{Loaded, Problem, Progress, Report, Source, load};
