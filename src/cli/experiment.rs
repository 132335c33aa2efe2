//! `compare`, `sweep` and `merge`: the experiment commands, their files and progress.

use std::fs;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use salesim::experiment::partial::{self, Partial};
use salesim::experiment::{
    Experiment, PointAcc, PointResult, Replications, Request, Sink, SpecError,
};
use salesim::report::chart::Kind;
use salesim::report::csv::{Cell, Style};
use salesim::report::experiment as rx;
use salesim::scenario::DEFAULT_TOML;

use super::{files, pages, BadInput};
use salesim::report::results::PointRun;

/// Options shared by `compare` and `sweep`.
#[derive(Args, Debug, Clone)]
pub struct RunOpts {
    /// Structures and variants to run, comma-separated (default: all of the scenario's).
    #[arg(long, value_delimiter = ',')]
    structures: Option<Vec<String>>,
    /// Replications per structure: a number, or `auto` (add batches until --precision).
    #[arg(long)]
    replications: Option<String>,
    /// With `--replications auto`: the 95% CI half-width to reach, as a share of the mean
    /// [default: 0.02].
    #[arg(long)]
    precision: Option<f64>,
    /// With `--replications auto`: the metric whose precision counts.
    #[arg(long)]
    precision_metric: Option<String>,
    /// With `--replications auto`: stop here even if the precision is not reached
    /// [default: 5000].
    #[arg(long)]
    max_replications: Option<u64>,
    /// The structure differences are taken against (default: one_level).
    #[arg(long)]
    baseline: Option<String>,
    /// Months left out of the totals while the department fills up.
    #[arg(long)]
    warmup_months: Option<usize>,
    /// A claim to test, e.g. "conveyor.gross_profit >= 2 * one_level.gross_profit".
    #[arg(long = "claim")]
    claims: Vec<String>,
    /// Vary a field: path=values (a list 0,2,4; a range 2.0..4.0 step 0.5). Repeatable.
    #[arg(long = "set")]
    sets: Vec<String>,
    /// Run only shard K of N of the replications and write a partial result to merge.
    #[arg(long, value_name = "K/N")]
    shard: Option<String>,
    /// Output folder.
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    output: OutputOpts,
}

/// How results are shown and written.
#[derive(Args, Debug, Clone)]
pub struct OutputOpts {
    /// CSV for Excel in locales with decimal commas: `;` separators, `,` decimals, BOM.
    #[arg(long)]
    excel: bool,
    /// Print the results as one JSON document on standard output instead of the table.
    #[arg(long)]
    json: bool,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
    /// Write the charts (charts/*.svg, *.png) and report.html; the default.
    #[arg(long, overrides_with = "no_report")]
    report: bool,
    /// Write only the CSVs: no charts, no report.html.
    #[arg(long)]
    no_report: bool,
}

fn bad(e: SpecError) -> anyhow::Error {
    BadInput(e.0).into()
}

fn request(o: &RunOpts) -> anyhow::Result<Request> {
    let auto_only = [
        ("--precision", o.precision.is_some()),
        ("--max-replications", o.max_replications.is_some()),
    ];
    if o.replications.as_deref() != Some("auto") {
        if let Some((flag, _)) = auto_only.iter().find(|(_, given)| *given) {
            return Err(BadInput(format!(
                "{flag}: only with --replications auto (which adds replications until the precision is reached); {}",
                match &o.replications {
                    Some(n) => format!("--replications {n} runs exactly {n}"),
                    None => "give --replications auto".into(),
                }
            ))
            .into());
        }
    }
    let replications = match o.replications.as_deref() {
        None => None,
        Some("auto") => {
            let precision = o.precision.unwrap_or(0.02);
            if !(precision > 0.0 && precision < 1.0) {
                return Err(BadInput(format!(
                    "--precision: must be a share between 0 and 1 (0.02 = 2%), found {precision}"
                ))
                .into());
            }
            let max = o.max_replications.unwrap_or(5_000);
            if !(2 * salesim::experiment::BATCH..=salesim::experiment::spec::MAX_REPLICATIONS)
                .contains(&max)
            {
                return Err(BadInput(format!(
                    "--max-replications: from {} (two batches) to {} for auto, found {max}",
                    2 * salesim::experiment::BATCH,
                    salesim::experiment::spec::MAX_REPLICATIONS
                ))
                .into());
            }
            Some(Replications::Auto { precision, max })
        }
        Some(n) => match n.parse::<u64>() {
            Ok(n) if (1..=salesim::experiment::spec::MAX_REPLICATIONS).contains(&n) => {
                Some(Replications::Fixed(n))
            }
            _ => {
                return Err(BadInput(format!(
                    "--replications: a whole number from 1 to {}, or auto; found `{n}`",
                    salesim::experiment::spec::MAX_REPLICATIONS
                ))
                .into())
            }
        },
    };
    Ok(Request {
        structures: o.structures.clone(),
        replications,
        baseline: o.baseline.clone(),
        sets: o.sets.clone(),
        claims: o.claims.clone(),
        warmup_months: o.warmup_months,
        precision_metric: o.precision_metric.clone(),
    })
}

