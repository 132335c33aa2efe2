//! The results folder: what it holds, how it is written, and how it is read back.
//!
//! Every file a command writes into its `--out` folder is named here once, with what
//! writes it:
//!
//! | file | written by | holds |
//! | --- | --- | --- |
//! | [`SUMMARY`] | `compare`, `sweep`, `merge` | per structure and metric: the horizon's statistics |
//! | [`MONTHLY`] | `compare`, `sweep`, `merge` (and `run`: one replication's months) | per structure, month and metric |
//! | [`REPLICATIONS`] | `compare`, `sweep`, `merge`, each shard | every replication's totals, streamed as they finish |
//! | [`DIFFERENCES`] | `compare`, `sweep`, `merge` | paired differences against the baseline |
//! | [`CLAIMS`] | `compare`, `sweep`, `merge` when claims are tested | each claim's verdict |
//! | [`MANIFEST`], [`SCENARIO`] | `compare`, `sweep`, `merge` | the options and the scenario text: what `report` redraws from |
//! | [`PARTIAL`] | a shard (`--shard K/N`) | its statistics, to be merged |
//! | [`STAFFING_PLAN`], [`STAFFING_COMPARISON`], [`STAFFING_JSON`] | `staff` | the plan, its comparison, the whole answer |
//! | [`SEARCH_JSON`], [`TEAMS`], [`SEARCH_PATH`] | `compare --optimise`, after every move | each structure's best team, its search's path |
//! | [`WORKBOOK`] | `--xlsx` on `compare`, `sweep`, `merge`, `staff` and `report` | every table above as a sheet, native charts, assumptions, provenance |
//! | [`CHARTS`]`/KIND.svg\|png`, [`REPORT`] | every command above (unless `--no-report`), `report`, `chart` | drawn from the files above alone |
//!
//! Writing keeps four promises: one writer at a time ([`Lock`], a `.salesim.lock` file
//! with the writer's process id: a second writer is refused, a dead one's lock taken
//! over); a file is written whole under a temporary name and renamed
//! ([`write_atomic`]), so an interrupted run never leaves half a file; a live table (a
//! sweep's) is appended a whole point at a time and recorded in the manifest only once
//! flushed; and a folder never mixes two runs (an earlier run's files that this one
//! would not overwrite are removed before it first writes).
//!
//! Reading is [`super::results::Results::load`] for an experiment and
//! [`super::staffing::load`] for a staffing plan.

mod draw;
mod lock;
mod merge;
mod record;
mod tables;

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

pub use draw::{draw_chart, draw_report, draw_staffing, Drawn, STAFFING};
pub use lock::{Lock, LOCK};
pub use merge::merge;
pub use merge::Merged;
pub use record::{finish, record, Recorded};

use super::chart::Kind;
use super::csv::Style;
use super::results::{Manifest, PointRun};
use super::staffing as rs;
use crate::experiment::staffing::StaffingResult;
use crate::experiment::Experiment;

/// The statistics over the horizon.
pub const SUMMARY: &str = "summary.csv";
/// The statistics month by month (also one replication's months, from `run`).
pub const MONTHLY: &str = "monthly.csv";
/// Every replication's totals.
pub const REPLICATIONS: &str = "replications.csv";
/// The paired differences against the baseline.
pub const DIFFERENCES: &str = "differences.csv";
/// The claims' verdicts.
pub const CLAIMS: &str = "claims.csv";
/// What a results folder was made by and with: version, options, points finished.
pub const MANIFEST: &str = "run.json";
/// The scenario text that ran.
pub const SCENARIO: &str = "scenario.toml";
/// A shard's statistics.
pub const PARTIAL: &str = "partial.json";
/// A staffing plan for spreadsheets.
pub const STAFFING_PLAN: &str = "staffing.csv";
/// The plan against a constant headcount and the scenario's own staffing.
pub const STAFFING_COMPARISON: &str = "staffing_comparison.csv";
/// The whole staffing answer, what its chart and page are drawn from.
pub const STAFFING_JSON: &str = "staffing.json";
/// A team search's answer, what the report's section on the best teams is drawn from.
pub const SEARCH_JSON: &str = "search.json";
/// Every structure's best team, role by role and month by month.
pub const TEAMS: &str = "teams.csv";
/// Each move the team search took.
pub const SEARCH_PATH: &str = "search_path.csv";
/// The results as an Excel workbook with native charts (`--xlsx`).
pub const WORKBOOK: &str = "results.xlsx";
/// The page an owner reads.
pub const REPORT: &str = "report.html";
/// The folder of the charts.
pub const CHARTS: &str = "charts";

/// Why a results folder could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    /// What was asked, or what the folder holds, is the user's to fix (exit code 2).
    #[error("{0}")]
    Input(String),
    /// A file could not be written.
    #[error("cannot write {}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: io::Error,
    },
    /// The folder could not be created.
    #[error("cannot create folder {}", path.display())]
    Create {
        /// The folder.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: io::Error,
    },
    /// Anything else the system refused on the way.
    #[error(transparent)]
    Io(#[from] io::Error),
    /// A chart could not be drawn (a bug: the results were checked when read).
    #[error("{0}")]
    Draw(String),
}

