//! An experiment run into a results folder: replications streamed to disk as they
//! finish, a sweep's tables appended point by point, a comparison's checkpointed every
//! few seconds, a shard's statistics kept for `merge`.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::tables::{CsvFile, ResultFiles};
use super::{
    forget_earlier_results, forget_earlier_tables, write_atomic, write_manifest, write_points,
    FolderError, Lock, PARTIAL, REPLICATIONS,
};
use crate::experiment::partial::Partial;
use crate::experiment::{Experiment, PointAcc, PointResult, Sink};
use crate::report::csv::Style;
use crate::report::experiment as rx;
use crate::report::results::PointRun;

/// What [`record`] wrote.
#[derive(Debug)]
pub struct Recorded {
    /// Every point's results (none for a shard, whose statistics are in `partial`).
    pub results: Vec<PointResult>,
    /// The files written so far: the replications, then the tables (or `partial.json`).
    pub written: Vec<PathBuf>,
    /// A shard's statistics, as written to `partial.json`.
    pub partial: Option<Partial>,
    /// The folder's lock: hold it until the run's last file (manifest, page) is written.
    pub lock: Lock,
}

/// Seconds between a comparison's checkpoints.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(2);

/// Runs every point of `exp` into `dir`: as shard `k` of `n` when `shard` is given (its
/// replications and `partial.json`), else every table, with a sweep's (`live`) tables
/// appended point by point and a comparison's checkpointed on the way. `tick` hears of
/// every finished replication. The manifest of a finished run is left to
/// [`super::write_manifest`], once the caller has the results.
pub fn record(
    exp: &Experiment,
    dir: &Path,
    style: Style,
    live: bool,
    shard: Option<(u64, u64)>,
    tick: &(dyn Fn(u64) + Sync),
) -> Result<Recorded, FolderError> {
    let range: Option<Range<u64>> = match shard {
        Some((k, n)) => Some(exp.shard_range(k, n)?),
        None => None,
    };
    let lock = Lock::take(dir)?;
    // A comparison keeps its folder readable as it runs: an earlier run's files go
    // first, then the scenario and a manifest saying the point is running (so a kill at
    // any moment leaves a folder that reads as interrupted, never as another run's), and
    // its replications are written in place, whole rows as they finish.
    let checkpointing = !live && shard.is_none();
    if live || checkpointing {
        // Before the live tables are started in the folder.
        forget_earlier_results(dir);
    }
    if exp.request.teams.is_empty() {
        // Ranked at the presets: an earlier search's teams are not this run's.
        super::forget_team_search(dir);
    }
    if checkpointing {
        forget_earlier_tables(dir);
        let planned = match exp.replications {
            crate::experiment::Replications::Fixed(n) => n,
            crate::experiment::Replications::Auto { max, .. } => max,
        };
        let running = PointRun {
            replications: 0,
            stop: None,
            planned: Some(planned),
        };
        write_manifest(dir, exp, style.excel, vec![running])?;
    }
    // A live sweep's folder can be reported at any moment: the scenario and an empty
    // manifest before the tables are started (so an older run's manifest never describes
    // them), the manifest again after each point, once that point's rows are on disk.
    let live_manifest = live && shard.is_none();
    if live_manifest {
        write_manifest(dir, exp, style.excel, vec![])?;
    }
    let mut sink = RepSink {
        exp,
        columns: exp.all_metrics(),
        style,
        file: CsvFile::create(
            dir,
            REPLICATIONS,
            live || checkpointing,
            style,
            &rx::replications_header(exp),
        )?,
        error: None,
        checkpoint: checkpointing.then(|| Checkpoint {
            dir: dir.to_path_buf(),
            last: Instant::now(),
            written: false,
        }),
    };
    let mut tables = match shard {
        Some(_) => None,
        None => Some(ResultFiles::create(exp, dir, live, style)?),
    };
    let mut accs: Vec<PointAcc> = vec![];
    let mut results: Vec<PointResult> = vec![];
    let mut outcome = Ok(());
    for p in 0..exp.points.len() {
        let (acc, stop) = match exp.run_point(p, range.clone(), tick, &mut sink) {
            Ok(x) => x,
            Err(e) => {
                outcome = Err(sink.error.take().unwrap_or(FolderError::Io(e)));
                break;
            }
        };
        if let Some(files) = &mut tables {
            let r = exp.result(p, &acc, stop);
            if let Err(e) = files.point(exp, style, &r).and_then(|_| sink.file.flush()) {
                outcome = Err(e);
                break;
            }
            results.push(r);
            if live_manifest {
                if let Err(e) = write_points(dir, exp, style.excel, point_runs(&results)) {
                    outcome = Err(e);
                    break;
                }
            }
        } else if let Err(e) = sink.file.flush() {
            outcome = Err(e);
            break;
        }
        accs.push(acc);
    }
    if let Err(e) = outcome {
        sink.file.abandon();
        if let Some(f) = tables {
            f.abandon();
        }
        return Err(e);
    }
    let mut written = vec![sink.file.finish()?];
    let mut partial = None;
    if let Some((k, n)) = shard {
        let part = Partial::new(exp, k, n, accs)?;
        let path = dir.join(PARTIAL);
        write_atomic(&path, |w| {
            serde_json::to_writer(&mut *w, &part).map_err(std::io::Error::other)
        })?;
        written.push(path);
        partial = Some(part);
    }
    if let Some(f) = tables {
        written.extend(f.finish()?);
    }
    Ok(Recorded {
        results,
        written,
        partial,
        lock,
    })
}

