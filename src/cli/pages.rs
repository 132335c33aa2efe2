//! `chart` and `report` (the pages an owner reads), and the charts and report that `compare`, `sweep` and `merge`
//! write beside their CSVs: all drawn from the files of a results folder.

use std::path::{Path, PathBuf};

use clap::Args;

use salesim::experiment::staffing::StaffingResult;
use salesim::experiment::Experiment;
use salesim::report::chart::{self, ChartError, Format, Kind, Options};
use salesim::report::html;
use salesim::report::results::{self, Manifest, PointRun, Results};
use salesim::report::staffing as rs;

use super::{files, BadInput};

/// `--kind` of the staffing chart.
const STAFFING: &str = "staffing";

/// Options of the `chart` command.
#[derive(Args, Debug)]
pub struct ChartOpts {
    /// What to draw: revenue, lost, totals, diff, sweep or service (from `compare` or
    /// `sweep`), staffing (from `staff`).
    #[arg(long)]
    kind: String,
    /// svg or png.
    #[arg(long, default_value = "svg")]
    format: String,
    /// Where to write it (default: DIR/charts/KIND.FORMAT).
    #[arg(long)]
    out: Option<PathBuf>,
    /// For a sweep: the point the month-by-month charts show (1 = the first).
    #[arg(long, default_value_t = 1)]
    point: usize,
    /// For the sweep chart: the metric to draw (default: the run's precision metric).
    #[arg(long)]
    metric: Option<String>,
}

fn load(dir: &Path) -> anyhow::Result<Results> {
    Results::load(dir).map_err(|e| BadInput(e.to_string()).into())
}

fn chart_error(e: ChartError) -> anyhow::Error {
    match e {
        ChartError::Unavailable(m) => BadInput(m).into(),
        other => other.into(),
    }
}

fn point_index(point: usize, r: &Results) -> anyhow::Result<usize> {
    if point == 0 || point > r.points.len() {
        let cut = r
            .interrupted()
            .map(|c| format!(" (the {} was {c})", r.what()))
            .unwrap_or_default();
        return Err(BadInput(format!(
            "--point {point}: the results have points 1 to {}{cut}",
            r.points.len()
        ))
        .into());
    }
    Ok(point - 1)
}

/// Whether `dir` holds what `salesim staff` wrote (and not an experiment's results).
fn is_staffing(dir: &Path) -> bool {
    !dir.join(results::MANIFEST).exists() && dir.join(rs::FILE).exists()
}

fn load_staffing(dir: &Path) -> anyhow::Result<StaffingResult> {
    rs::load(dir).map_err(|e| BadInput(e.to_string()).into())
}

/// `salesim chart DIR`.
pub fn chart(dir: &Path, o: &ChartOpts) -> anyhow::Result<PathBuf> {
    let staffing = o.kind == STAFFING;
    let kind = Kind::parse(&o.kind);
    if kind.is_none() && !staffing {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        return Err(BadInput(format!(
            "--kind `{}`: one of {}, {STAFFING}",
            o.kind,
            names.join(", ")
        ))
        .into());
    }
    if o.metric.is_some() && kind != Some(Kind::Sweep) {
        return Err(BadInput(format!(
            "--metric: only the sweep chart draws a chosen metric, not --kind {}",
            o.kind
        ))
        .into());
    }
    let format = Format::parse(&o.format)
        .ok_or_else(|| BadInput(format!("--format `{}`: svg or png", o.format)))?;
    let path = o.out.clone().unwrap_or_else(|| {
        dir.join("charts")
            .join(format!("{}.{}", o.kind, format.extension()))
    });
    let Some(kind) = kind else {
        let bytes = chart::staffing::render(&load_staffing(dir)?, format)?;
        files::write_atomic(&path, |w| w.write_all(&bytes))?;
        return Ok(path);
    };
    if is_staffing(dir) {
        return Err(BadInput(format!(
            "--kind {}: {} holds a staffing plan, whose chart is --kind {STAFFING}",
            o.kind,
            dir.display()
        ))
        .into());
    }
    let r = load(dir)?;
    let opts = Options {
        point: point_index(o.point, &r)?,
        metric: o.metric.clone(),
    };
    let bytes = chart::render(kind, &r, format, &opts).map_err(chart_error)?;
    files::write_atomic(&path, |w| w.write_all(&bytes))?;
    Ok(path)
}

