//! `compare`, `sweep` and `merge`: the experiment commands, their files and progress.

use std::fs;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use salesim::experiment::teams::{OptimiseRequest, TeamObjective, TeamProblem, TeamSearch};
use salesim::experiment::{
    Experiment, PointResult, Reference, Replications, Request, SpecError, TeamSpec,
};
use salesim::report::csv::Style;
use salesim::report::experiment as rx;
use salesim::report::folder::{self, Recorded};
use salesim::scenario::{Lang, DEFAULT_TOML};

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
    /// Also write results.xlsx: every table as a sheet, with native Excel charts.
    #[arg(long)]
    xlsx: bool,
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
        teams: vec![],
    })
}

/// Options of `compare` that rank each structure at its best team.
#[derive(Args, Debug, Clone, Default)]
pub struct OptimiseOpts {
    /// Rank each structure at its best team: search the headcount of every role together
    /// for `profit` (the default) or `avoidable-losses`, within --budget. A scenario with
    /// an [optimise] table searches without it.
    #[arg(long, value_name = "profit|avoidable-losses", num_args = 0..=1, default_missing_value = "profit")]
    optimise: Option<String>,
    /// Rank the preset teams, even when the scenario has an [optimise] table.
    #[arg(long, conflicts_with = "optimise")]
    presets: bool,
    /// Each team's staff cost per month (pay, commissions, outsourcing): `60000` or
    /// `60000/month` (default: the baseline's preset team's).
    #[arg(long, value_name = "AMOUNT/month")]
    budget: Option<String>,
    /// Roles whose headcount is searched, comma-separated (default: every role).
    #[arg(long, value_delimiter = ',')]
    roles: Vec<String>,
    /// Roles whose headcount may change month by month (an outsourced call centre).
    #[arg(long, value_delimiter = ',')]
    seasonal: Vec<String>,
    /// Replications per team the search starts with [default: 40].
    #[arg(long, allow_negative_numbers = true)]
    search_replications: Option<u64>,
    /// Most replications per team the search adds before deciding [default: 160].
    #[arg(long, allow_negative_numbers = true)]
    max_search_replications: Option<u64>,
}

/// The team search the options (or the scenario's [optimise] table) ask for, if any.
fn optimise_request(o: &OptimiseOpts, text: &str) -> anyhow::Result<Option<OptimiseRequest>> {
    let table_asks = salesim::scenario::Scenario::table_from_str(text)
        .map(|t| t.contains_key("optimise"))
        .unwrap_or(false);
    let given = [
        ("--budget", o.budget.is_some()),
        ("--roles", !o.roles.is_empty()),
        ("--seasonal", !o.seasonal.is_empty()),
        ("--search-replications", o.search_replications.is_some()),
        (
            "--max-search-replications",
            o.max_search_replications.is_some(),
        ),
    ];
    let asked = o.optimise.is_some() || (table_asks && !o.presets);
    if !asked {
        if let Some((flag, _)) = given.iter().find(|(_, g)| *g) {
            return Err(BadInput(format!(
                "{flag}: only with --optimise (which searches each structure's best team){}",
                if o.presets {
                    "; --presets ranks the preset teams"
                } else {
                    ""
                }
            ))
            .into());
        }
        return Ok(None);
    }
    let objective = match o.optimise.as_deref() {
        None => None,
        Some(name) => Some(TeamObjective::parse(name).ok_or_else(|| {
            BadInput(format!(
                "--optimise: one of {}, found `{name}`{}",
                TeamObjective::NAMES.join(", "),
                if name.ends_with(".toml") {
                    " (put the scenario before --optimise, or write --optimise=profit)"
                } else {
                    ""
                }
            ))
        })?),
    };
    let budget = match o.budget.as_deref() {
        None => None,
        Some(b) => {
            let amount = b.trim().strip_suffix("/month").unwrap_or(b.trim());
            match amount.replace('_', "").parse::<f64>() {
                Ok(x) if x > 0.0 && x.is_finite() => Some(x),
                _ => {
                    return Err(BadInput(format!(
                    "--budget: a positive amount per month, e.g. 60000 or 60000/month; found `{b}`"
                ))
                    .into())
                }
            }
        }
    };
    Ok(Some(OptimiseRequest {
        objective,
        budget,
        roles: o.roles.clone(),
        seasonal: o.seasonal.clone(),
        replications: o.search_replications,
        max_replications: o.max_search_replications,
    }))
}