impl FolderError {
    /// Whether the user can fix it (exit code 2) rather than a failure (exit code 1).
    pub fn is_input(&self) -> bool {
        matches!(self, FolderError::Input(_))
    }
}

impl From<crate::experiment::SpecError> for FolderError {
    fn from(e: crate::experiment::SpecError) -> Self {
        FolderError::Input(e.to_string())
    }
}

impl From<super::chart::ChartError> for FolderError {
    fn from(e: super::chart::ChartError) -> Self {
        match e {
            super::chart::ChartError::Unavailable(m) => FolderError::Input(m),
            other => FolderError::Draw(other.to_string()),
        }
    }
}

/// The path of chart `name` (`revenue`, `staffing`) in format `ext` in `dir`.
pub fn chart_path(dir: &Path, name: &str, ext: &str) -> PathBuf {
    dir.join(CHARTS).join(format!("{name}.{ext}"))
}

/// Creates `dir` and its parents.
pub fn create(dir: &Path) -> Result<(), FolderError> {
    fs::create_dir_all(dir).map_err(|source| FolderError::Create {
        path: dir.to_path_buf(),
        source,
    })
}

/// A name beside `path` for writing it before the rename: hidden, and unique to this
/// process and call, so that two writes of the same file never share one.
pub fn temp_path(path: &Path) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let k = NEXT.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}.{}.{k}.tmp", std::process::id()))
}

/// Writes `path` through `fill`, atomically: to a temporary name beside it, synced, then
/// renamed, so a reader sees the old file or the new one, never half of one.
pub fn write_atomic(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), FolderError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create(dir)?;
    }
    let tmp = temp_path(path);
    let result = (|| -> io::Result<()> {
        let file = fs::File::create(&tmp)?;
        let mut w = BufWriter::new(file);
        fill(&mut w)?;
        w.flush()?;
        w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        fs::rename(&tmp, path)
    })();
    result.map_err(|source| {
        let _ = fs::remove_file(&tmp);
        FolderError::Write {
            path: path.to_path_buf(),
            source,
        }
    })
}

/// Removes the files of an earlier run that this one may not write over (claims, the
/// replications, charts of kinds it does not draw, the page), before it first writes into
/// the folder: a folder never mixes two runs.
pub fn forget_earlier_results(dir: &Path) {
    let mut stale = vec![
        dir.join(CLAIMS),
        dir.join(REPLICATIONS),
        dir.join(REPORT),
        dir.join(WORKBOOK),
    ];
    for kind in Kind::ALL {
        for ext in ["svg", "png"] {
            stale.push(chart_path(dir, kind.name(), ext));
        }
    }
    for path in stale {
        let _ = fs::remove_file(path);
    }
}

/// Removes an earlier run's tables and manifest, before a comparison writes its own
/// manifest: until its first checkpoint, the folder then holds only what this run wrote.
pub fn forget_earlier_tables(dir: &Path) {
    for name in [SUMMARY, MONTHLY, DIFFERENCES, CLAIMS, MANIFEST, SCENARIO] {
        let _ = fs::remove_file(dir.join(name));
    }
}

/// Removes what an earlier staffing search's answer left in the folder (its comparison,
/// chart and page) once this search writes its first plan there, so that the folder never
/// mixes the two. The page is left alone in a folder that holds an experiment's results.
pub fn forget_earlier_search(dir: &Path) {
    let mut stale = vec![
        dir.join(STAFFING_COMPARISON),
        chart_path(dir, draw::STAFFING, "svg"),
        chart_path(dir, draw::STAFFING, "png"),
    ];
    if !dir.join(MANIFEST).exists() {
        stale.push(dir.join(REPORT));
    }
    for path in stale {
        let _ = fs::remove_file(path);
    }
}

/// Removes an interim staffing plan: a search that ended without an answer leaves none.
pub fn forget_interim_plan(dir: &Path) {
    let _ = fs::remove_file(dir.join(STAFFING_PLAN));
    let _ = fs::remove_file(dir.join(STAFFING_JSON));
}

/// `staffing.csv`, the plan for spreadsheets.
pub fn write_staffing_plan(
    dir: &Path,
    style: Style,
    r: &StaffingResult,
) -> Result<PathBuf, FolderError> {
    let path = dir.join(STAFFING_PLAN);
    write_atomic(&path, |w| style.write_file(w, &rs::plan_rows(r)))?;
    Ok(path)
}

/// `staffing_comparison.csv`: the plan against the alternatives on the same replications.
pub fn write_staffing_comparison(
    dir: &Path,
    style: Style,
    r: &StaffingResult,
) -> Result<PathBuf, FolderError> {
    let path = dir.join(STAFFING_COMPARISON);
    write_atomic(&path, |w| style.write_file(w, &rs::comparison_rows(r)))?;
    Ok(path)
}

