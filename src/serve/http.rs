//! The preview's HTTP server: hyper on a two-thread tokio runtime, so idle connections and
//! WebSockets are cheap tasks rather than threads. Every resource a client can hold is bounded:
//! connections, WebSockets, header size, time to send a header, and time without progress.

use super::access::Access;
use super::live::Live;
use super::respond::{self, Shared};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::io::ErrorKind;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_io_timeout::TimeoutStream;

/// Time a client has to send a request head; also ends a kept-alive connection idle that long.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// A read or write without progress this long ends a connection. WebSockets are pinged every
/// 15 s, so a living page always answers in time.
const IO_TIMEOUT: Duration = Duration::from_secs(45);
/// Largest request head (431 above it): generous, as browsers send every cookie of `localhost`.
const MAX_HEADER_BYTES: usize = 64 * 1024;
/// Connections (WebSockets not counted) and WebSockets open at once, at most. Fewer when the
/// open-file limit is low, so that rebuilds still have descriptors for reading files.
const MAX_CONNECTIONS: usize = 1024;
const MAX_WEBSOCKETS: usize = 512;
/// The open-file limit serve asks for when the soft limit is lower (macOS starts at 256).
const WANTED_OPEN_FILES: u64 = 4096;
/// Waiting connections the kernel queues while all are taken.
const BACKLOG: u32 = 1024;
/// Pause after an accept failed for want of resources, before trying again.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

pub struct Server {
    runtime: tokio::runtime::Runtime,
    listener: TcpListener,
    bind: String,
    port: u16,
}

impl Server {
    /// Starts the runtime and listens; port 0 picks a free port.
    pub fn bind(bind: &str, port: u16) -> Result<Server, String> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("handreiking-serve")
            .enable_io()
            .enable_time()
            .build()
            .map_err(|e| format!("kan de webserver niet starten: {e}"))?;
        let listener = {
            let _context = runtime.enter();
            listen(bind, port)?
        };
        let port = listener.local_addr().map_or(port, |a| a.port());
        Ok(Server {
            runtime,
            listener,
            bind: bind.to_string(),
            port,
        })
    }

    pub fn url(&self) -> String {
        super::access::preview_url(&self.bind, self.port)
    }

    /// Serves until the process ends.
    pub fn run(self, live: Arc<Live>) {
        let (connections, websockets) = limits(raise_open_file_limit());
        let shared = Arc::new(Shared {
            live,
            access: Access::new(&self.bind, self.port),
            websockets: Arc::new(Semaphore::new(websockets)),
        });
        let connections = Arc::new(Semaphore::new(connections));
        self.runtime
            .block_on(accept_loop(self.listener, shared, connections));
    }
}

fn listen(bind: &str, port: u16) -> Result<TcpListener, String> {
    let unbracketed = super::access::unbracket(bind);
    let addresses: Vec<SocketAddr> = match unbracketed.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => (unbracketed, port)
            .to_socket_addrs()
            .map_err(|_| format!("onbekend adres voor --bind: {bind}"))?
            .collect(),
    };
    let mut last = None;
    for address in addresses {
        match listen_on(address) {
            Ok(listener) => return Ok(listener),
            Err(err) => last = Some(err),
        }
    }
    Err(match last {
        Some(err) if err.kind() == ErrorKind::AddrInUse => format!(
            "poort {port} is al in gebruik, misschien door een andere preview\n  = hulp: kies een andere poort, bijvoorbeeld --port {}",
            port.checked_add(1).unwrap_or(1111)
        ),
        Some(err) if err.kind() == ErrorKind::AddrNotAvailable => format!(
            "{bind} is geen adres van deze computer\n  = hulp: laat --bind weg om alleen op deze computer te kijken"
        ),
        Some(err) if err.kind() == ErrorKind::PermissionDenied => format!(
            "geen toestemming om op poort {port} te luisteren\n  = hulp: kies een poort boven 1023, bijvoorbeeld --port 1111"
        ),
        Some(err) => format!("kan niet luisteren op {bind} poort {port}: {err}"),
        None => format!("onbekend adres voor --bind: {bind}"),
    })
}

