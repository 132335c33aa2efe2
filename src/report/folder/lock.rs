//! One writer per results folder: a lock file holding the writer's process id, taken
//! before anything is written and removed when the writer is done. A lock left by a
//! writer that no longer runs (killed, or the machine restarted) is stale and taken over,
//! and the temporary files such a writer left behind are removed with it.

use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use super::FolderError;

/// The lock file's name in a results folder.
pub const LOCK: &str = ".salesim.lock";

/// The folder's lock, held until dropped.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
}

/// Whether the process `pid` still runs and is a salesim. Where the system cannot tell
/// (no `/proc`), a lock is taken to be live: a stale one is then removed by hand.
fn alive(pid: u32) -> bool {
    let proc_dir = Path::new("/proc");
    if !proc_dir.is_dir() {
        return true;
    }
    match fs::read_to_string(proc_dir.join(pid.to_string()).join("comm")) {
        // A reused id of another program is not our writer.
        Ok(comm) => comm.trim().starts_with("salesim"),
        Err(_) => false,
    }
}

impl Lock {
    /// Takes the lock of `dir` (created if need be), or says who holds it.
    pub fn take(dir: &Path) -> Result<Lock, FolderError> {
        super::create(dir)?;
        let path = dir.join(LOCK);
        for _ in 0..3 {
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    let wrote = writeln!(f, "{}", std::process::id());
                    wrote.map_err(|source| FolderError::Write {
                        path: path.clone(),
                        source,
                    })?;
                    remove_stale_temporaries(dir);
                    return Ok(Lock { path });
                }
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                    let holder = fs::read_to_string(&path)
                        .ok()
                        .and_then(|s| s.trim().parse::<u32>().ok());
                    match holder {
                        Some(pid) if pid != std::process::id() && alive(pid) => {
                            return Err(FolderError::Input(format!(
                                "{} is being written by another salesim (process {pid}); wait for it to finish, or give another --out",
                                dir.display()
                            )));
                        }
                        // Stale (its writer is gone) or unreadable: take it over.
                        _ => {
                            let _ = fs::remove_file(&path);
                        }
                    }
                }
                Err(source) => return Err(FolderError::Write { path, source }),
            }
        }
        Err(FolderError::Input(format!(
            "{}: could not take the folder's lock {LOCK}; remove it if no salesim writes there",
            dir.display()
        )))
    }
}

impl Lock {
    /// The lock of an existing folder, for a command that redraws what is there
    /// (`report`, `chart`); `None` for a folder that does not exist, which the command
    /// then reports as missing rather than creating it.
    pub fn take_existing(dir: &Path) -> Result<Option<Lock>, FolderError> {
        if dir.is_dir() {
            Lock::take(dir).map(Some)
        } else {
            Ok(None)
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Removes the temporary files (`.NAME.PID.K.tmp`) of writers that no longer run: the
/// lock is ours, so no live writer owns any.
fn remove_stale_temporaries(dir: &Path) {
    for sub in [dir.to_path_buf(), dir.join(super::CHARTS)] {
        let Ok(entries) = fs::read_dir(&sub) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') && name.ends_with(".tmp") {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_writer_at_a_time_and_stale_locks_are_taken_over() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        let lock = Lock::take(&dir).unwrap();
        assert!(dir.join(LOCK).exists());
        drop(lock);
        assert!(!dir.join(LOCK).exists(), "the lock outlived its writer");
        // A lock of a process that does not run (pid 0 is never a user process) is
        // stale; so are the temporary files beside it.
        fs::write(dir.join(LOCK), "0\n").unwrap();
        fs::write(dir.join(".summary.csv.0.0.tmp"), "half").unwrap();
        let lock = Lock::take(&dir).unwrap();
        assert!(!dir.join(".summary.csv.0.0.tmp").exists());
        drop(lock);
    }
}
