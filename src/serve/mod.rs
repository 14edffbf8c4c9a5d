//! `folio serve`: one loaded archive, many readers over SSH, each in a browser of their own; nothing else is served.

pub mod input;
pub mod keys;
pub mod session;

use std::collections::HashMap;
use std::net::IpAddr;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use russh::keys::{PrivateKey, PublicKey};
use russh::server::{Auth, Handler, Msg, Session};
use russh::{Channel, ChannelId, ChannelWriteHalf, MethodKind, MethodSet, Pty};

use crate::app::appearance::Appearance;
use crate::app::keymap::Keymap;
use crate::collection::Collection;
use crate::search::TitleIndex;

/// How the server runs.
pub struct Options {
    pub listen: SocketAddr,
    /// Admitted public keys; `None` with `open`.
    pub authorized: Option<Vec<PublicKey>>,
    /// Anyone may read (`none` authentication accepted).
    pub open: bool,
    pub host_key: PrivateKey,
    pub max_sessions: usize,
    /// A session without a key for this long ends.
    pub idle: Duration,
    /// Where each verified key's state folder goes (`readers/<fingerprint>`).
    pub state_dir: Option<std::path::PathBuf>,
    /// At most this many connections at once from one address…
    pub per_address: usize,
    /// …and this many new ones a minute.
    pub per_minute: usize,
    /// A connection not authenticated by then is closed.
    pub auth_timeout: Duration,
}

/// What every connection shares.
struct Shared {
    /// The archive now (replaced as the folders change), for sessions to start from.
    current: std::sync::RwLock<(Arc<Collection>, Arc<TitleIndex>)>,
    keymap: Keymap,
    appearance: Appearance,
    authorized: Option<Vec<PublicKey>>,
    open: bool,
    max_sessions: usize,
    idle: Duration,
    state_dir: Option<std::path::PathBuf>,
    /// Sessions running now, to stop them all.
    sessions: Mutex<HashMap<u64, std::sync::mpsc::Sender<session::Input>>>,
    running: AtomicUsize,
    next_id: AtomicU64,
}

