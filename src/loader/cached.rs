//! Takes from the archive store what it holds for files that have not changed, reading it on every core at once.
//!
//! Keys are split into as many ranges as there are cores; each range is read with
//! a connection of its own and decoded on the thread that reads it (a body is
//! checked and copied once, straight from the store's page). A load may take the
//! heads only (what a list needs) and the texts after, with [`texts`].

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc;

use super::Pending;
use super::convert::CONVERTER_VERSION;
use crate::article::{Article, Origin, Text, make_id};
use crate::store::{self, Outcome, Stamp, Store, StoreError};

/// Results handed to the loader's thread together.
const BATCH: usize = 256;

/// Ranges of at least this many keys are worth a thread of their own.
const MIN_RANGE: usize = 1024;

/// What a look through the store found besides the outcomes.
#[derive(Debug, Default)]
pub struct Seen {
    /// Entries between the first and last key of the files found whose files are gone.
    pub gone: Vec<Vec<u8>>,
    /// The first and last key of the files found.
    pub bounds: Option<Bounds>,
}

/// Calls `each` (on this thread) with the outcome kept for every `wanted` input
/// whose file is unchanged since it was kept, articles without their text
/// ([`fill_texts`] brings it). Inputs `each` is not called for must be converted.
/// A damaged entry is passed over (and converted again).
pub fn take(
    store: &Store,
    inputs: &[Pending],
    wanted: &[bool],
    mut each: impl FnMut(usize, Outcome),
) -> Result<Seen, StoreError> {
    // Every file's key, so that an entry of a file that is there is never gone.
    let keys: Vec<(Vec<u8>, usize)> = inputs
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Some((store::key_of(p.store_key()?), i)))
        .collect();
    let gone = std::sync::Mutex::new(Vec::new());
    let mut got_head = |i: usize, outcome: Outcome| each(i, outcome);
    let bounds = in_ranges(keys, &mut got_head, |range, to, send| {
        let Some(first) = range.first() else {
            return Ok(());
        };
        let mut gone_here = Vec::new();
        let mut files = Merge::new(range);
        let scanned = store.scan_heads(&first.0, to, |key, stamp, converter, head| {
            let Some(i) = files.find(key) else {
                gone_here.push(key.to_vec());
                return;
            };
            let input = &inputs[i];
            if !wanted[i] || converter != CONVERTER_VERSION || input.stamp() != Some(stamp) {
                return;
            }
            let Some(mut outcome) = decode_head(input, head) else {
                return;
            };
            if let Outcome::Article { article, .. } = &mut outcome {
                article.origin = input.store_key().map(|path| Origin {
                    path: path.to_owned(),
                    stamp,
                });
            }
            send((i, outcome));
        });
        if let Ok(mut gone) = gone.lock() {
            gone.append(&mut gone_here);
        }
        scanned
    })?;
    Ok(Seen {
        gone: gone.into_inner().unwrap_or_default(),
        bounds,
    })
}

/// Fills in, in place and on the reading threads, the texts the store holds for
/// `articles` that came without theirs (those whose file changed since are left
/// out); returns how many were filled in.
pub fn fill_texts(store: &Store, articles: &[Arc<Article>]) -> Result<usize, StoreError> {
    let keys: Vec<(Vec<u8>, usize)> = articles
        .iter()
        .enumerate()
        .filter(|(_, a)| !a.has_text())
        .filter_map(|(i, a)| Some((store::key_of(&a.origin.as_ref()?.path), i)))
        .collect();
    let stamps = |i: usize| articles[i].origin.as_ref().map(|o| o.stamp);
    let filled = std::sync::atomic::AtomicUsize::new(0);
    let fill = |i: usize, text: Text| {
        if articles[i].fill_text(text) {
            filled.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    };
    read_texts(store, keys, &stamps, &fill)?;
    Ok(filled.into_inner())
}

/// Reads the texts of `keys` (each with the stamp its head was read for), giving
/// `fill` those that are whole and current. The texts lie in the order they were
/// written; the rows from the first to the last of them are read in as many
/// ranges as there are cores, each on a thread of its own, in disk order.
fn read_texts(
    store: &Store,
    mut keys: Vec<(Vec<u8>, usize)>,
    stamps: &(dyn Fn(usize) -> Option<Stamp> + Sync),
    fill: &(dyn Fn(usize, Text) + Sync),
) -> Result<(), StoreError> {
    keys.sort_unstable();
    let (Some(first), Some(last)) = (keys.first(), keys.last()) else {
        return Ok(());
    };
    let Some((low, high)) = store.text_rows(&first.0, &last.0)? else {
        return Ok(());
    };
    let index: HashMap<&[u8], usize> = keys.iter().map(|(k, i)| (k.as_slice(), *i)).collect();
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(keys.len().div_ceil(MIN_RANGE))
        .max(1) as i64;
    let span = (high - low + threads) / threads;
    std::thread::scope(|scope| {
        let readers: Vec<_> = (0..threads)
            .map(|n| {
                let (from, to) = (low + n * span, (low + (n + 1) * span - 1).min(high));
                let index = &index;
                scope.spawn(move || {
                    store.scan_texts(from, to, |key, stamp, tail, body| {
                        let Some(&i) = index.get(key) else { return };
                        if stamps(i) != Some(stamp) {
                            return;
                        }
                        if let Some((body, links, spans)) =
                            body.and_then(|body| store::decode_text(tail, body))
                        {
                            fill(i, Text { body, links, spans });
                        }
                    })
                })
            })
            .collect();
        readers
            .into_iter()
            .try_for_each(|r| r.join().unwrap_or(Ok(())))
    })
}

/// Matches keys the store gives in order against a sorted range of keys, moving
/// forward only: a merge, without hashing a key.
struct Merge<'a> {
    keys: &'a [(Vec<u8>, usize)],
    at: usize,
}

