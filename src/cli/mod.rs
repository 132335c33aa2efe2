//! Commands of the `salesim` binary.

mod calibrate;
mod experiment;
mod pages;
mod staff;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use salesim::report;
use salesim::report::folder::{self, FolderError};
use salesim::scenario::{Lang, Scenario, ScenarioError, DEFAULT_TOML};
use salesim::sim;

/// Discrete-event simulator of sales departments: the same demand under five structures.
#[derive(Parser)]
#[command(name = "salesim", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Language of the report, the charts, the terminal tables and the workbook
    /// (default: the scenario's `lang`, else English). CSV columns stay English.
    #[arg(long, global = true, value_parser = ["en", "ru", "bg"])]
    lang: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Run one replication and write monthly.csv.
    Run {
        /// Scenario file (default: the built-in default scenario).
        scenario: Option<PathBuf>,
        /// Structure to simulate (default: the scenario's `structure`).
        #[arg(long)]
        structure: Option<String>,
        /// Seed (default: the scenario's `seed`).
        #[arg(long, allow_negative_numbers = true)]
        seed: Option<u64>,
        /// Replication number: another independent run on the same seed.
        #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
        replication: u64,
        /// Months left out of the total line (default: the scenario's
        /// `[experiment] warmup_months`).
        #[arg(long, allow_negative_numbers = true)]
        warmup_months: Option<usize>,
        /// Output folder.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Also write the event log to this CSV: what happened to every lead and deal,
        /// a row per event (time, lead id, channel, event, who, outcome, amount, wait).
        #[arg(long, value_name = "FILE.csv")]
        events: Option<PathBuf>,
    },
    /// Compare structures over many replications on common random numbers: summary,
    /// monthly, per-replication and paired-difference CSVs, and a ranked table.
    Compare {
        /// Scenario file (default: the built-in default scenario).
        scenario: Option<PathBuf>,
        #[command(flatten)]
        opts: experiment::RunOpts,
        #[command(flatten)]
        optimise: experiment::OptimiseOpts,
    },
    /// Sweep fields (--set path=values, or the scenario's [sweep]) and compare the
    /// structures at every point of the grid.
    Sweep {
        /// Scenario file.
        scenario: PathBuf,
        #[command(flatten)]
        opts: experiment::RunOpts,
    },
    /// Merge the partial results of shards (--shard K/N) into the files of one run.
    Merge {
        /// The folders the shards wrote.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Output folder.
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        output: experiment::OutputOpts,
    },
    /// Find the headcount of a role in each month: the smallest meeting a target
    /// (lost<=0.05, service>=0.8@20s, speed<=5min) or the most profitable.
    Staff {
        /// Scenario file (default: the built-in default scenario).
        scenario: Option<PathBuf>,
        #[command(flatten)]
        opts: staff::StaffOpts,
    },
    /// Draw one chart from a results folder, without running anything.
    Chart {
        /// A folder `compare`, `sweep`, `merge` or `staff` wrote.
        dir: PathBuf,
        #[command(flatten)]
        opts: pages::ChartOpts,
    },
    /// Write every chart and report.html from a results folder, without running anything.
    Report {
        /// A folder `compare`, `sweep`, `merge` or `staff` wrote.
        dir: PathBuf,
        /// For a sweep: the point the month-by-month charts show (1 = the first).
        #[arg(long, default_value_t = 1, allow_negative_numbers = true)]
        point: usize,
        /// Also write results.xlsx: every table as a sheet, with native Excel charts.
        #[arg(long)]
        xlsx: bool,
    },
    /// Write the scenario of a company's own data: a leads (or deals) export and a call
    /// log in, each fitted figure with its 95% interval out, the rest kept from a
    /// template; and calibration.html, each fit against its data.
    Calibrate {
        /// The leads or deals export (CSV), or salesim's own event log (`run --events`).
        leads: PathBuf,
        /// A call log (CSV): one row per call, its wait and how it ended.
        #[arg(long, value_name = "FILE.csv")]
        calls: Option<PathBuf>,
        /// The repeat orders of clients on the books (CSV): client, date, amount,
        /// segment. An event log holds its own.
        #[arg(long, value_name = "FILE.csv")]
        orders: Option<PathBuf>,
        /// The stage history of the leads export (CSV): one row per stage a lead entered,
        /// its id and when. A decided deal's touches are its stage changes after it
        /// opened. An event log holds its own.
        #[arg(long, value_name = "FILE.csv")]
        stages: Option<PathBuf>,
        /// Which column is which: salesim, generic, amocrm (kommo), bitrix24, hubspot, or
        /// a mapping file (TOML). Default: recognised from the leads file's columns.
        #[arg(long, value_name = "NAME|FILE.toml")]
        mapping: Option<String>,
        /// The scenario whose other figures are kept (default: the built-in scenario).
        #[arg(long, value_name = "FILE.toml")]
        template: Option<PathBuf>,
        /// The scenario to write; calibration.html goes beside it.
        #[arg(
            long,
            value_name = "FILE.toml",
            default_value = "out/calibrate/scenario.toml"
        )]
        out: PathBuf,
    },
    /// Check a scenario file and print every problem.
    Validate {
        /// Scenario file.
        scenario: PathBuf,
    },
    /// List the structures with their roles and who does which work.
    Structures {
        /// Show them as a scenario overrides them (default: the built-in scenario).
        scenario: Option<PathBuf>,
    },
    /// Print a completion script for a shell (bash, zsh, fish, powershell, elvish).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `salesim man > salesim.1`.
    Man,
    /// Write a commented example scenario.
    Init {
        /// Where to write it.
        #[arg(default_value = "scenario.toml")]
        path: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
}

