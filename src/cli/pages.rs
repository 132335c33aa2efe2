//! `chart`: one chart redrawn from the files of a results folder.

use std::path::{Path, PathBuf};

use clap::Args;

use salesim::report::chart::{Format, Kind};
use salesim::report::folder::{self, STAFFING};
use salesim::scenario::Lang;

use super::BadInput;

/// Options of the `chart` command.
#[derive(Args, Debug)]
pub struct ChartOpts {
    /// What to draw: revenue, lost, totals, diff, sweep, service or time (from `compare` or
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
    #[arg(long, default_value_t = 1, allow_negative_numbers = true)]
    point: usize,
    /// For the sweep chart: the metric to draw (default: the run's precision metric).
    #[arg(long)]
    metric: Option<String>,
}

/// `salesim chart DIR`.
pub fn chart(dir: &Path, o: &ChartOpts, lang: Option<Lang>) -> anyhow::Result<PathBuf> {
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
    let path = o
        .out
        .clone()
        .unwrap_or_else(|| folder::chart_path(dir, &o.kind, format.extension()));
    // Written into the folder, the chart waits for no other writer there; written
    // elsewhere, it only reads the folder.
    let _lock = if path.starts_with(dir) {
        folder::Lock::take_existing(dir)?
    } else {
        None
    };
    folder::draw_chart(dir, kind, format, o.point, o.metric.clone(), &path, lang)?;
    Ok(path)
}