impl<'a> Merge<'a> {
    fn new(keys: &'a [(Vec<u8>, usize)]) -> Self {
        Merge { keys, at: 0 }
    }

    /// The input whose key is `key`, if any; keys must come in increasing order.
    fn find(&mut self, key: &[u8]) -> Option<usize> {
        while let Some((k, i)) = self.keys.get(self.at) {
            match k.as_slice().cmp(key) {
                std::cmp::Ordering::Less => self.at += 1,
                std::cmp::Ordering::Equal => return Some(*i),
                std::cmp::Ordering::Greater => return None,
            }
        }
        None
    }
}

/// The first and last key.
type Bounds = (Vec<u8>, Vec<u8>);

/// Where a range's reading ends: the next range's first key (excluded), or the
/// last key (included).
type Upto<'a> = (&'a [u8], bool);

/// Splits `keys` into sorted ranges, one per core, runs `read` on each in a thread
/// of its own (the ranges meet: together they cover every key from the first to
/// the last), and calls `each` on this thread with what they send. Returns the
/// first and last key.
fn in_ranges<T: Send>(
    mut keys: Vec<(Vec<u8>, usize)>,
    each: &mut dyn FnMut(usize, T),
    read: impl Fn(&[(Vec<u8>, usize)], Upto, &mut dyn FnMut((usize, T))) -> Result<(), StoreError>
    + Sync,
) -> Result<Option<Bounds>, StoreError> {
    if keys.is_empty() {
        return Ok(None);
    }
    keys.sort_unstable();
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(keys.len().div_ceil(MIN_RANGE))
        .max(1);
    let per_range = keys.len().div_ceil(threads);
    let (tx, rx) = mpsc::sync_channel::<Vec<(usize, T)>>(threads * 4);
    let ranges: Vec<&[(Vec<u8>, usize)]> = keys.chunks(per_range).collect();
    let last = &keys[keys.len() - 1].0;
    std::thread::scope(|scope| {
        let readers: Vec<_> = ranges
            .iter()
            .enumerate()
            .map(|(n, range)| {
                let tx = tx.clone();
                let read = &read;
                let to: Upto = match ranges.get(n + 1) {
                    Some(next) => (&next[0].0, false),
                    None => (last, true),
                };
                scope.spawn(move || {
                    let mut batch = Vec::with_capacity(BATCH);
                    let result = read(range, to, &mut |item| {
                        batch.push(item);
                        if batch.len() == BATCH {
                            let _ =
                                tx.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)));
                        }
                    });
                    if !batch.is_empty() {
                        let _ = tx.send(batch);
                    }
                    result
                })
            })
            .collect();
        drop(tx);
        for (i, item) in rx.iter().flatten() {
            each(i, item);
        }
        readers
            .into_iter()
            .try_for_each(|r| r.join().unwrap_or(Ok(())))
    })?;
    Ok(Some((keys[0].0.clone(), last.clone())))
}

/// The outcome kept for `input`, with its id and path made for how it was found.
fn decode_head(input: &Pending, head: &[u8]) -> Option<Outcome> {
    let key = input.key();
    store::decode_head(
        head,
        |url| match url {
            Some(url) => make_id(&format!("url:{url}")),
            None => make_id(&format!("path:{key}")),
        },
        input.display(),
    )
}

/// What the store keeps of a file's stamp, for an article made from it now.
pub fn origin_of(input: &Pending) -> Option<Origin> {
    Some(Origin {
        path: input.store_key()?.to_owned(),
        stamp: input.stamp().unwrap_or_default(),
    })
}