/// Serves the archive until SIGTERM or SIGINT; every session is told and ends first.
pub fn run(
    options: Options,
    mut feed: crate::background::LoadFeed,
    collection: Arc<Collection>,
    index: Arc<TitleIndex>,
    keymap: Keymap,
    appearance: Appearance,
) -> std::io::Result<()> {
    log_to_stderr();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let shared = Arc::new(Shared {
        current: std::sync::RwLock::new((collection, index)),
        keymap,
        appearance,
        authorized: options.authorized.clone(),
        open: options.open,
        max_sessions: options.max_sessions,
        idle: options.idle,
        state_dir: options.state_dir.clone(),
        sessions: Mutex::new(HashMap::new()),
        running: AtomicUsize::new(0),
        next_id: AtomicU64::new(1),
    });
    // The folders watched: their changes go to every session, and to the sessions
    // still to come.
    let hub = Arc::clone(&shared);
    std::thread::Builder::new()
        .name("folio-serve-watch".into())
        .spawn(move || {
            loop {
                for action in feed.poll() {
                    if let crate::app::Action::Updated(handover, _) = &action {
                        if let Ok(mut current) = hub.current.write() {
                            *current = (
                                Arc::clone(&handover.0.collection),
                                Arc::clone(&handover.0.index),
                            );
                        }
                        if let Ok(sessions) = hub.sessions.lock() {
                            for input in sessions.values() {
                                let _ = input.send(session::Input::Update(action.clone()));
                            }
                        }
                    }
                }
                std::thread::sleep(Duration::from_millis(200));
            }
        })?;
    let mut methods = MethodSet::empty();
    methods.push(MethodKind::PublicKey);
    if options.open {
        methods.push(MethodKind::None);
    }
    let config = Arc::new(russh::server::Config {
        keys: vec![options.host_key],
        methods,
        auth_rejection_time: Duration::from_secs(1),
        auth_rejection_time_initial: Some(Duration::ZERO),
        inactivity_timeout: Some(options.idle + Duration::from_secs(120)),
        nodelay: true,
        ..Default::default()
    });
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(options.listen).await?;
        log(&format!("listening on {}", listener.local_addr()?));
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        let limits = Arc::new(Mutex::new(HashMap::<IpAddr, PerAddress>::new()));
        loop {
            let (stream, peer) = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok(accepted) => accepted,
                    Err(e) => {
                        log(&format!("cannot accept a connection: {e}"));
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                },
                _ = terminate.recv() => break,
                _ = tokio::signal::ctrl_c() => break,
            };
            let Some(admission) =
                Admission::take(&limits, peer.ip(), options.per_address, options.per_minute)
            else {
                log(&format!(
                    "{peer} refused: too many connections from that address"
                ));
                drop(stream);
                continue;
            };
            let _ = stream.set_nodelay(true);
            // A second handle on the socket: the authentication timer can close it
            // even in the middle of a key exchange (when russh reads no message).
            let Ok((stream, socket)) = stream
                .into_std()
                .and_then(|s| Ok((s.try_clone()?, s)))
                .and_then(|(s, socket)| Ok((tokio::net::TcpStream::from_std(s)?, socket)))
            else {
                continue;
            };
            let config = Arc::clone(&config);
            let authenticated = Arc::new(AtomicBool::new(false));
            let connection = Connection {
                shared: Arc::clone(&shared),
                peer: Some(peer),
                who: None,
                started: Instant::now(),
                channels: HashMap::new(),
                authenticated: Arc::clone(&authenticated),
                gone: Arc::new(tokio::sync::Notify::new()),
                _admission: admission,
            };
            log(&format!("connection from {peer}"));
            let auth_timeout = options.auth_timeout;
            tokio::spawn(async move {
                // The version exchange and the key exchange count in the time allowed.
                let started = tokio::time::timeout(
                    auth_timeout,
                    russh::server::run_stream(config, stream, connection),
                )
                .await;
                let Ok(Ok(session)) = started else {
                    let _ = socket.shutdown(std::net::Shutdown::Both);
                    return;
                };
                let timer = tokio::spawn(async move {
                    tokio::time::sleep(auth_timeout).await;
                    if !authenticated.load(Ordering::Relaxed) {
                        let _ = socket.shutdown(std::net::Shutdown::Both);
                    }
                });
                let _ = session.await;
                timer.abort();
            });
        }
        log("stopping: telling every session");
        if let Ok(sessions) = shared.sessions.lock() {
            for input in sessions.values() {
                let _ = input.send(session::Input::Stop("the server is stopping".to_owned()));
            }
        }
        // Give the sessions a moment to say goodbye.
        let deadline = Instant::now() + Duration::from_secs(2);
        while shared.running.load(Ordering::Relaxed) > 0 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Ok::<(), std::io::Error>(())
    })
}

/// Connections from one address: how many are open, and when the recent ones came.
#[derive(Default)]
struct PerAddress {
    open: usize,
    recent: std::collections::VecDeque<Instant>,
}

/// A connection counted against its address while it lives.
struct Admission {
    limits: Arc<Mutex<HashMap<IpAddr, PerAddress>>>,
    address: IpAddr,
}

impl Admission {
    /// Counts a new connection from `address`, or `None` when it is one too many.
    fn take(
        limits: &Arc<Mutex<HashMap<IpAddr, PerAddress>>>,
        address: IpAddr,
        per_address: usize,
        per_minute: usize,
    ) -> Option<Admission> {
        let mut all = limits.lock().ok()?;
        let entry = all.entry(address).or_default();
        let now = Instant::now();
        while entry
            .recent
            .front()
            .is_some_and(|t| now.duration_since(*t) > Duration::from_secs(60))
        {
            entry.recent.pop_front();
        }
        if entry.open >= per_address || entry.recent.len() >= per_minute {
            return None;
        }
        entry.open += 1;
        entry.recent.push_back(now);
        Some(Admission {
            limits: Arc::clone(limits),
            address,
        })
    }
}