fn parse_shard(s: &str) -> anyhow::Result<(u64, u64)> {
    let parsed = s
        .split_once('/')
        .and_then(|(k, n)| Some((k.trim().parse::<u64>().ok()?, n.trim().parse::<u64>().ok()?)));
    match parsed {
        Some((k, n)) if n >= 1 && (1..=n).contains(&k) => Ok((k, n)),
        _ => Err(BadInput(format!(
            "--shard `{s}`: expected K/N with 1 <= K <= N, e.g. 2/4"
        ))
        .into()),
    }
}

pub(super) fn scenario_text(path: Option<&Path>) -> anyhow::Result<String> {
    match path {
        Some(p) => fs::read_to_string(p)
            .map_err(|e| BadInput(format!("cannot read {}: {e}", p.display())).into()),
        None => Ok(DEFAULT_TOML.to_string()),
    }
}

/// Progress on standard error: replications done, rate, time left; hidden when standard
/// error is not a terminal or with `--quiet`.
fn progress_bar(total: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    pb.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} runs · {per_sec} · {eta} left",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb.enable_steady_tick(Duration::from_millis(200));
    pb
}

/// One output file written as the experiment goes: rows are appended point by point.
struct CsvFile {
    path: PathBuf,
    /// Where the rows go until the end (the final path when `live`).
    tmp: PathBuf,
    w: BufWriter<fs::File>,
}

impl CsvFile {
    fn create(
        dir: &Path,
        name: &str,
        live: bool,
        style: Style,
        header: &[Cell],
    ) -> anyhow::Result<CsvFile> {
        let path = dir.join(name);
        let tmp = if live {
            path.clone()
        } else {
            files::temp_path(&path)
        };
        let f =
            fs::File::create(&tmp).with_context(|| format!("cannot write {}", path.display()))?;
        let mut w = BufWriter::new(f);
        w.write_all(style.preamble())?;
        style.write_rows(&mut w, &[header.iter().map(copy_cell).collect()])?;
        Ok(CsvFile { path, tmp, w })
    }

    fn rows(&mut self, style: Style, rows: &[Vec<Cell>]) -> anyhow::Result<()> {
        style
            .write_rows(&mut self.w, rows)
            .with_context(|| format!("cannot write {}", self.path.display()))
    }

    fn flush(&mut self) -> anyhow::Result<()> {
        self.w
            .flush()
            .with_context(|| format!("cannot write {}", self.path.display()))
    }

    fn finish(mut self) -> anyhow::Result<PathBuf> {
        self.flush()?;
        if self.tmp != self.path {
            fs::rename(&self.tmp, &self.path)
                .with_context(|| format!("cannot write {}", self.path.display()))?;
        }
        Ok(self.path)
    }

