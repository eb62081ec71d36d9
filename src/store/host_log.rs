//! `<session>.ron.host.log`: refused and dropped connections, one line each with the time, so
//! the facilitator can see afterwards who tried to get in.
//!
//! Lines go through a bounded queue to a thread of their own, so a flood of connections never
//! makes the console wait on the disk; past the cap the log moves to `<session>.ron.host.log.1`
//! (replacing the one before), so the two together never pass twice the cap. Lines that find the
//! queue full are counted and the count is written instead.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

use super::StoreError;

/// The log moves aside once it holds this many bytes.
pub const HOST_LOG_CAP: u64 = 1024 * 1024;
/// Lines waiting for the writer before more are only counted.
const QUEUE: usize = 1024;

/// The host's log of refusals.
pub struct HostLog {
    path: PathBuf,
    /// Taken on drop, which tells the writer to finish.
    lines: Option<SyncSender<String>>,
    shared: Arc<Shared>,
    writer: Option<std::thread::JoinHandle<()>>,
}

#[derive(Default)]
struct Shared {
    /// Lines that found the queue full since the writer last said so.
    dropped: AtomicU64,
    /// The writer's last failure, reported by the next `append`.
    failed: Mutex<Option<StoreError>>,
}

impl HostLog {
    /// The log beside a session file, with its writer thread (which ends when this is dropped).
    pub fn for_session(session: &Path) -> HostLog {
        Self::with_cap(session, HOST_LOG_CAP)
    }

    fn with_cap(session: &Path, cap: u64) -> HostLog {
        let path = super::beside(session, ".host.log");
        let (lines, queue) = sync_channel(QUEUE);
        let shared = Arc::new(Shared::default());
        let writer = Writer { path: path.clone(), cap, shared: shared.clone() };
        let writer = std::thread::spawn(move || writer.run(queue));
        HostLog { path, lines: Some(lines), shared, writer: Some(writer) }
    }

    /// Add a line (written by the log's own thread). An error is one the writer met earlier.
    pub fn append(&self, at: DateTime<Utc>, line: &str) -> Result<(), StoreError> {
        let text = format!("{} {}\n", at.format("%Y-%m-%dT%H:%M:%SZ"), line.replace('\n', " "));
        match self.lines.as_ref().map(|lines| lines.try_send(text)) {
            Some(Err(TrySendError::Full(_))) => {
                self.shared.dropped.fetch_add(1, Ordering::Relaxed);
            }
            // The writer only stops on a panic; the failure it left says why, if any.
            Some(Ok(()) | Err(TrySendError::Disconnected(_))) | None => {}
        }
        match self.shared.failed.lock().map(|mut failed| failed.take()) {
            Ok(Some(error)) => Err(error),
            _ => Ok(()),
        }
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where it moves once full.
    pub fn rotated_path(&self) -> PathBuf {
        rotated(&self.path)
    }
}

impl Drop for HostLog {
    /// Write what is queued (at most the queue's length) and stop the writer.
    fn drop(&mut self) {
        drop(self.lines.take());
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}

fn rotated(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".1");
    PathBuf::from(name)
}

struct Writer {
    path: PathBuf,
    cap: u64,
    shared: Arc<Shared>,
}

impl Writer {
    fn run(self, queue: Receiver<String>) {
        let mut file: Option<(File, u64)> = None;
        while let Ok(first) = queue.recv() {
            let mut lines = vec![first];
            lines.extend(queue.try_iter().take(QUEUE));
            let dropped = self.shared.dropped.swap(0, Ordering::Relaxed);
            if dropped > 0 {
                let now = Utc::now().format("%Y-%m-%dT%H:%M:%SZ");
                lines.push(format!("{now} ... {dropped} more lines came too fast to keep\n"));
            }
            for line in lines {
                if let Err(error) = self.write(&mut file, line.as_bytes()) {
                    file = None;
                    if let Ok(mut failed) = self.shared.failed.lock() {
                        *failed = Some(error);
                    }
                }
            }
        }
    }

    fn write(&self, file: &mut Option<(File, u64)>, bytes: &[u8]) -> Result<(), StoreError> {
        if file.as_ref().is_some_and(|(_, size)| *size >= self.cap) {
            *file = None;
            std::fs::rename(&self.path, rotated(&self.path))
                .map_err(StoreError::io(&self.path, "moving the full host log aside"))?;
        }
        if file.is_none() {
            let mut options = OpenOptions::new();
            options.create(true).append(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            let opened =
                options.open(&self.path).map_err(StoreError::io(&self.path, "opening the host log"))?;
            let size = opened.metadata().map(|m| m.len()).unwrap_or(0);
            *file = Some((opened, size));
            if size >= self.cap {
                return self.write(file, bytes);
            }
        }
        let Some((open, size)) = file.as_mut() else {
            return Ok(());
        };
        // A single line longer than the cap is cut: the log stays bounded whatever comes.
        let room = usize::try_from(self.cap).unwrap_or(usize::MAX);
        let bytes = &bytes[..bytes.len().min(room)];
        open.write_all(bytes).map_err(StoreError::io(&self.path, "writing the host log"))?;
        *size += bytes.len() as u64;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size(path: &Path) -> u64 {
        std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
    }

    #[test]
    fn the_log_moves_aside_when_full_and_never_passes_twice_the_cap() {
        let dir = tempfile::tempdir().expect("temp dir");
        let session = dir.path().join("s.ron");
        let cap = 4096;
        let log = HostLog::with_cap(&session, cap);
        let (path, rotated) = (log.path().to_path_buf(), log.rotated_path());
        for n in 0..2_000 {
            log.append(Utc::now(), &format!("refused 127.0.0.2:{n}: wrong token")).expect("queued");
            if n % 256 == 0 {
                // Let the writer keep up, as a console between frames would.
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
        drop(log);
        assert!(size(&rotated) > 0, "the full log moved aside");
        assert!(size(&path) <= cap + 200, "current log {} bytes", size(&path));
        assert!(size(&rotated) <= cap + 200, "rotated log {} bytes", size(&rotated));
        let text = std::fs::read_to_string(&path).expect("reads");
        assert!(text.lines().all(|l| l.contains("refused") || l.contains("more lines")), "{text}");
    }
}
