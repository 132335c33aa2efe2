//! The experiment's CSV tables as files: created with their header, appended a point at
//! a time, then renamed into place (or, for a live sweep, written in place).

use std::fs;
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::{temp_path, FolderError, CLAIMS, DIFFERENCES, MONTHLY, SUMMARY};
use crate::experiment::{Experiment, PointResult};
use crate::report::csv::{Cell, Style};
use crate::report::experiment as rx;

/// One CSV file written as the experiment goes: rows are appended point by point.
///
/// Rows are gathered whole in memory and handed to the system a batch at a time, so the
/// file always ends at the end of a row: a write that fails (a full disk) is cut back to
/// the last whole batch, and at each point's end the file is flushed to the disk.
pub(super) struct CsvFile {
    path: PathBuf,
    /// Where the rows go until the end (the final path when `live`).
    tmp: PathBuf,
    file: fs::File,
    /// Whole rows not yet handed to the system.
    pending: Vec<u8>,
    /// Bytes of the file written whole.
    written: u64,
}

/// Rows gathered before they are handed to the system.
const PENDING_MAX: usize = 64 * 1024;

impl CsvFile {
    /// Creates `dir/name` with `header`: in place when `live`, else under a temporary
    /// name until [`CsvFile::finish`].
    pub(super) fn create(
        dir: &Path,
        name: &str,
        live: bool,
        style: Style,
        header: &[Cell],
    ) -> Result<CsvFile, FolderError> {
        let path = dir.join(name);
        let tmp = if live { path.clone() } else { temp_path(&path) };
        let file = fs::File::create(&tmp).map_err(|source| FolderError::Write {
            path: path.clone(),
            source,
        })?;
        let mut f = CsvFile {
            path,
            tmp,
            file,
            pending: style.preamble().to_vec(),
            written: 0,
        };
        f.rows(style, &[header.iter().map(copy_cell).collect()])?;
        f.write_pending()?;
        Ok(f)
    }

    fn error(&self, source: std::io::Error) -> FolderError {
        FolderError::Write {
            path: self.path.clone(),
            source,
        }
    }

    /// Appends rows.
    pub(super) fn rows(&mut self, style: Style, rows: &[Vec<Cell>]) -> Result<(), FolderError> {
        if let Err(e) = style.write_rows(&mut self.pending, rows) {
            return Err(self.error(e));
        }
        if self.pending.len() >= PENDING_MAX {
            self.write_pending()?;
        }
        Ok(())
    }

    /// Hands the gathered rows to the system; on failure cuts the file back to its last
    /// whole row.
    fn write_pending(&mut self) -> Result<(), FolderError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        match self.file.write_all(&self.pending) {
            Ok(()) => {
                self.written += self.pending.len() as u64;
                self.pending.clear();
                Ok(())
            }
            Err(e) => {
                let _ = self.file.set_len(self.written);
                let _ = self.file.seek(SeekFrom::Start(self.written));
                self.pending.clear();
                Err(self.error(e))
            }
        }
    }

    /// Writes every gathered row and flushes the file to the disk (a point's end).
    pub(super) fn flush(&mut self) -> Result<(), FolderError> {
        self.write_pending()?;
        self.file.sync_data().map_err(|e| self.error(e))
    }

    /// Flushes and renames the file into place; its path.
    pub(super) fn finish(mut self) -> Result<PathBuf, FolderError> {
        self.flush()?;
        if self.tmp != self.path {
            fs::rename(&self.tmp, &self.path).map_err(|e| self.error(e))?;
        }
        Ok(self.path)
    }

    /// Removes the temporary file of a run that failed.
    pub(super) fn abandon(self) {
        if self.tmp != self.path {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

fn copy_cell(c: &Cell) -> Cell {
    match c {
        Cell::Text(s) => Cell::Text(s.clone()),
        Cell::Num(x) => Cell::Num(*x),
        Cell::Int(n) => Cell::Int(*n),
    }
}

/// The files of a full result: summary, monthly, differences, claims.
pub(super) struct ResultFiles {
    summary: CsvFile,
    monthly: CsvFile,
    differences: CsvFile,
    claims: Option<CsvFile>,
}

impl ResultFiles {
    /// The tables of `exp` in `dir`, with their headers.
    pub(super) fn create(
        exp: &Experiment,
        dir: &Path,
        live: bool,
        style: Style,
    ) -> Result<ResultFiles, FolderError> {
        let file = |name: &str, header: Vec<Cell>| CsvFile::create(dir, name, live, style, &header);
        Ok(ResultFiles {
            summary: file(SUMMARY, rx::summary_header(exp))?,
            monthly: file(MONTHLY, rx::monthly_header(exp))?,
            differences: file(DIFFERENCES, rx::differences_header(exp))?,
            claims: if exp.claims.is_empty() {
                None
            } else {
                Some(file(CLAIMS, rx::claims_header(exp))?)
            },
        })
    }

    fn all(&mut self) -> impl Iterator<Item = &mut CsvFile> {
        [&mut self.summary, &mut self.monthly, &mut self.differences]
            .into_iter()
            .chain(self.claims.as_mut())
    }

    /// Appends the rows of one point, then flushes every table.
    pub(super) fn point(
        &mut self,
        exp: &Experiment,
        style: Style,
        p: &PointResult,
    ) -> Result<(), FolderError> {
        self.summary.rows(style, &rx::summary_rows(exp, p))?;
        self.monthly.rows(style, &rx::monthly_rows(exp, p))?;
        self.differences
            .rows(style, &rx::differences_rows(exp, p))?;
        if let Some(c) = &mut self.claims {
            c.rows(style, &rx::claims_rows(exp, p))?;
        }
        self.all().try_for_each(CsvFile::flush)
    }

    /// Renames every table into place; their paths.
    pub(super) fn finish(self) -> Result<Vec<PathBuf>, FolderError> {
        [self.summary, self.monthly, self.differences]
            .into_iter()
            .chain(self.claims)
            .map(CsvFile::finish)
            .collect()
    }

    /// Removes the temporary files of a run that failed.
    pub(super) fn abandon(self) {
        [self.summary, self.monthly, self.differences]
            .into_iter()
            .chain(self.claims)
            .for_each(CsvFile::abandon);
    }
}