    fn abandon(self) {
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
struct ResultFiles {
    summary: CsvFile,
    monthly: CsvFile,
    differences: CsvFile,
    claims: Option<CsvFile>,
}

impl ResultFiles {
    fn create(
        exp: &Experiment,
        dir: &Path,
        live: bool,
        style: Style,
    ) -> anyhow::Result<ResultFiles> {
        Ok(ResultFiles {
            summary: CsvFile::create(dir, "summary.csv", live, style, &rx::summary_header(exp))?,
            monthly: CsvFile::create(dir, "monthly.csv", live, style, &rx::monthly_header(exp))?,
            differences: CsvFile::create(
                dir,
                "differences.csv",
                live,
                style,
                &rx::differences_header(exp),
            )?,
            claims: if exp.claims.is_empty() {
                None
            } else {
                Some(CsvFile::create(
                    dir,
                    "claims.csv",
                    live,
                    style,
                    &rx::claims_header(exp),
                )?)
            },
        })
    }

    fn point(&mut self, exp: &Experiment, style: Style, p: &PointResult) -> anyhow::Result<()> {
        self.summary.rows(style, &rx::summary_rows(exp, p))?;
        self.monthly.rows(style, &rx::monthly_rows(exp, p))?;
        self.differences
            .rows(style, &rx::differences_rows(exp, p))?;
        if let Some(c) = &mut self.claims {
            c.rows(style, &rx::claims_rows(exp, p))?;
        }
        self.summary.flush()?;
        self.monthly.flush()?;
        self.differences.flush()?;
        if let Some(c) = &mut self.claims {
            c.flush()?;
        }
        Ok(())
    }

    fn finish(self) -> anyhow::Result<Vec<PathBuf>> {
        let mut v = vec![
            self.summary.finish()?,
            self.monthly.finish()?,
            self.differences.finish()?,
        ];
        if let Some(c) = self.claims {
            v.push(c.finish()?);
        }
        Ok(v)
    }

    fn abandon(self) {
        self.summary.abandon();
        self.monthly.abandon();
        self.differences.abandon();
        if let Some(c) = self.claims {
            c.abandon();
        }
    }
}

/// Streams `replications.csv` as replications finish.
struct RepSink<'a> {
    exp: &'a Experiment,
    columns: Vec<String>,
    style: Style,
    file: CsvFile,
    error: Option<anyhow::Error>,
    /// For a comparison: its files, kept up to date as it runs.
    checkpoint: Option<Checkpoint>,
}

/// A comparison writes its tables and manifest every few seconds while it runs (whole
/// files, renamed into place), so that an interrupted one leaves a folder that `salesim
/// report` draws with the replications it finished. The last write, at the end, is
/// the same as without checkpoints.
struct Checkpoint {
    dir: PathBuf,
    every: Duration,
    last: std::time::Instant,
    /// Whether the folder holds this run's files yet.
    written: bool,
}

/// Seconds between a comparison's checkpoints.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(2);

impl Checkpoint {
    /// Writes the tables of `acc`, then the manifest that says the point is still running.
    fn write(
        &mut self,
        exp: &Experiment,
        style: Style,
        p: usize,
        acc: &PointAcc,
        planned: u64,
    ) -> anyhow::Result<()> {
        if !self.written {
            forget_earlier_results(&self.dir);
        }
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
        if self.written {
            pages::write_points(&self.dir, exp, style.excel, runs)?;
        } else {
            pages::write_manifest(&self.dir, exp, style.excel, runs)?;
        }
        self.written = true;
        Ok(())
    }
}

/// Removes the files of an earlier run that this one may not write over (claims, the
/// replications, charts of kinds it does not draw, the page), before it first writes into
/// the folder: a folder never mixes two runs.
fn forget_earlier_results(dir: &Path) {
    let mut stale = vec![
        dir.join("claims.csv"),
        dir.join("replications.csv"),
        dir.join("report.html"),
    ];
    for kind in Kind::ALL {
        for ext in ["svg", "png"] {
            stale.push(dir.join("charts").join(format!("{}.{ext}", kind.name())));
        }
    }
    for path in stale {
        let _ = fs::remove_file(path);
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
        if let Err(e) = self.file.rows(self.style, &rows) {
            let msg = e.to_string();
            self.error = Some(e);
            return Err(std::io::Error::other(msg));
        }
        Ok(())
    }

    fn batch(&mut self, point: usize, acc: &PointAcc, planned: u64) -> std::io::Result<()> {
        let Some(c) = &mut self.checkpoint else {
            return Ok(());
        };
        if c.last.elapsed() < c.every {
            return Ok(());
        }
        let wrote = c.write(self.exp, self.style, point, acc, planned);
        c.last = std::time::Instant::now();
        wrote.map_err(|e| {
            let msg = format!("{e:#}");
            self.error = Some(e);
            std::io::Error::other(msg)
        })
    }
}

/// `compare` and `sweep`.
pub fn run(scenario: Option<&Path>, opts: &RunOpts, sweep: bool) -> anyhow::Result<()> {
    let text = scenario_text(scenario)?;
    let req = request(opts)?;
    let exp = Experiment::new(&text, &req).map_err(bad)?;
    if sweep && exp.axes.is_empty() {
        return Err(BadInput(
            "nothing to sweep: give --set path=values or a [sweep] table in the scenario".into(),
        )
        .into());
    }
    let shard = opts.shard.as_deref().map(parse_shard).transpose()?;
    let range = match shard {
        Some((k, n)) => Some(exp.shard_range(k, n).map_err(bad)?),
        None => None,
    };
    let style = Style {
        excel: opts.output.excel,
    };
    let default_out = if sweep { "out/sweep" } else { "out/compare" };
    let dir = opts
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(default_out));
    fs::create_dir_all(&dir).with_context(|| format!("cannot create folder {}", dir.display()))?;