fn listen_on(address: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = match address {
        SocketAddr::V4(_) => TcpSocket::new_v4()?,
        SocketAddr::V6(_) => TcpSocket::new_v6()?,
    };
    // Restarting the preview right after stopping it must not find the port busy.
    socket.set_reuseaddr(true)?;
    socket.bind(address)?;
    socket.listen(BACKLOG)
}

/// Lifts the soft open-file limit towards the hard one; returns the limit in force.
#[cfg(unix)]
fn raise_open_file_limit() -> u64 {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    let current = limit.current.unwrap_or(u64::MAX);
    let wanted = limit
        .maximum
        .map_or(WANTED_OPEN_FILES, |max| max.min(WANTED_OPEN_FILES));
    if wanted > current {
        let raised = Rlimit {
            current: Some(wanted),
            maximum: limit.maximum,
        };
        if setrlimit(Resource::Nofile, raised).is_ok() {
            return wanted;
        }
    }
    current
}

#[cfg(not(unix))]
fn raise_open_file_limit() -> u64 {
    WANTED_OPEN_FILES
}

/// Connections and WebSockets together take at most three quarters of the open-file limit.
fn limits(open_files: u64) -> (usize, usize) {
    let open_files = usize::try_from(open_files).unwrap_or(usize::MAX);
    (
        (open_files / 2).clamp(16, MAX_CONNECTIONS),
        (open_files / 4).clamp(4, MAX_WEBSOCKETS),
    )
}

/// Accepts while a connection slot is free. Never ends: when accepting fails for want of file
/// descriptors or memory, it says so once, waits and tries again while the open ones are served.
async fn accept_loop(listener: TcpListener, shared: Arc<Shared>, connections: Arc<Semaphore>) {
    let mut warned = false;
    loop {
        let Ok(permit) = connections.clone().acquire_owned().await else {
            return;
        };
        match listener.accept().await {
            Ok((stream, _)) => {
                tokio::spawn(serve_connection(stream, shared.clone(), permit));
            }
            // The client gave up before it was accepted: nothing wrong here.
            Err(err)
                if matches!(
                    err.kind(),
                    ErrorKind::ConnectionAborted
                        | ErrorKind::ConnectionReset
                        | ErrorKind::Interrupted
                ) => {}
            Err(_) => {
                if !warned {
                    warned = true;
                    eprintln!(
                        "waarschuwing: de preview kan even geen nieuwe verbindingen aannemen (te veel open verbindingen of bestanden); hij probeert het steeds opnieuw\n  = hulp: sluit tabbladen die u niet gebruikt, of verhoog het maximum aantal open bestanden (ulimit -n)"
                    );
                }
                tokio::time::sleep(ACCEPT_BACKOFF).await;
            }
        }
    }
}

async fn serve_connection(stream: TcpStream, shared: Arc<Shared>, permit: OwnedSemaphorePermit) {
    let _permit = permit;
    let _ = stream.set_nodelay(true);
    let mut stream = TimeoutStream::new(stream);
    stream.set_read_timeout(Some(IO_TIMEOUT));
    stream.set_write_timeout(Some(IO_TIMEOUT));
    let io = TokioIo::new(Box::pin(stream));
    let service = service_fn(move |request| {
        let response = respond::respond(request, &shared);
        std::future::ready(Ok::<_, std::convert::Infallible>(response))
    });
    // Errors are a client's doing (closed early, timed out, malformed): it has had its answer.
    let _ = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .max_header_size(MAX_HEADER_BYTES)
        .serve_connection(io, service)
        .with_upgrades()
        .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_follow_the_open_file_limit() {
        assert_eq!(limits(20_000), (1024, 512));
        assert_eq!(limits(1024), (512, 256));
        assert_eq!(limits(256), (128, 64));
        assert_eq!(limits(64), (32, 16));
        assert_eq!(limits(10), (16, 4));
    }
}