/// Runs the team search into `dir`, writing its best teams after every move, with
/// progress on standard error.
fn search_teams(
    exp: &Experiment,
    problem: &TeamProblem,
    dir: &Path,
    style: Style,
    quiet: bool,
) -> anyhow::Result<TeamSearch> {
    let lock = folder::Lock::take(dir)?;
    // The folder never mixes two runs: an earlier run's files go before the first move
    // is written; the scenario is kept beside the search (the interim page names it).
    folder::forget_earlier_results(dir);
    folder::forget_earlier_tables(dir);
    folder::forget_team_search(dir);
    folder::write_atomic(&dir.join(folder::SCENARIO), |w| {
        w.write_all(exp.scenario_text.as_bytes())
    })?;
    let terminal = !quiet && std::io::stderr().is_terminal();
    let spinner = if terminal {
        let pb = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        pb.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        pb.enable_steady_tick(Duration::from_millis(200));
        pb
    } else {
        ProgressBar::hidden()
    };
    let mut moves: Vec<(String, usize)> = vec![];
    let mut failed: Option<folder::FolderError> = None;
    let result = salesim::experiment::teams::optimise(exp, problem, &mut |p| {
        spinner.set_message(format!(
            "{}: {} · {} replications so far",
            p.variant, p.stage, p.runs
        ));
        let Some(s) = p.interim else { return };
        let Some(t) = s.teams.iter().find(|t| t.variant == p.variant) else {
            return;
        };
        let seen = moves.iter().position(|(v, _)| v == p.variant);
        let before = seen.map_or(usize::MAX, |i| moves[i].1);
        if before == t.path.len() && p.stage != "found" {
            return;
        }
        match seen {
            Some(i) => moves[i].1 = t.path.len(),
            None => moves.push((p.variant.to_string(), t.path.len())),
        }
        if failed.is_none() {
            if let Err(e) = folder::write_team_search(dir, style, s) {
                failed = Some(e);
            }
        }
        if !quiet {
            let line = match (p.stage, t.path.last()) {
                ("found", _) => format!(
                    "{}: best team {} ({} teams tried, {} replications so far)",
                    p.variant,
                    salesim::experiment::teams::team_words(&t.roles, &t.best, exp.counted()),
                    t.teams_tried,
                    p.runs
                ),
                (_, Some(m)) => format!(
                    "{}: {} (gain {:.0} ± {:.0}), {} replications so far",
                    p.variant, m.what, m.gain.mean, m.gain.half, p.runs
                ),
                _ => return,
            };
            spinner.suspend(|| eprintln!("{line}"));
        }
    });
    spinner.finish_and_clear();
    let search = result.map_err(bad)?;
    if let Some(e) = failed {
        return Err(e.into());
    }
    folder::write_team_search(dir, style, &search)?;
    drop(lock);
    Ok(search)
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
pub fn run(
    scenario: Option<&Path>,
    opts: &RunOpts,
    sweep: bool,
    optimise: Option<&OptimiseOpts>,
    lang: Option<Lang>,
) -> anyhow::Result<()> {
    let text = scenario_text(scenario)?;
    let mut req = request(opts)?;
    let mut exp = Experiment::new(&text, &req).map_err(bad)?;
    let optimise = match optimise {
        Some(o) => optimise_request(o, &text)?,
        None => None,
    };
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

    let mut search = None;
    if let Some(o) = optimise {
        if shard.is_some() {
            return Err(BadInput(
                "--shard: a team search runs whole (every structure's search needs all its replications); drop --shard or --optimise".into(),
            )
            .into());
        }
        let problem = TeamProblem::new(&exp, &o).map_err(bad)?;
        let s = search_teams(&exp, &problem, &dir, style, opts.output.quiet)?;
        req.teams = exp
            .variants
            .iter()
            .filter_map(|v| {
                s.team_of(&v.name).map(|roles| TeamSpec {
                    variant: v.name.clone(),
                    roles,
                })
            })
            .collect();
        exp = Experiment::new(&text, &req).map_err(bad)?;
        search = Some(s);
    }
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
    let (files, charts) = folder::finish(
        &exp,
        &dir,
        &results,
        style.excel,
        !opts.output.no_report,
        opts.output.xlsx,
        lang,
    )?;
    if search.is_some() {
        for name in [folder::TEAMS, folder::SEARCH_PATH, folder::SEARCH_JSON] {
            written.insert(written.len().saturating_sub(1), dir.join(name));
        }
    }
    written.extend(files);
    finish_output(
        &exp,
        &results,
        &written,
        charts,
        &opts.output,
        search.as_ref(),
        lang,
    )
}

fn finish_output(
    exp: &Experiment,
    results: &[PointResult],
    written: &[PathBuf],
    charts: usize,
    output: &OutputOpts,
    search: Option<&TeamSearch>,
    lang: Option<Lang>,
) -> anyhow::Result<()> {
    let w = salesim::report::lang::words(lang.unwrap_or(exp.lang));
    let mut out = std::io::stdout().lock();
    if output.json {
        let mut doc = serde_json::json!({
            "scenario": exp.scenario_name,
            "seed": exp.seed,
            "currency": exp.currency,
            "baseline": exp.variants[exp.baseline].name,
            "warmup_months": exp.warmup_months,
            "months": exp.months,
            "points": results,
        });
        if let Some(s) = search {
            doc["teams"] = serde_json::to_value(s)?;
        }
        serde_json::to_writer_pretty(&mut out, &doc)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(
        out,
        "{}",
        w.f(
            "terminal.head",
            &[
                ("scenario", &exp.scenario_name),
                ("seed", &exp.seed),
                (
                    "base",
                    &w.label("structure", &exp.variants[exp.baseline].name)
                ),
                ("span", &rx::totals_span(exp, w)),
            ]
        )
    )?;
    if let Some(s) = search {
        write!(out, "{}", salesim::report::teams::terminal(s, w))?;
    }
    for r in results {
        write!(out, "{}", rx::ranked_table(exp, r, w))?;
    }
    for c in &exp.skipped_claims {
        writeln!(
            out,
            "{}",
            w.f("terminal.claim_skipped", &[("claim", &c.text)])
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
        names.insert(at, w.n("cli.charts", charts as u64, &[]));
    }
    writeln!(
        out,
        "{}",
        w.f(
            "cli.wrote_in",
            &[("files", &names.join(", ")), ("dir", &dir)]
        )
    )?;
    if let Some(page) = written
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "html"))
    {
        writeln!(out, "{}", w.f("cli.open", &[("path", &page.display())]))?;
    }
    Ok(())
}

/// `merge`: the shards' folders into the files of one run.
pub fn merge(
    dirs: &[PathBuf],
    out: Option<&Path>,
    output: &OutputOpts,
    lang: Option<Lang>,
) -> anyhow::Result<()> {
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
        output.xlsx,
        lang,
    )?;
    merged.written.extend(files);
    finish_output(
        &merged.exp,
        &merged.results,
        &merged.written,
        charts,
        output,
        None,
        lang,
    )
}
