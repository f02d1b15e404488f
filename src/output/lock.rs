//! One build at a time per output directory: an exclusive lock on a file next to it (or inside
//! it, for a mount point). A second build waits for the first, saying so, and gives up after a
//! while with a clear message.

use super::error::OutputError;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a build waits for another one on the same output before it stops.
const WAIT: Duration = Duration::from_secs(600);
const POLL: Duration = Duration::from_millis(100);

/// Held while a build writes; dropping it removes the lock file and releases the lock.
pub struct OutputLock {
    path: PathBuf,
    file: File,
}

impl OutputLock {
    /// Takes the lock at `path` for the output directory `output`, waiting while another build
    /// holds it.
    pub fn acquire(path: &Path, output: &Path) -> Result<OutputLock, OutputError> {
        let started = Instant::now();
        let mut told = false;
        loop {
            let file = open(path)?;
            match file.try_lock() {
                Ok(()) => {
                    // The holder before us removes the file as it lets go: a lock on a file
                    // that is no longer at `path` locks nothing, so take the new one.
                    if same_file(&file, path) {
                        return Ok(OutputLock {
                            path: path.to_path_buf(),
                            file,
                        });
                    }
                    continue;
                }
                Err(std::fs::TryLockError::WouldBlock) => {}
                Err(std::fs::TryLockError::Error(err)) => {
                    return Err(OutputError::Io(format!(
                        "kan de uitvoermap niet vergrendelen ({}): {err}",
                        path.display()
                    )));
                }
            }
            if !told {
                eprintln!(
                    "wachten: een andere build schrijft naar {}; deze build gaat verder zodra die klaar is",
                    crate::diagnostics::printable(&output.display().to_string())
                );
                told = true;
            }
            if started.elapsed() > WAIT {
                return Err(OutputError::Unsafe(
                    format!(
                        "een andere build schrijft al {} minuten naar {}",
                        WAIT.as_secs() / 60,
                        output.display()
                    ),
                    format!(
                        "wacht tot die build klaar is of stop hem, en probeer het opnieuw; is er geen andere build, verwijder dan {}",
                        path.display()
                    ),
                ));
            }
            std::thread::sleep(POLL);
        }
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still held, so that no build can lock the old file after us.
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// Opens or creates the lock file, never through a symbolic link: a committed link named like
/// the lock file could otherwise make the build create or lock a file elsewhere.
#[cfg(unix)]
fn open(path: &Path) -> Result<File, OutputError> {
    use rustix::fs::{Mode, OFlags};
    rustix::fs::open(
        path,
        OFlags::CREATE | OFlags::RDWR | OFlags::CLOEXEC | OFlags::NOFOLLOW,
        Mode::from_raw_mode(0o600),
    )
    .map(File::from)
    .map_err(|err| {
        OutputError::Io(format!(
            "kan het vergrendelbestand {} niet openen: {}",
            path.display(),
            std::io::Error::from(err)
        ))
    })
}

#[cfg(not(unix))]
fn open(path: &Path) -> Result<File, OutputError> {
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|err| {
            OutputError::Io(format!(
                "kan het vergrendelbestand {} niet openen: {err}",
                path.display()
            ))
        })
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::symlink_metadata(path)) {
        (Ok(held), Ok(named)) => held.dev() == named.dev() && held.ino() == named.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &File, path: &Path) -> bool {
    path.exists()
}