/// An error that is the user's input, not a failure: exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct BadInput(pub(crate) String);

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = cli.lang.as_deref().and_then(Lang::parse);
    match dispatch(cli.command, lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => report_error(&e),
    }
}

fn report_error(e: &anyhow::Error) -> ExitCode {
    // A reader that went away (`salesim structures | head`) is not an error.
    let broken_pipe = e
        .chain()
        .filter_map(|c| c.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe);
    if broken_pipe {
        return ExitCode::SUCCESS;
    }
    let bad = e.downcast_ref::<BadInput>().is_some()
        || e.downcast_ref::<FolderError>()
            .is_some_and(FolderError::is_input)
        || e.downcast_ref::<ScenarioError>()
            .is_some_and(|s| matches!(s, ScenarioError::Invalid(_)));
    eprint!("error: {e:#}");
    if !format!("{e:#}").ends_with('\n') {
        eprintln!();
    }
    ExitCode::from(if bad { 2 } else { 1 })
}

/// Prints each trap in the scenario on stderr: it runs, but the user should know.
pub(crate) fn warn(ws: &[salesim::scenario::Warning]) {
    for w in ws {
        eprintln!("warning: {w}");
    }
}

fn load(path: Option<&Path>) -> anyhow::Result<Scenario> {
    Ok(match path {
        Some(p) => Scenario::load(p).map_err(|e| match e {
            ScenarioError::Read { .. } => anyhow::Error::new(BadInput(e.to_string())),
            other => anyhow::Error::new(other).context(format!("{}", p.display())),
        })?,
        None => Scenario::default_scenario(),
    })
}

