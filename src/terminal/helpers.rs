//! Threads that share the UI thread's searches: a small pool the UI thread belongs to, its helpers kept off the UI thread's CPU.
//!
//! A search started by a thread outside a pool waits for woken workers, and the
//! kernel often queues the second woken worker behind the first on one CPU,
//! where it starts milliseconds later, when the search is over: half the
//! machine idles through every keystroke. Here the UI thread is a worker of a
//! pool of its own, so it starts on a search at once and its helpers join as
//! they wake; and each helper may run anywhere but on the UI thread's CPU, so a
//! woken helper goes to an idle CPU instead of waiting behind the UI thread.
//! Work the helpers never take, the UI thread does itself.

use std::sync::{Arc, Mutex, OnceLock};

/// At most this many threads share a search, the UI thread included.
const THREADS: usize = 4;

/// The pool, made once and kept for the life of the process (the UI thread stays
/// one of its workers), and its helpers' thread ids as they start (Linux only).
static POOL: OnceLock<(Option<rayon::ThreadPool>, Ids)> = OnceLock::new();

/// Thread ids, shared with the threads that add theirs.
type Ids = Arc<Mutex<Vec<i32>>>;

/// The UI thread's helpers, kept off its CPU.
pub struct Helpers {
    helpers: Ids,
    /// The CPU the helpers were last kept off, and how many had started then.
    avoided: Option<(usize, usize)>,
}

impl Helpers {
    /// The first call makes the calling thread (the UI thread) a worker of a pool of
    /// its own, with one helper per other CPU (up to [`THREADS`] threads in all);
    /// later calls share it. Nothing changes when the machine has one CPU or the
    /// pool cannot be made: searches then use the shared pool, as everything else
    /// does.
    pub fn start() -> Helpers {
        let (_, helpers) = POOL.get_or_init(|| {
            let threads = std::thread::available_parallelism()
                .map_or(1, usize::from)
                .min(THREADS);
            let helpers: Ids = Arc::default();
            let started = Arc::clone(&helpers);
            let pool = (threads > 1)
                .then(|| {
                    rayon::ThreadPoolBuilder::new()
                        .num_threads(threads)
                        .use_current_thread()
                        .thread_name(|_| "folio-search".to_owned())
                        .start_handler(move |_| {
                            if let (Some(id), Ok(mut helpers)) = (thread_id(), started.lock()) {
                                helpers.push(id);
                            }
                        })
                        .build()
                        .ok()
                })
                .flatten();
            (pool, helpers)
        });
        let mut made = Helpers {
            helpers: Arc::clone(helpers),
            avoided: None,
        };
        made.follow();
        made
    }

    /// Keeps the helpers off the CPU the UI thread runs on now (it may have moved
    /// since the last key): called before input is handled. Costs a system call
    /// only when the UI thread has moved.
    pub fn follow(&mut self) {
        #[cfg(target_os = "linux")]
        {
            use nix::sched::{CpuSet, sched_getaffinity, sched_getcpu, sched_setaffinity};
            use nix::unistd::Pid;
            let Ok(cpu) = sched_getcpu() else {
                return;
            };
            let Ok(helpers) = self.helpers.lock() else {
                return;
            };
            if helpers.is_empty() || self.avoided == Some((cpu, helpers.len())) {
                return;
            }
            let Ok(mut allowed) = sched_getaffinity(Pid::from_raw(0)) else {
                return;
            };
            let elsewhere =
                (0..CpuSet::count()).any(|c| c != cpu && allowed.is_set(c).unwrap_or(false));
            // With nowhere else to go, the helpers stay where the system puts them.
            if !elsewhere || allowed.unset(cpu).is_err() {
                return;
            }
            for &helper in helpers.iter() {
                let _ = sched_setaffinity(Pid::from_raw(helper), &allowed);
            }
            self.avoided = Some((cpu, helpers.len()));
        }
    }
}

/// The calling thread's id, where threads can be placed by it.
fn thread_id() -> Option<i32> {
    #[cfg(target_os = "linux")]
    {
        Some(nix::unistd::gettid().as_raw())
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    #[test]
    fn the_ui_thread_works_in_its_own_pool_and_its_helpers_keep_off_its_cpu() {
        // On a thread of its own: the thread becomes the pool's first worker.
        std::thread::spawn(|| {
            let mut helpers = Helpers::start();
            let threads = std::thread::available_parallelism().map_or(1, usize::from);
            if threads < 2 {
                assert!(POOL.get().is_some_and(|(pool, _)| pool.is_none()));
                return;
            }
            assert_eq!(
                rayon::current_thread_index(),
                Some(0),
                "a worker of its pool"
            );
            let sum: u64 = (0..100_000u64).into_par_iter().sum();
            assert_eq!(sum, 4_999_950_000);
            // The helpers say who they are as they start.
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
            while helpers.helpers.lock().map_or(0, |h| h.len()) < threads.min(THREADS) - 1
                && std::time::Instant::now() < deadline
            {
                std::thread::yield_now();
            }
            helpers.follow();
            #[cfg(target_os = "linux")]
            {
                use nix::sched::sched_getaffinity;
                use nix::unistd::Pid;
                let (avoided, _) = helpers.avoided.expect("a CPU kept off");
                for &helper in helpers.helpers.lock().expect("the ids").iter() {
                    let set = sched_getaffinity(Pid::from_raw(helper)).expect("its CPUs");
                    assert!(
                        !set.is_set(avoided).unwrap_or(true),
                        "helper on the UI thread's CPU"
                    );
                }
            }
        })
        .join()
        .expect("the pool works");
    }
}