    let per_point = match (&range, exp.replications) {
        (Some(r), _) => r.end - r.start,
        (None, Replications::Fixed(n)) => n,
        (None, Replications::Auto { max, .. }) => max,
    };
    let total = per_point * exp.points.len() as u64 * exp.variants.len() as u64;
    let pb = progress_bar(total, opts.output.quiet);
    let done = AtomicU64::new(0);
    let tick = |k: u64| {
        let d = done.fetch_add(k, Ordering::Relaxed) + k;
        if d % 8 == 0 || d == total {
            pb.set_position(d);
        }
    };

    // A sweep writes each point as it finishes (an interrupted sweep keeps them); a
    // single comparison writes its files whole at the end, and checkpoints on the way.
    let live = sweep;
    if live {
        // Before the live tables are started in the folder.
        forget_earlier_results(&dir);
    }
    let mut sink = RepSink {
        exp: &exp,
        columns: exp.all_metrics(),
        style,
        file: CsvFile::create(
            &dir,
            "replications.csv",
            live,
            style,
            &rx::replications_header(&exp),
        )?,
        error: None,
        checkpoint: (!sweep && shard.is_none()).then(|| Checkpoint {
            dir: dir.clone(),
            every: CHECKPOINT_EVERY,
            last: std::time::Instant::now(),
            written: false,
        }),
    };
    // A live sweep's folder can be reported at any moment: the scenario and an empty
    // manifest before the tables are started (so an older run's manifest never describes
    // them), the manifest again after each point, once that point's rows are on disk.
    let live_manifest = live && shard.is_none();
    if live_manifest {
        pages::write_manifest(&dir, &exp, style.excel, vec![])?;
    }
    let mut results_files = match shard {
        Some(_) => None,
        None => Some(ResultFiles::create(&exp, &dir, live, style)?),
    };
    let mut accs: Vec<PointAcc> = vec![];
    let mut results: Vec<PointResult> = vec![];
    let mut outcome = Ok(());
    for p in 0..exp.points.len() {
        let (acc, stop) = match exp.run_point(p, range.clone(), &tick, &mut sink) {
            Ok(x) => x,
            Err(e) => {
                outcome = Err(sink.error.take().unwrap_or_else(|| e.into()));
                break;
            }
        };
        if let Some(files) = &mut results_files {
            let r = exp.result(p, &acc, stop);
            if let Err(e) = files.point(&exp, style, &r).and_then(|_| sink.file.flush()) {
                outcome = Err(e);
                break;
            }
            results.push(r);
            if live_manifest {
                if let Err(e) = pages::write_points(&dir, &exp, style.excel, point_runs(&results)) {
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
    pb.finish_and_clear();
    if let Err(e) = outcome {
        sink.file.abandon();
        if let Some(f) = results_files {
            f.abandon();
        }
        return Err(e);
    }
    let checkpointed = sink.checkpoint.as_ref().is_some_and(|c| c.written);
    if !live && shard.is_none() && !checkpointed {
        forget_earlier_results(&dir);
    }
    let mut written = vec![sink.file.finish()?];
    if let Some((k, n)) = shard {
        let part = Partial::new(&exp, k, n, accs).map_err(bad)?;
        let path = dir.join(partial::FILE);
        files::write_atomic(&path, |w| {
            serde_json::to_writer(&mut *w, &part).map_err(std::io::Error::other)
        })?;
        written.push(path);
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "shard {k}/{n}: replications {}..{} of {} points; merge the shards' folders with `salesim merge`",
            part.range[0],
            part.range[1],
            exp.points.len()
        )?;
        for w in &written {
            writeln!(out, "wrote {}", w.display())?;
        }
        return Ok(());
    }
    if let Some(f) = results_files {
        written.extend(f.finish()?);
    }
    let charts = finish_files(&exp, &dir, &results, &mut written, &opts.output)?;
    finish_output(&exp, &results, &written, charts, &opts.output)
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

/// The manifest and scenario beside the CSVs, then the charts and the report unless
/// `--no-report`. Returns how many charts were drawn.
fn finish_files(
    exp: &Experiment,
    dir: &Path,
    results: &[PointResult],
    written: &mut Vec<PathBuf>,
    output: &OutputOpts,
) -> anyhow::Result<usize> {
    written.extend(pages::write_manifest(
        dir,
        exp,
        output.excel,
        point_runs(results),
    )?);
    if output.no_report {
        return Ok(0);
    }
    let drawn = pages::report(dir, 1)?.paths;
    let charts = drawn.len().saturating_sub(1) / 2;
    written.extend(
        drawn
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "html")),
    );
    Ok(charts)
}

fn finish_output(
    exp: &Experiment,
    results: &[PointResult],
    written: &[PathBuf],
    charts: usize,
    output: &OutputOpts,
) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if output.json {
        let doc = serde_json::json!({
            "scenario": exp.scenario_name,
            "seed": exp.seed,
            "currency": exp.currency,
            "baseline": exp.variants[exp.baseline].name,
            "warmup_months": exp.warmup_months,
            "months": exp.months,
            "points": results,
        });
        serde_json::to_writer_pretty(&mut out, &doc)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(
        out,
        "{} · seed {} · baseline {}",
        exp.scenario_name, exp.seed, exp.variants[exp.baseline].name
    )?;
    for r in results {
        write!(out, "{}", rx::ranked_table(exp, r))?;
    }
    for c in &exp.skipped_claims {
        writeln!(
            out,
            "claim not tested (a structure it names is not compared): {}",
            c.text
        )?;
    }
    let dir = written
        .first()
        .and_then(|p| p.parent())
        .map(|d| d.display().to_string())
        .unwrap_or_default();
    let mut names: Vec<String> = written
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    if charts > 0 {
        let at = names.len().saturating_sub(1);
        names.insert(at, format!("charts/ ({charts} charts, SVG and PNG)"));
    }
    writeln!(out, "wrote {} in {dir}", names.join(", "))?;
    if let Some(page) = written
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "html"))
    {
        writeln!(out, "open {}", page.display())?;
    }
    Ok(())
}