/// `staffing.json`, what the chart and the page are drawn from.
pub fn write_staffing_json(dir: &Path, r: &StaffingResult) -> Result<PathBuf, FolderError> {
    let path = dir.join(STAFFING_JSON);
    write_atomic(&path, |w| w.write_all(&rs::json(r)))?;
    Ok(path)
}

/// `search.json`, `teams.csv` and `search_path.csv` of a team search (interim or final),
/// each written whole: a search killed at any moment leaves its best teams so far.
pub fn write_team_search(
    dir: &Path,
    style: Style,
    s: &crate::experiment::teams::TeamSearch,
) -> Result<Vec<PathBuf>, FolderError> {
    use super::teams as rt;
    // Every file made first: one that fails leaves the folder as it was.
    let csv = |rows: Vec<Vec<super::csv::Cell>>| -> io::Result<Vec<u8>> {
        let mut b = vec![];
        style.write_file(&mut b, &rows)?;
        Ok(b)
    };
    let files = [
        (SEARCH_JSON, rt::json(s)),
        (TEAMS, csv(rt::team_rows(s))?),
        (SEARCH_PATH, csv(rt::path_rows(s))?),
    ];
    let mut written = vec![];
    for (name, bytes) in files {
        let path = dir.join(name);
        write_atomic(&path, |w| w.write_all(&bytes))?;
        written.push(path);
    }
    Ok(written)
}

/// `results.xlsx` from the files of `dir` alone (an experiment's results, at sweep point
/// `point` numbered from 1, or a staffing plan): every table as a sheet, with native
/// charts, in `lang` or the language the results were made in. Redrawn from the same
/// files, it is the same workbook, byte for byte.
pub fn write_workbook(
    dir: &Path,
    point: usize,
    lang: Option<crate::scenario::Lang>,
) -> Result<PathBuf, FolderError> {
    use super::xlsx::{self, TableFile};
    // The folder's tables there are, each a sheet.
    let read = |list: &[(&'static str, &str)]| -> Vec<TableFile> {
        list.iter()
            .filter_map(|&(sheet, f)| {
                let csv = fs::read(dir.join(f)).ok()?;
                Some(TableFile { sheet, csv })
            })
            .collect()
    };
    let bytes = if draw::is_staffing(dir) {
        let r = super::staffing::load(dir).map_err(|e| FolderError::Input(e.to_string()))?;
        let tables = read(&[
            ("sheet.plan", STAFFING_PLAN),
            ("sheet.comparison", STAFFING_COMPARISON),
        ]);
        // The plan's CSVs say their dialect by their first bytes (a byte-order mark).
        let excel = tables
            .first()
            .is_some_and(|t| t.csv.starts_with(b"\xEF\xBB\xBF"));
        xlsx::staffing_workbook(&r, &tables, excel, draw::staffing_words(&r, lang))
    } else {
        let r = draw::load(dir, lang)?;
        if point == 0 || point > r.points.len() {
            return Err(FolderError::Input(format!(
                "--point {point}: the results have points 1 to {}",
                r.points.len()
            )));
        }
        let tables = read(&[
            ("sheet.summary", SUMMARY),
            ("sheet.monthly", MONTHLY),
            ("sheet.differences", DIFFERENCES),
            ("sheet.claims", CLAIMS),
            ("sheet.teams", TEAMS),
            ("sheet.search_path", SEARCH_PATH),
        ]);
        xlsx::workbook(&r, point - 1, &tables)
    }
    .map_err(|e| FolderError::Draw(format!("the workbook: {e}")))?;
    let path = dir.join(WORKBOOK);
    write_atomic(&path, |w| w.write_all(&bytes))?;
    Ok(path)
}

/// Removes an earlier team search's files: a comparison at the presets, or a sweep, into
/// a folder that held one.
pub fn forget_team_search(dir: &Path) {
    for name in [SEARCH_JSON, TEAMS, SEARCH_PATH] {
        let _ = fs::remove_file(dir.join(name));
    }
}

/// `run.json` and `scenario.toml`: what the charts and the report are redrawn from.
pub fn write_manifest(
    dir: &Path,
    exp: &Experiment,
    excel: bool,
    points: Vec<PointRun>,
) -> Result<Vec<PathBuf>, FolderError> {
    let scenario = dir.join(SCENARIO);
    write_atomic(&scenario, |w| w.write_all(exp.scenario_text.as_bytes()))?;
    let path = write_points(dir, exp, excel, points)?;
    Ok(vec![scenario, path])
}

/// `run.json` alone, with the points finished so far: a sweep rewrites it after each
/// point, so that an interrupted sweep's folder can still be reported.
pub fn write_points(
    dir: &Path,
    exp: &Experiment,
    excel: bool,
    points: Vec<PointRun>,
) -> Result<PathBuf, FolderError> {
    let manifest = Manifest::new(&exp.request, excel, points);
    let path = dir.join(MANIFEST);
    write_atomic(&path, |w| {
        serde_json::to_writer_pretty(&mut *w, &manifest).map_err(io::Error::other)?;
        w.write_all(b"\n")
    })?;
    Ok(path)
}
