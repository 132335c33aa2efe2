//! The folders of `--shard K/N` runs merged into the files one run writes.

use std::fs;
use std::path::{Path, PathBuf};

use super::tables::ResultFiles;
use super::{forget_earlier_results, write_atomic, FolderError, Lock, PARTIAL, REPLICATIONS};
use crate::experiment::partial::{self, Partial};
use crate::experiment::{Experiment, PointResult};
use crate::report::csv::{Cell, Style};
use crate::report::experiment as rx;

/// What [`merge`] read and wrote.
#[derive(Debug)]
pub struct Merged {
    /// The experiment the shards ran.
    pub exp: Experiment,
    /// Every point's results.
    pub results: Vec<PointResult>,
    /// The replications, then the tables.
    pub written: Vec<PathBuf>,
    /// The folder's lock: hold it until the run's last file (manifest, page) is written.
    pub lock: Lock,
}

/// Reads the shards' folders `dirs` (each with `partial.json` and `replications.csv`),
/// checks that they are the shards of one experiment, and writes the tables of the whole
/// run into `out`. The manifest and the page are left to the caller, as after
/// [`super::record`].
pub fn merge(dirs: &[PathBuf], out: &Path, style: Style) -> Result<Merged, FolderError> {
    let mut parts = vec![];
    for d in dirs {
        let path = d.join(PARTIAL);
        let text = fs::read_to_string(&path).map_err(|e| {
            FolderError::Input(format!(
                "{}: {e}; give the folders `--shard` wrote",
                path.display()
            ))
        })?;
        let origin = d.display().to_string();
        parts.push((origin.clone(), Partial::from_json(&text, &origin)?));
    }
    let mut reps = vec![];
    for d in dirs {
        let path = d.join(REPLICATIONS);
        let bytes =
            fs::read(&path).map_err(|e| FolderError::Input(format!("{}: {e}", path.display())))?;
        reps.push((path, bytes));
    }
    let (exp, accs) = partial::merge(parts)?;
    let lock = Lock::take(out)?;
    let results: Vec<PointResult> = accs
        .iter()
        .enumerate()
        .map(|(p, acc)| exp.result(p, acc, None))
        .collect();
    let rows = merged_replications(&exp, &reps)?;
    forget_earlier_results(out);
    let mut written = vec![];
    let path = out.join(REPLICATIONS);
    write_atomic(&path, |w| {
        w.write_all(style.preamble())?;
        style.write_rows(w, &[rx::replications_header(&exp)])?;
        style.write_rows(w, &rows)
    })?;
    written.push(path);
    let mut files = ResultFiles::create(&exp, out, false, style)?;
    for r in &results {
        if let Err(e) = files.point(&exp, style, r) {
            files.abandon();
            return Err(e);
        }
    }
    written.extend(files.finish()?);
    Ok(Merged {
        exp,
        results,
        written,
        lock,
    })
}

/// The shards' replication rows, in the order one run writes them: by point, then by
/// replication (shards hold contiguous replication ranges of every point).
fn merged_replications(
    exp: &Experiment,
    files: &[(PathBuf, Vec<u8>)],
) -> Result<Vec<Vec<Cell>>, FolderError> {
    let lead = if exp.axes.is_empty() {
        0
    } else {
        1 + exp.axes.len()
    };
    let mut rows: Vec<(u64, u64, usize, Vec<Cell>)> = vec![];
    for (path, bytes) in files {
        let bytes = bytes
            .strip_prefix(b"\xEF\xBB\xBF".as_slice())
            .unwrap_or(bytes);
        let delim = if bytes
            .split(|&b| b == b'\n')
            .next()
            .is_some_and(|h| h.contains(&b';'))
        {
            b';'
        } else {
            b','
        };
        let mut r = csv::ReaderBuilder::new()
            .delimiter(delim)
            .from_reader(bytes);
        for (i, rec) in r.records().enumerate() {
            let rec = rec.map_err(|e| FolderError::Input(format!("{}: {e}", path.display())))?;
            let field = |k: usize| rec.get(k).unwrap_or("").to_string();
            let num = |k: usize| -> Result<u64, FolderError> {
                field(k).parse::<u64>().map_err(|_| {
                    FolderError::Input(format!(
                        "{}: row {}: not a replications file of salesim",
                        path.display(),
                        i + 2
                    ))
                })
            };
            let point = if lead > 0 { num(0)? } else { 1 };
            let rep = num(lead)?;
            let cells = rec
                .iter()
                .map(|s| {
                    let plain = if delim == b';' {
                        s.replace(',', ".")
                    } else {
                        s.to_string()
                    };
                    match plain.parse::<f64>() {
                        Ok(x) if !s.is_empty() => Cell::Num(x),
                        _ => Cell::Text(s.to_string()),
                    }
                })
                .collect();
            rows.push((point, rep, rows.len(), cells));
        }
    }
    rows.sort_by_key(|&(p, r, i, _)| (p, r, i));
    Ok(rows.into_iter().map(|(_, _, _, c)| c).collect())
}