/// What `report` wrote.
pub struct Written {
    /// The charts (SVG and PNG), then `report.html`.
    pub paths: Vec<PathBuf>,
    /// For a run that did not finish, what the report shows of it.
    pub interrupted: Option<String>,
}

/// Every chart that applies, as SVG and PNG in `DIR/charts`, and `DIR/report.html`: from an
/// experiment's results or from a staffing plan.
pub fn report(dir: &Path, point: usize) -> anyhow::Result<Written> {
    if is_staffing(dir) {
        if point != 1 {
            return Err(BadInput(format!(
                "--point {point}: {} holds a staffing plan, which has no points",
                dir.display()
            ))
            .into());
        }
        let r = load_staffing(dir)?;
        return Ok(Written {
            paths: super::staff::draw(dir, &r)?,
            interrupted: (!r.complete).then(|| {
                "the staffing search was interrupted: the report shows the best plan it had found"
                    .to_string()
            }),
        });
    }
    let r = Results::load(dir).map_err(|e| match e {
        results::ResultsError::Missing {
            dir, file, reason, ..
        } => BadInput(
            results::ResultsError::Missing {
                dir,
                file,
                reason,
                writers: "`salesim compare`, `salesim sweep` or `salesim staff`",
            }
            .to_string(),
        ),
        other => BadInput(other.to_string()),
    })?;
    let p = point_index(point, &r)?;
    let opts = Options {
        point: p,
        metric: None,
    };
    let kinds: Vec<Kind> = Kind::ALL
        .into_iter()
        .filter(|k| k.unavailable(&r).is_none())
        .collect();
    // Draw everything first: a chart that fails leaves no file behind.
    let mut drawn = vec![];
    for &k in &kinds {
        for f in [Format::Svg, Format::Png] {
            drawn.push((k, f, chart::render(k, &r, f, &opts).map_err(chart_error)?));
        }
    }
    let svgs: Vec<(Kind, String)> = drawn
        .iter()
        .filter(|(_, f, _)| *f == Format::Svg)
        .map(|(k, _, b)| (*k, String::from_utf8_lossy(b).into_owned()))
        .collect();
    let page = html::report(&r, p, &svgs);
    let mut written = vec![];
    for (k, f, bytes) in &drawn {
        let path = dir
            .join("charts")
            .join(format!("{}.{}", k.name(), f.extension()));
        files::write_atomic(&path, |w| w.write_all(bytes))?;
        written.push(path);
    }
    let path = dir.join("report.html");
    files::write_atomic(&path, |w| w.write_all(page.as_bytes()))?;
    written.push(path);
    Ok(Written {
        paths: written,
        interrupted: r.interrupted().map(|cut| {
            let shown = if r.points.len() < r.exp.points.len() {
                "the finished points"
            } else {
                "the replications that finished"
            };
            format!("the {} was {cut}: the report shows {shown}", r.what())
        }),
    })
}

/// `run.json` and `scenario.toml`: what the charts and the report are redrawn from.
pub fn write_manifest(
    dir: &Path,
    exp: &Experiment,
    excel: bool,
    points: Vec<PointRun>,
) -> anyhow::Result<Vec<PathBuf>> {
    let scenario = dir.join(results::SCENARIO);
    files::write_atomic(&scenario, |w| w.write_all(exp.scenario_text.as_bytes()))?;
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
) -> anyhow::Result<PathBuf> {
    let manifest = Manifest::new(&exp.request, excel, points);
    let path = dir.join(results::MANIFEST);
    files::write_atomic(&path, |w| {
        serde_json::to_writer_pretty(&mut *w, &manifest).map_err(std::io::Error::other)?;
        w.write_all(b"\n")
    })?;
    Ok(path)
}
