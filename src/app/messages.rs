//! What folio has said in the status line: each message with its time, so that a fresh one takes the line over the key hints, and the recent ones kept to be read in full.

use std::collections::VecDeque;

/// How long a message is fresh (milliseconds): it takes the status line first.
pub const FRESH_MS: u64 = 5000;
/// How many messages are kept.
const KEPT: usize = 50;

/// The messages said so far, newest last.
#[derive(Debug, Clone, Default)]
pub struct Said {
    log: VecDeque<(u64, String)>,
    /// When the message on the status line now was said.
    pub at: Option<u64>,
}

impl Said {
    /// Notes what changed in the status line's message or warning since `before`.
    pub fn note(
        &mut self,
        before: &(Option<String>, Option<String>),
        now: (&Option<String>, &Option<String>),
        clock: u64,
    ) {
        for (was, is) in [(&before.0, now.0), (&before.1, now.1)] {
            if was != is
                && let Some(text) = is
            {
                if self.log.len() == KEPT {
                    self.log.pop_front();
                }
                self.log.push_back((clock, text.clone()));
                self.at = Some(clock);
            }
        }
    }

    /// Whether the message said at `at` is still fresh at `clock`.
    pub fn fresh(&self, clock: u64) -> bool {
        self.at
            .is_some_and(|at| clock.saturating_sub(at) < FRESH_MS)
    }

    /// The messages, newest first, with how many seconds ago each was said.
    pub fn recent(&self, clock: u64) -> impl Iterator<Item = (u64, &str)> {
        self.log
            .iter()
            .rev()
            .map(move |(at, text)| (clock.saturating_sub(*at) / 1000, text.as_str()))
    }

    pub fn len(&self) -> usize {
        self.log.len()
    }

    pub fn is_empty(&self) -> bool {
        self.log.is_empty()
    }
}
