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
    let (exp, accs) = partial::merge(&parts)?;
    let lock = Lock::take(out)?;
    let results: Vec<PointResult> = accs
        .iter()
        .enumerate()
        .map(|(p, acc)| exp.result(p, acc, None))
        .collect();
    let rows = merged_replications(&exp, &parts, &reps)?;
    forget_earlier_results(out);
    // Shards never search teams: an earlier search's files are not this run's.
    super::forget_team_search(out);
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
/// replication (shards hold contiguous replication ranges of every point). Each shard's
/// rows must be exactly its replications, once each, and their totals must give the
/// means its `partial.json` holds.
fn merged_replications(
    exp: &Experiment,
    parts: &[(String, Partial)],
    files: &[(PathBuf, Vec<u8>)],
) -> Result<Vec<Vec<Cell>>, FolderError> {
    let mut rows: Vec<(u64, u64, usize, Vec<Cell>)> = vec![];
    for ((origin, part), (path, bytes)) in parts.iter().zip(files) {
        let mine = shard_rows(exp, path, bytes)?;
        check_rows(exp, origin, part, path, &mine)?;
        for (point, rep, cells) in mine {
            rows.push((point, rep, rows.len(), cells));
        }
    }
    rows.sort_by_key(|&(p, r, i, _)| (p, r, i));
    Ok(rows.into_iter().map(|(_, _, _, c)| c).collect())
}

/// The columns before the metrics: `point` and the swept fields, then `replication`.
fn lead(exp: &Experiment) -> usize {
    if exp.axes.is_empty() {
        0
    } else {
        1 + exp.axes.len()
    }
}

/// One shard's rows as (point from 1, replication, cells).
fn shard_rows(
    exp: &Experiment,
    path: &Path,
    bytes: &[u8],
) -> Result<Vec<(u64, u64, Vec<Cell>)>, FolderError> {
    let lead = lead(exp);
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
    let mut out = vec![];
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
        out.push((point, rep, cells));
    }
    Ok(out)
}

/// Checks one shard's rows against its partial result: every (point, replication,
/// structure) of its range once, and the mean of each metric's totals equal (to 1e-9)
/// to the mean its statistics hold.
fn check_rows(
    exp: &Experiment,
    origin: &str,
    part: &Partial,
    path: &Path,
    rows: &[(u64, u64, Vec<Cell>)],
) -> Result<(), FolderError> {
    let fail = |check: String| {
        Err(FolderError::Input(format!(
            "{origin}: {}: {check}",
            path.display()
        )))
    };
    let [from, to] = part.range;
    let (nv, lead) = (exp.variants.len(), lead(exp));
    let expected = exp.points.len() as u64 * (to - from) * nv as u64;
    let mut seen = std::collections::HashSet::new();
    let columns = exp.all_metrics();
    // Per point and variant: the sum and count of each metric column's defined totals.
    let mut sums = vec![vec![vec![(0.0f64, 0u64); columns.len()]; nv]; exp.points.len()];
    for (point, rep, cells) in rows {
        let name = match cells.get(lead + 1) {
            Some(Cell::Text(s)) => s.clone(),
            _ => String::new(),
        };
        let v = exp.variants.iter().position(|x| x.name == name);
        let (Some(v), true, true) = (
            v,
            (1..=exp.points.len() as u64).contains(point),
            (from..to).contains(rep),
        ) else {
            return fail(format!(
                "a row of point {point}, replication {rep}, structure {name:?} is not one of this shard's (replications {from}..{to})"
            ));
        };
        if !seen.insert((*point, *rep, v)) {
            return fail(format!(
                "point {point}, replication {rep}, {name} has two rows"
            ));
        }
        for (j, c) in cells.iter().skip(lead + 2).enumerate().take(columns.len()) {
            if let Cell::Num(x) = c {
                let s = &mut sums[(*point - 1) as usize][v][j];
                s.0 += x;
                s.1 += 1;
            }
        }
    }
    if seen.len() as u64 != expected {
        return fail(format!(
            "{} rows, the shard's replications make {expected}",
            seen.len()
        ));
    }
    let last = exp.periods() - 1;
    for (p, acc) in part.points.iter().enumerate() {
        for (v, names) in exp.metric_names.iter().enumerate() {
            for (j, col) in columns.iter().enumerate() {
                let Some(m) = names.iter().position(|x| x == col) else {
                    continue;
                };
                let stat = &acc.variants[v][last][m].moments;
                let (sum, count) = sums[p][v][j];
                if count != stat.n {
                    return fail(format!(
                        "the rows hold {count} values of {col} at point {}, {}, but partial.json counts {}",
                        p + 1,
                        exp.variants[v].name,
                        stat.n
                    ));
                }
                if count == 0 {
                    continue;
                }
                let (want, got) = (stat.mean, sum / count as f64);
                // The rows hold 15 significant digits: their mean is within ~1e-14 of
                // the statistics' unless either was changed.
                if (got - want).abs() > 1e-9 * want.abs().max(1.0) {
                    return fail(format!(
                        "the rows give a mean {col} of {got} at point {}, {}, but partial.json holds {want}",
                        p + 1,
                        exp.variants[v].name
                    ));
                }
            }
        }
    }
    Ok(())
}