fn dispatch(cmd: Command, lang: Option<Lang>) -> anyhow::Result<()> {
    match cmd {
        Command::Compare {
            scenario,
            opts,
            optimise,
        } => experiment::run(scenario.as_deref(), &opts, false, Some(&optimise), lang),
        Command::Sweep { scenario, opts } => {
            experiment::run(Some(&scenario), &opts, true, None, lang)
        }
        Command::Merge { dirs, out, output } => {
            experiment::merge(&dirs, out.as_deref(), &output, lang)
        }
        Command::Staff { scenario, opts } => {
            let text = experiment::scenario_text(scenario.as_deref())?;
            staff::run(&text, &opts, lang)
        }
        Command::Chart { dir, opts } => {
            let path = pages::chart(&dir, &opts, lang)?;
            writeln!(std::io::stdout(), "wrote {}", path.display())?;
            Ok(())
        }
        Command::Report { dir, point, xlsx } => {
            let _lock = folder::Lock::take_existing(&dir)?;
            let written = folder::draw_report(&dir, point, lang)?;
            let w = report::lang::words(written.lang);
            if xlsx {
                let book = folder::write_workbook(&dir, point, lang)?;
                writeln!(
                    std::io::stdout().lock(),
                    "{}",
                    w.f("cli.wrote", &[("path", &book.display())])
                )?;
            }
            let mut out = std::io::stdout().lock();
            if let Some(note) = &written.interrupted {
                writeln!(out, "{note}")?;
            }
            let charts = (written.paths.len() - 1) / 2;
            if charts > 0 {
                writeln!(
                    out,
                    "{}",
                    w.n(
                        "cli.wrote_charts",
                        charts as u64,
                        &[("dir", &dir.join(folder::CHARTS).display())]
                    )
                )?;
            }
            writeln!(
                out,
                "{}",
                w.f("cli.open", &[("path", &dir.join(folder::REPORT).display())])
            )?;
            Ok(())
        }
        Command::Run {
            scenario,
            structure,
            seed,
            replication,
            warmup_months,
            out,
            events,
        } => {
            let text = experiment::scenario_text(scenario.as_deref())?;
            let (mut sc, warmup) =
                salesim::experiment::read_run(&text, warmup_months).map_err(|e| {
                    let e = anyhow::Error::new(BadInput(e.to_string()));
                    match &scenario {
                        Some(p) => e.context(p.display().to_string()),
                        None => e,
                    }
                })?;
            if let Some(s) = seed {
                sc.seed = s;
            }
            let idx = match structure {
                None => sc.default_structure,
                Some(name) => sc
                    .structure_names()
                    .iter()
                    .position(|&n| n == name)
                    .ok_or_else(|| {
                        BadInput(format!(
                            "--structure: no structure named {name:?}; known: {}",
                            sc.structure_names().join(", ")
                        ))
                    })?,
            };
            let mut ws = salesim::scenario::scenario_warnings(&sc);
            ws.extend(salesim::scenario::structure_warnings(
                &sc,
                &sc.structures[idx],
            ));
            warn(&ws);
            let simulation = sim::Simulation::new(&sc, idx, replication);
            let (result, log) = match &events {
                Some(_) => simulation.run_logged(),
                None => (simulation.run(), vec![]),
            };
            let path = out.join(folder::MONTHLY);
            folder::write_atomic(&path, |w| report::csv::write_monthly(&result, warmup, w))?;
            let segments: Vec<String> = sc.segments.iter().map(|s| s.name.clone()).collect();
            let mut written = vec![path];
            if let Some(file) = &events {
                folder::write_atomic(file, |w| {
                    report::csv::write_events(&result, &segments, &log, w)
                })?;
                written.push(file.clone());
            }
            let mut out = std::io::stdout().lock();
            let words = report::lang::words(lang.unwrap_or(sc.lang));
            write!(out, "{}", report::table::summary(&result, warmup, words))?;
            for path in written {
                writeln!(
                    out,
                    "{}",
                    words.f("cli.wrote", &[("path", &path.display())])
                )?;
            }
            Ok(())
        }
        Command::Calibrate {
            leads,
            calls,
            orders,
            stages,
            mapping,
            template,
            out,
        } => calibrate::run(
            calibrate::Paths {
                leads: &leads,
                calls: calls.as_deref(),
                orders: orders.as_deref(),
                stages: stages.as_deref(),
            },
            mapping.as_deref(),
            template.as_deref(),
            &out,
        ),
        Command::Validate { scenario } => {
            let text = experiment::scenario_text(Some(&scenario))?;
            let sc = salesim::experiment::validate(&text).map_err(|e| {
                anyhow::Error::new(BadInput(e.to_string())).context(scenario.display().to_string())
            })?;
            warn(&salesim::scenario::warnings(&sc));
            let months = sc.calendar.months();
            let warmup = match salesim::experiment::read_run(&text, None) {
                Ok((_, w)) if w > 0 => format!(", the first {w} a warm-up"),
                _ => String::new(),
            };
            let n = sc.structures.len();
            writeln!(
                std::io::stdout(),
                "{}: valid ({months} month{} from {}{warmup}; {n} structure{}: {})",
                scenario.display(),
                if months == 1 { "" } else { "s" },
                sc.calendar.start(),
                if n == 1 { "" } else { "s" },
                sc.structure_names().join(", ")
            )?;
            Ok(())
        }
        Command::Structures { scenario } => {
            let sc = load(scenario.as_deref())?;
            let mut out = std::io::stdout().lock();
            for s in &sc.structures {
                writeln!(out, "{}", s.describe())?;
            }
            Ok(())
        }
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "salesim", &mut std::io::stdout());
            Ok(())
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(cmd).render(&mut std::io::stdout())?;
            Ok(())
        }
        Command::Init { path, force } => {
            if path.exists() && !force {
                return Err(BadInput(format!(
                    "{} exists; pass --force to overwrite it",
                    path.display()
                ))
                .into());
            }
            folder::write_atomic(&path, |w| w.write_all(DEFAULT_TOML.as_bytes()))
                .with_context(|| format!("writing {}", path.display()))?;
            writeln!(
                std::io::stdout(),
                "wrote {} (the default scenario, every figure commented)",
                path.display()
            )?;
            Ok(())
        }
    }
}
