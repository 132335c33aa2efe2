//! `compare`, `sweep` and `merge`: the experiment commands, their files and progress.

use std::fs;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use salesim::experiment::{Experiment, PointResult, Reference, Replications, Request, SpecError};
use salesim::report::csv::Style;
use salesim::report::experiment as rx;
use salesim::report::folder::{self, Recorded};
use salesim::scenario::DEFAULT_TOML;

use super::BadInput;

/// Options shared by `compare` and `sweep`.
#[derive(Args, Debug, Clone)]
pub struct RunOpts {
    /// Structures and variants to run, comma-separated (default: all of the scenario's).
    #[arg(long, value_delimiter = ',')]
    structures: Option<Vec<String>>,
    /// Replications per structure: a number, or `auto` (add batches until --precision).
    #[arg(long, allow_negative_numbers = true)]
    replications: Option<String>,
    /// With `--replications auto`: the 95% CI half-width to reach, as a share of the mean
    /// [default: 0.02].
    #[arg(long, allow_negative_numbers = true)]
    precision: Option<f64>,
    /// With `--replications auto`: the metric whose precision counts.
    #[arg(long)]
    precision_metric: Option<String>,
    /// With `--replications auto`: stop here even if the precision is not reached
    /// [default: 5000].
    #[arg(long, allow_negative_numbers = true)]
    max_replications: Option<u64>,
    /// The structure differences are taken against (default: one_level).
    #[arg(long)]
    baseline: Option<String>,
    /// Months left out of the totals while the department fills up.
    #[arg(long, allow_negative_numbers = true)]
    warmup_months: Option<usize>,
    /// Also run each structure with unlimited staff on the same leads (`unlimited`) and
    /// report its capacity loss: the leads it loses beyond that reference (`none`: off).
    #[arg(long, value_name = "unlimited|none")]
    reference: Option<String>,
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
    BadInput(e.to_string()).into()
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
    let reference = match o.reference.as_deref() {
        None => None,
        Some(name) => Some(Reference::parse(name).ok_or_else(|| {
            BadInput(format!(
                "--reference: one of {}, found `{name}`",
                Reference::NAMES.join(", ")
            ))
        })?),
    };
    Ok(Request {
        reference,
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
    super::warn(&exp.warnings(0));
    let style = Style {
        excel: opts.output.excel,
    };
    let default_out = if sweep { "out/sweep" } else { "out/compare" };
    let dir = opts
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(default_out));

    let per_point = match (shard, exp.replications) {
        (Some((k, n)), _) => exp.shard_range(k, n).map_or(0, |r| r.end - r.start),
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
    let recorded = folder::record(&exp, &dir, style, sweep, shard, &tick);
    pb.finish_and_clear();
    // The folder's lock is held until its last file is written.
    let Recorded {
        results,
        mut written,
        partial,
        lock: _lock,
    } = recorded?;
    if let (Some((k, n)), Some(part)) = (shard, partial) {
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
    let (files, charts) =
        folder::finish(&exp, &dir, &results, style.excel, !opts.output.no_report)?;
    written.extend(files);
    finish_output(&exp, &results, &written, charts, &opts.output)
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
        "{} · seed {} · baseline {} · totals over {}",
        exp.scenario_name,
        exp.seed,
        exp.variants[exp.baseline].name,
        exp.totals_span()
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
    let style = Style {
        excel: output.excel,
    };
    let dir = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("out/merged"));
    let mut merged = folder::merge(dirs, &dir, style)?;
    let (files, charts) = folder::finish(
        &merged.exp,
        &dir,
        &merged.results,
        style.excel,
        !output.no_report,
    )?;
    merged.written.extend(files);
    finish_output(
        &merged.exp,
        &merged.results,
        &merged.written,
        charts,
        output,
    )
}