/// The manifest and scenario beside the tables of a finished run, then the charts and
/// the page when `report`, and the workbook when `xlsx` (before the last path), in `lang`
/// or the scenario's: the manifest's, the workbook's and the page's paths, and how many
/// charts were drawn.
pub fn finish(
    exp: &Experiment,
    dir: &Path,
    results: &[PointResult],
    excel: bool,
    report: bool,
    xlsx: bool,
    lang: Option<crate::scenario::Lang>,
) -> Result<(Vec<PathBuf>, usize), FolderError> {
    let mut written = write_manifest(dir, exp, excel, point_runs(results))?;
    let mut charts = 0;
    if report {
        let drawn = super::draw_report(dir, 1, lang)?.paths;
        charts = drawn.len().saturating_sub(1) / 2;
        written.extend(
            drawn
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "html")),
        );
    }
    if xlsx {
        let at = written.len().saturating_sub(1);
        written.insert(at, super::write_workbook(dir, 1, lang)?);
    }
    Ok((written, charts))
}

/// How each finished point ended, as the manifest records it.
fn point_runs(results: &[PointResult]) -> Vec<PointRun> {
    results
        .iter()
        .map(|r| PointRun {
            replications: r.replications,
            stop: r.stop,
            planned: None,
        })
        .collect()
}

/// Streams `replications.csv` as replications finish.
struct RepSink<'a> {
    exp: &'a Experiment,
    columns: Vec<String>,
    style: Style,
    file: CsvFile,
    error: Option<FolderError>,
    /// For a comparison: its files, kept up to date as it runs.
    checkpoint: Option<Checkpoint>,
}

/// A comparison writes its tables and manifest every few seconds while it runs (whole
/// files, renamed into place), so that an interrupted one leaves a folder that `salesim
/// report` draws with the replications it finished. The last write, at the end, is
/// the same as without checkpoints.
struct Checkpoint {
    dir: PathBuf,
    last: Instant,
    /// Whether the folder holds this run's files yet.
    written: bool,
}

impl Checkpoint {
    /// Writes the tables of `acc`, then the manifest that says the point is still running.
    fn write(
        &mut self,
        exp: &Experiment,
        style: Style,
        p: usize,
        acc: &PointAcc,
        planned: u64,
    ) -> Result<(), FolderError> {
        let r = exp.result(p, acc, None);
        let mut files = ResultFiles::create(exp, &self.dir, false, style)?;
        if let Err(e) = files.point(exp, style, &r) {
            files.abandon();
            return Err(e);
        }
        files.finish()?;
        let runs = vec![PointRun {
            replications: acc.n,
            stop: None,
            planned: Some(planned),
        }];
        write_points(&self.dir, exp, style.excel, runs)?;
        self.written = true;
        Ok(())
    }
}

impl RepSink<'_> {
    /// Keeps `e` to return from [`record`], and hands the engine an error to stop on.
    fn fail(&mut self, e: FolderError) -> std::io::Error {
        let msg = format!("{e}");
        self.error = Some(e);
        std::io::Error::other(msg)
    }
}

impl Sink for RepSink<'_> {
    fn replication(
        &mut self,
        point: usize,
        replication: u64,
        totals: &[&[f64]],
    ) -> std::io::Result<()> {
        let rows = rx::replication_rows(self.exp, &self.columns, point, replication, totals);
        self.file.rows(self.style, &rows).map_err(|e| self.fail(e))
    }

    fn batch(&mut self, point: usize, acc: &PointAcc, planned: u64) -> std::io::Result<()> {
        let Some(c) = &mut self.checkpoint else {
            return Ok(());
        };
        // The first checkpoint comes after the first batch, the next ones every 2 s.
        if c.written && c.last.elapsed() < CHECKPOINT_EVERY {
            return Ok(());
        }
        // The replications first: the folder never counts more than its rows show.
        let wrote = self
            .file
            .flush()
            .and_then(|_| c.write(self.exp, self.style, point, acc, planned));
        c.last = Instant::now();
        wrote.map_err(|e| self.fail(e))
    }
}