impl Drop for Admission {
    fn drop(&mut self) {
        if let Ok(mut all) = self.limits.lock() {
            if let Some(entry) = all.get_mut(&self.address) {
                entry.open = entry.open.saturating_sub(1);
            }
            // Addresses with nothing open and nothing recent are forgotten.
            let now = Instant::now();
            all.retain(|_, entry| {
                entry
                    .recent
                    .retain(|t| now.duration_since(*t) <= Duration::from_secs(60));
                entry.open > 0 || !entry.recent.is_empty()
            });
        }
    }
}

/// One line on stderr, through `tracing` (set up by [`log_to_stderr`]).
fn log(line: &str) {
    tracing::info!("folio serve: {line}");
}

/// Sends `tracing`'s lines to stderr, through the sanitiser like everything folio
/// prints: `2026-12-05T12:00:00Z INFO folio serve: connection from 127.0.0.1:50312`.
pub fn log_to_stderr() {
    let _ = tracing_subscriber::fmt()
        .with_writer(|| crate::sanitize::Writer::new(std::io::stderr()))
        .with_target(false)
        .with_ansi(false)
        .try_init();
}

/// One connection's channels: their writers, terminals and sessions.
struct Connection {
    shared: Arc<Shared>,
    peer: Option<SocketAddr>,
    /// The fingerprint of the key whose signature was verified; `None` for an
    /// anonymous reader of an open server.
    who: Option<String>,
    started: Instant,
    channels: HashMap<ChannelId, Channeled>,
    /// Set once a way in was accepted (the authentication timer reads it).
    authenticated: Arc<AtomicBool>,
    /// Told when the connection goes: its writers stop waiting.
    gone: Arc<tokio::sync::Notify>,
    _admission: Admission,
}

#[derive(Default)]
struct Channeled {
    writer: Option<ChannelWriteHalf<Msg>>,
    size: Option<(u16, u16)>,
    /// The client asked for no colour (`NO_COLOR`).
    no_color: bool,
    /// Bytes typed and not yet taken by the session.
    queued: Arc<AtomicUsize>,
    input: Option<std::sync::mpsc::Sender<session::Input>>,
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.gone.notify_waiters();
        // A dropped connection ends its sessions at once.
        for state in self.channels.values() {
            if let Some(input) = &state.input {
                let _ = input.send(session::Input::Stop("the connection closed".to_owned()));
            }
        }
        log(&format!(
            "{} ({}) left after {:.0} s",
            self.peer.map_or("?".to_owned(), |p| p.to_string()),
            self.who.as_deref().unwrap_or("anonymous"),
            self.started.elapsed().as_secs_f64()
        ));
    }
}

/// Typed bytes that may wait for a session at most.
const MAX_QUEUED_INPUT: usize = 64 * 1024;

/// A fingerprint as a folder name: `SHA256:ab/c+d` → `SHA256-ab_c-d`.
fn folder_name(fingerprint: &str) -> String {
    fingerprint
        .chars()
        .map(|c| match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' => c,
            '/' => '_',
            _ => '-',
        })
        .collect()
}

/// A size from the client, within what a screen can be.
fn size_of(cols: u32, rows: u32) -> (u16, u16) {
    // Wider or taller than any screen costs memory for nothing.
    (cols.clamp(1, 500) as u16, rows.clamp(1, 200) as u16)
}

impl Handler for Connection {
    type Error = russh::Error;

    async fn auth_none(&mut self, _user: &str) -> Result<Auth, Self::Error> {
        Ok(if self.shared.open {
            self.authenticated.store(true, Ordering::Relaxed);
            Auth::Accept
        } else {
            Auth::reject()
        })
    }

