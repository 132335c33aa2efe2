//! `staff`: a headcount per month for a role, searched by simulation; the best plan so
//! far is kept on disk while the search runs.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use salesim::experiment::staffing::{self, StaffRequest, StaffingProblem};
use salesim::report::csv::Style;
use salesim::report::folder;
use salesim::report::staffing as rs;
use salesim::scenario::Lang;

use super::BadInput;

/// Options of the `staff` command.
#[derive(Args, Debug)]
pub struct StaffOpts {
    /// The role to staff (repeat to search several roles together).
    #[arg(long = "role")]
    roles: Vec<String>,
    /// The structure whose role it is (default: the scenario's `structure`).
    #[arg(long)]
    structure: Option<String>,
    /// What each month must reach: lost<=0.05, service>=0.8@20s or speed<=5min.
    #[arg(long)]
    target: Option<String>,
    /// `profit`: maximise expected gross profit instead of meeting a target.
    #[arg(long)]
    objective: Option<String>,
    /// Fewest people in a month.
    #[arg(long, allow_negative_numbers = true)]
    min: Option<u32>,
    /// Most people in a month.
    #[arg(long, allow_negative_numbers = true)]
    max: Option<u32>,
    /// Weeks between deciding and having the people (months starting sooner keep the
    /// scenario's staffing).
    #[arg(long, allow_negative_numbers = true)]
    lead_time_weeks: Option<f64>,
    /// A headcount, once set, holds at least this many months.
    #[arg(long, allow_negative_numbers = true)]
    min_contract_months: Option<u32>,
    /// Cost of each person added or removed between months.
    #[arg(long, allow_negative_numbers = true)]
    change_cost: Option<f64>,
    /// Cap on the role's pay and outsourcing over the horizon.
    #[arg(long, allow_negative_numbers = true)]
    budget: Option<f64>,
    /// Replications per plan to start with (doubled where a decision needs more).
    #[arg(long, allow_negative_numbers = true)]
    replications: Option<u64>,
    /// Most replications per plan.
    #[arg(long, allow_negative_numbers = true)]
    max_replications: Option<u64>,
    /// Output folder.
    #[arg(long, default_value = "out/staff")]
    out: PathBuf,
    /// CSV for Excel in locales with decimal commas.
    #[arg(long)]
    excel: bool,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
    /// Write only the CSVs: no chart, no report.html.
    #[arg(long)]
    no_report: bool,
    /// Also write results.xlsx: the plan and its comparison, with a native Excel chart.
    #[arg(long)]
    xlsx: bool,
}

fn request(o: &StaffOpts) -> anyhow::Result<StaffRequest> {
    let profit = match o.objective.as_deref() {
        None | Some("target") => false,
        Some("profit") => true,
        Some(x) => {
            return Err(BadInput(format!("--objective `{x}`: profit (or give --target)")).into())
        }
    };
    if profit && o.target.is_some() {
        return Err(BadInput("--objective profit and --target: choose one".into()).into());
    }
    Ok(StaffRequest {
        roles: o.roles.clone(),
        structure: o.structure.clone(),
        target: o.target.clone(),
        profit,
        min: o.min,
        max: o.max,
        lead_time_weeks: o.lead_time_weeks,
        min_contract_months: o.min_contract_months,
        change_cost: o.change_cost,
        budget: o.budget,
        replications: o.replications,
        max_replications: o.max_replications,
    })
}

/// `salesim staff`.
pub fn run(scenario_text: &str, o: &StaffOpts, lang: Option<Lang>) -> anyhow::Result<()> {
    let req = request(o)?;
    let problem = StaffingProblem::new(scenario_text, &req).map_err(|e| BadInput(e.to_string()))?;
    let style = Style { excel: o.excel };
    let _lock = folder::Lock::take(&o.out)?;
    let pb = if o.quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let pb = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        pb.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        pb.enable_steady_tick(Duration::from_millis(200));
        pb
    };
    let mut write_error = None;
    let mut wrote_interim = false;
    let result = staffing::run(&problem, &mut |p| {
        pb.set_message(format!("{} · {} replications simulated", p.stage, p.runs));
        if let Some(best) = p.best {
            if !wrote_interim {
                folder::forget_earlier_search(&o.out);
            }
            // An interrupted search keeps the best plan found so far, marked as interim
            // in `staffing.json`, so `salesim report` can draw it.
            let wrote = folder::write_staffing_plan(&o.out, style, best)
                .and_then(|_| folder::write_staffing_json(&o.out, best));
            match wrote {
                Ok(_) => wrote_interim = true,
                Err(e) => {
                    write_error.get_or_insert(e);
                }
            }
        }
    });
    pb.finish_and_clear();
    if let Some(e) = write_error {
        return Err(e.into());
    }
    let r = match result {
        Ok(r) => r,
        Err(e) => {
            // The search ended without a plan that satisfies everything: the interim plan
            // it kept (for an interruption) is not an answer.
            if wrote_interim {
                folder::forget_interim_plan(&o.out);
            }
            return Err(BadInput(e.to_string()).into());
        }
    };
    if !wrote_interim {
        folder::forget_earlier_search(&o.out);
    }
    let mut written = vec![
        folder::write_staffing_plan(&o.out, style, &r)?,
        folder::write_staffing_comparison(&o.out, style, &r)?,
    ];
    if !o.no_report {
        written.extend(folder::draw_staffing(&o.out, &r, lang)?);
    }
    // Last: a folder whose `staffing.json` says complete holds every file of the answer.
    written.push(folder::write_staffing_json(&o.out, &r)?);
    if o.xlsx {
        written.push(folder::write_workbook(&o.out, 1, lang)?);
    }
    let mut out = std::io::stdout().lock();
    let words = salesim::report::lang::words(lang.unwrap_or(r.lang));
    write!(out, "{}", rs::table(&r, words))?;
    for w in &written {
        writeln!(out, "wrote {}", w.display())?;
    }
    if o.no_report {
        writeln!(
            out,
            "the chart and the page: salesim report {}",
            o.out.display()
        )?;
    }
    Ok(())
}