/// `merge`: the shards' folders into the files of one run.
pub fn merge(dirs: &[PathBuf], out: Option<&Path>, output: &OutputOpts) -> anyhow::Result<()> {
    let mut parts = vec![];
    for d in dirs {
        let path = d.join(partial::FILE);
        let text = fs::read_to_string(&path).map_err(|e| {
            BadInput(format!(
                "{}: {e}; give the folders `--shard` wrote",
                path.display()
            ))
        })?;
        parts.push((
            d.display().to_string(),
            Partial::from_json(&text, &d.display().to_string()).map_err(bad)?,
        ));
    }
    let mut reps = vec![];
    for d in dirs {
        let path = d.join("replications.csv");
        let bytes = fs::read(&path).map_err(|e| BadInput(format!("{}: {e}", path.display())))?;
        reps.push((path, bytes));
    }
    let (exp, accs) = partial::merge(parts).map_err(bad)?;
    let style = Style {
        excel: output.excel,
    };
    let dir = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("out/merged"));
    fs::create_dir_all(&dir).with_context(|| format!("cannot create folder {}", dir.display()))?;
    let results: Vec<PointResult> = accs
        .iter()
        .enumerate()
        .map(|(p, acc)| exp.result(p, acc, None))
        .collect();
    let rows = merged_replications(&exp, &reps)?;
    forget_earlier_results(&dir);
    let mut written = vec![];
    let path = dir.join("replications.csv");
    files::write_atomic(&path, |w| {
        w.write_all(style.preamble())?;
        style.write_rows(w, &[rx::replications_header(&exp)])?;
        style.write_rows(w, &rows)
    })?;
    written.push(path);
    let mut files = ResultFiles::create(&exp, &dir, false, style)?;
    for r in &results {
        if let Err(e) = files.point(&exp, style, r) {
            files.abandon();
            return Err(e);
        }
    }
    written.extend(files.finish()?);
    let charts = finish_files(&exp, &dir, &results, &mut written, output)?;
    finish_output(&exp, &results, &written, charts, output)
}

/// The shards' replication rows, in the order one run writes them: by point, then by
/// replication (shards hold contiguous replication ranges of every point).
fn merged_replications(
    exp: &Experiment,
    files: &[(PathBuf, Vec<u8>)],
) -> anyhow::Result<Vec<Vec<Cell>>> {
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
            let rec = rec.map_err(|e| BadInput(format!("{}: {e}", path.display())))?;
            let field = |k: usize| rec.get(k).unwrap_or("").to_string();
            let num = |k: usize| -> anyhow::Result<u64> {
                field(k).parse::<u64>().map_err(|_| {
                    BadInput(format!(
                        "{}: row {}: not a replications file of salesim",
                        path.display(),
                        i + 2
                    ))
                    .into()
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