    async fn auth_publickey_offered(
        &mut self,
        _user: &str,
        key: &PublicKey,
    ) -> Result<Auth, Self::Error> {
        // Only an offer: nothing is trusted until the signature is verified.
        Ok(match &self.shared.authorized {
            Some(keys) if keys::admitted(keys, key) => Auth::Accept,
            Some(_) => Auth::reject(),
            None => Auth::Accept,
        })
    }

    async fn auth_publickey(&mut self, _user: &str, key: &PublicKey) -> Result<Auth, Self::Error> {
        // Called once the client has proved it holds the key.
        let admitted = match &self.shared.authorized {
            Some(keys) => keys::admitted(keys, key),
            None => self.shared.open,
        };
        if !admitted {
            return Ok(Auth::reject());
        }
        self.who = Some(keys::fingerprint(key));
        self.authenticated.store(true, Ordering::Relaxed);
        Ok(Auth::Accept)
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        if self.shared.running.load(Ordering::SeqCst) >= self.shared.max_sessions
            || !self.channels.is_empty()
        {
            return Ok(false);
        }
        let (_read, write) = channel.split();
        self.channels.insert(
            write.id(),
            Channeled {
                writer: Some(write),
                ..Channeled::default()
            },
        );
        Ok(true)
    }

    #[allow(clippy::too_many_arguments)]
    async fn pty_request(
        &mut self,
        channel: ChannelId,
        _term: &str,
        cols: u32,
        rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        match self.channels.get_mut(&channel) {
            Some(state) => {
                state.size = Some(size_of(cols, rows));
                session.channel_success(channel)
            }
            None => session.channel_failure(channel),
        }
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let Some(state) = self.channels.get_mut(&channel) else {
            return session.channel_failure(channel);
        };
        let Some(writer) = state.writer.take() else {
            return session.channel_failure(channel);
        };
        session.channel_success(channel)?;
        let Some(size) = state.size else {
            // No terminal: one line saying how to get one (queued, never waited for).
            drop(writer);
            session.data(
                channel,
                russh::CryptoVec::from_slice(
                    b"folio serve shows a browser and needs a terminal: connect with ssh -t\r\n",
                ),
            )?;
            session.eof(channel)?;
            return session.close(channel);
        };
        let shared = Arc::clone(&self.shared);
        // A place among the sessions, taken at once (connections race for them).
        let max = shared.max_sessions;
        if shared
            .running
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < max).then_some(n + 1)
            })
            .is_err()
        {
            session.data(
                channel,
                russh::CryptoVec::from_slice(
                    b"folio serve: too many readers now, try again later\r\n",
                ),
            )?;
            return session.close(channel);
        }
        let Ok((collection, index)) = shared
            .current
            .read()
            .map(|current| (Arc::clone(&current.0), Arc::clone(&current.1)))
        else {
            shared.running.fetch_sub(1, Ordering::SeqCst);
            return session.close(channel);
        };
        let (frames, mut outgoing) = tokio::sync::mpsc::channel::<Vec<u8>>(2);
        let (input, inputs) = std::sync::mpsc::channel();
        state.input = Some(input.clone());
        let id = shared.next_id.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut sessions) = shared.sessions.lock() {
            sessions.insert(id, input);
        }
        let start = session::Start {
            collection,
            index,
            keymap: shared.keymap.clone(),
            appearance: {
                let mut appearance = shared.appearance.clone();
                if state.no_color {
                    appearance.palette = crate::ui::theme::Palette::Mono;
                }
                appearance
            },
            size,
            idle: shared.idle,
            // Only a key whose signature was verified has a state of its own.
            state: self
                .who
                .as_deref()
                .zip(shared.state_dir.as_deref())
                .map(|(who, dir)| dir.join("readers").join(folder_name(who))),
        };
        let who = self.who.clone().unwrap_or_else(|| "anonymous".to_owned());
        let peer = self.peer.map_or("?".to_owned(), |p| p.to_string());
        let ended = Arc::clone(&shared);
        let spawn_failed = Arc::clone(&shared);
        let sent = Arc::new(AtomicU64::new(0));
        let counted = Arc::clone(&sent);
        std::thread::Builder::new()
            .name("folio-session".into())
            .spawn(move || {
                let began = Instant::now();
                let last_words = frames.clone();
                let why = crate::contain::quietly(|| session::run(start, inputs, frames))
                    .unwrap_or_else(|panic| {
                        // This session only: the others and the server go on.
                        let _ = last_words
                            .try_send(session::goodbye("this session ended on an internal error"));
                        format!("ended on an internal error ({panic})")
                    });
                if let Ok(mut sessions) = ended.sessions.lock() {
                    sessions.remove(&id);
                }
                ended.running.fetch_sub(1, Ordering::SeqCst);
                log(&format!(
                    "session of {who} from {peer} ended after {:.0} s, {} bytes sent: {why}",
                    began.elapsed().as_secs_f64(),
                    counted.load(Ordering::Relaxed)
                ));
            })
            .map_err(|e| {
                if let Ok(mut sessions) = spawn_failed.sessions.lock() {
                    sessions.remove(&id);
                }
                spawn_failed.running.fetch_sub(1, Ordering::SeqCst);
                russh::Error::IO(e)
            })?;
        // Frames go out as the reader's window allows; the session drops what waits.
        let gone = Arc::clone(&self.gone);
        tokio::spawn(async move {
            // A frame waits for the reader's window, but not for ever, and not
            // after the connection has gone.
            let patience = Duration::from_secs(60);
            loop {
                let frame = tokio::select! {
                    frame = outgoing.recv() => frame,
                    _ = gone.notified() => None,
                };
                let Some(frame) = frame else { break };
                sent.fetch_add(frame.len() as u64, Ordering::Relaxed);
                let written = tokio::select! {
                    written = tokio::time::timeout(patience, writer.data(&frame[..])) => {
                        matches!(written, Ok(Ok(())))
                    }
                    _ = gone.notified() => false,
                };
                if !written {
                    break;
                }
            }
            // Whatever waits is dropped with the receiver: the session ends.
            drop(outgoing);
            let _ = tokio::time::timeout(Duration::from_secs(1), async {
                let _ = writer.exit_status(0).await;
                let _ = writer.eof().await;
                let _ = writer.close().await;
            })
            .await;
        });
        Ok(())
    }

    async fn data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(state) = self.channels.get(&channel)
            && let Some(input) = &state.input
        {
            // What no one types: more than this waiting is dropped, not queued.
            if state.queued.load(Ordering::Relaxed) + data.len() <= MAX_QUEUED_INPUT {
                state.queued.fetch_add(data.len(), Ordering::Relaxed);
                let _ = input.send(session::Input::Bytes(
                    data.to_vec(),
                    Arc::clone(&state.queued),
                ));
            }
        }
        Ok(())
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        cols: u32,
        rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        let (width, height) = size_of(cols, rows);
        if let Some(state) = self.channels.get_mut(&channel) {
            state.size = Some((width, height));
            if let Some(input) = &state.input {
                let _ = input.send(session::Input::Resize(width, height));
            }
        }
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        // Nothing runs on the server.
        session.channel_failure(channel)?;
        session.close(channel)
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)?;
        session.close(channel)
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        // Only what says how to draw; nothing else from the client's environment.
        match (self.channels.get_mut(&channel), name) {
            (Some(state), "NO_COLOR") => {
                state.no_color = !value.is_empty();
                session.channel_success(channel)
            }
            (Some(_), "COLORTERM") => session.channel_success(channel),
            _ => session.channel_failure(channel),
        }
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single_connection: bool,
        _x11_auth_protocol: &str,
        _x11_auth_cookie: &str,
        _x11_screen_number: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)
    }

    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(state) = self.channels.remove(&channel)
            && let Some(input) = state.input
        {
            let _ = input.send(session::Input::Stop("the connection closed".to_owned()));
        }
        Ok(())
    }
}
