//! `compare --optimise`: each structure's best team, searched within a budget before the
//! ranking. A queue whose optimum follows from the Erlang A formulas, the budget as a
//! hard limit, the search never worse than the preset, the same answer on any number of
//! threads, and bad requests refused with exit code 2.

mod common;

use assert_cmd::Command;
use common::{scenario_text, with_horizon};
use salesim::experiment::erlang::erlang_a;
use salesim::experiment::teams::{
    optimise, OptimiseRequest, TeamObjective, TeamProblem, TeamSearch,
};
use salesim::experiment::{Experiment, Replications, Request};

fn salesim() -> Command {
    Command::cargo_bin("salesim").unwrap()
}

/// Revenue of one answered call in the queue, and the monthly pay of one operator.
const VALUE: f64 = 40.0;
const PAY: f64 = 9000.0;

/// `scenarios/erlang_a.toml` (100 calls an hour around the clock, 5-minute calls,
/// patience exponential with a 60 s mean) where every answered call is a won deal worth
/// `VALUE` (booked at once: a zero-minute touch and contract, no decay of interest) and
/// an operator costs `PAY` a month. Its gross profit is `VALUE x answered - PAY x n`.
fn queue() -> String {
    let mut s = scenario_text("erlang_a.toml");
    for (a, b) in [
        ("target_share = 0.0", "target_share = 1.0"),
        ("win_probability = 0.0", "win_probability = 1.0"),
        ("deal_value = 0", &format!("deal_value = {VALUE}")),
        (
            "works = [\"inbound_call\"]",
            "works = [\"inbound_call\", \"deal_touch\", \"contract\"]",
        ),
        ("salary_per_month = 0", &format!("salary_per_month = {PAY}")),
        ("[response]\n", "[response]\ndecay = \"none\"\n"),
    ] {
        assert!(s.contains(a), "{a}");
        s = s.replace(a, b);
    }
    s
}

/// The search of `text` with `opt`, its structures as the scenario lists them.
fn search(text: &str, structures: &[&str], opt: OptimiseRequest) -> TeamSearch {
    let request = Request {
        structures: Some(structures.iter().map(|s| s.to_string()).collect()),
        replications: Some(Replications::Fixed(2)),
        ..Request::default()
    };
    let exp = Experiment::new(text, &request).unwrap();
    let p = TeamProblem::new(&exp, &opt).unwrap();
    optimise(&exp, &p, &mut |_| {}).unwrap()
}

#[test]
fn the_queue_search_finds_the_erlang_a_optimum_within_one_person() {
    // Expected profit with n operators: VALUE x calls x (1 - abandonment(n)) - PAY x n,
    // with the calls of January (31 days x 24 h x 100) and Erlang A's abandonment. The
    // start-empty transient and the calls still open at the month's end are a handful
    // among 74,400, well inside one person's worth; the curve is flat at the top (the
    // optimum's neighbours are within 0.1% of it), which is why the test allows one
    // person either way.
    let calls = 31.0 * 24.0 * 100.0;
    let profit = |n: u32| {
        let q = erlang_a(100.0, 12.0, n, 60.0, 20.0 / 3600.0);
        VALUE * calls * (1.0 - q.abandon) - PAY * f64::from(n)
    };
    let best = (1..40)
        .max_by(|&a, &b| profit(a).total_cmp(&profit(b)))
        .unwrap();
    let s = search(
        &queue(),
        &["queue"],
        OptimiseRequest {
            budget: Some(1e6),
            ..OptimiseRequest::default()
        },
    );
    assert!(s.complete);
    let t = &s.teams[0];
    let found = t.best[0][0];
    assert!(
        found.abs_diff(best) <= 1,
        "the search found {found} operators, Erlang A's optimum is {best}; path {:?}",
        t.path
    );
    // It climbed from the preset's 10, one person at a time, each gain significant.
    assert_eq!(t.preset[0][0], 10);
    assert!(t.path.iter().all(|m| m.gain.low() > 0.0), "{:?}", t.path);
    assert!(t.stop.starts_with("a local optimum"), "{}", t.stop);
}

#[test]
fn the_budget_is_a_hard_limit_and_a_tighter_one_never_earns_more() {
    // Budgets for 11.5 and 13.5 operators: the teams are 11 and 13 (each operator up to
    // there gains 66,000 or more, far beyond the noise), never over, and the tighter
    // budget's profit, on the same search replications, is the lower.
    let text = queue();
    let run = |people: f64| {
        search(
            &text,
            &["queue"],
            OptimiseRequest {
                budget: Some(PAY * people),
                ..OptimiseRequest::default()
            },
        )
    };
    let (tight, loose) = (run(11.5), run(13.5));
    for s in [&tight, &loose] {
        let t = &s.teams[0];
        assert!(
            t.staff_cost.mean <= s.budget,
            "{} over the budget {}",
            t.staff_cost.mean,
            s.budget
        );
        assert!(t.path.iter().all(|m| m.staff_cost <= s.budget));
    }
    assert_eq!(tight.teams[0].best[0][0], 11);
    assert_eq!(loose.teams[0].best[0][0], 13);
    // Both stop at the budget, not at the optimum (16): one operator more would pay.
    for s in [&tight, &loose] {
        let m = s.teams[0].binding.as_ref().expect("the budget binds");
        assert_eq!(m.what, "+1 operator");
    }
    // Equal replications (the same ones): the comparison of means is exact.
    assert_eq!(tight.teams[0].replications, loose.teams[0].replications);
    assert!(tight.teams[0].objective.mean <= loose.teams[0].objective.mean);
    // A budget below the smallest team is refused, naming the option.
    let request = Request {
        structures: Some(vec!["queue".into()]),
        replications: Some(Replications::Fixed(2)),
        ..Request::default()
    };
    let exp = Experiment::new(&text, &request).unwrap();
    let p = TeamProblem::new(
        &exp,
        &OptimiseRequest {
            budget: Some(PAY * 0.5),
            ..OptimiseRequest::default()
        },
    )
    .unwrap();
    let e = optimise(&exp, &p, &mut |_| {}).unwrap_err().to_string();
    assert!(
        e.contains("--budget") && e.contains("no team of queue fits"),
        "{e}"
    );
}

#[test]
fn each_best_team_earns_at_least_its_preset() {
    // The default scenario's first year (no warm-up), one-level and the lead-chopper
    // within 17,000 USD a month, which both presets fit (about 15,900 and 16,000 with
    // commissions). The search starts from them and takes only moves whose paired
    // interval is above zero: the best team's gain over the preset is positive, or
    // indistinguishable from none.
    let text = with_horizon(&scenario_text("default.toml"), 12);
    let s = search(
        &text,
        &["one_level", "lead_chopper"],
        OptimiseRequest {
            budget: Some(17_000.0),
            ..OptimiseRequest::default()
        },
    );
    assert_eq!(s.budget_source, "given");
    assert_eq!(s.teams.len(), 2);
    for t in &s.teams {
        assert!(
            !t.path.iter().any(|m| m.what.contains("over budget")),
            "{}: {:?}",
            t.variant,
            t.path
        );
        assert!(
            t.gain.high() >= 0.0,
            "{}: the best team loses {} ± {} against the preset",
            t.variant,
            t.gain.mean,
            t.gain.half
        );
        assert!(t.staff_cost.mean <= s.budget);
        // Every role of a structure keeps at least one person.
        assert!(t.best.iter().all(|r| r.iter().all(|&n| n >= 1)));
    }
}

#[test]
fn the_default_budget_is_the_baselines_preset_staff_cost() {
    // Without --budget, the budget is what one-level's preset team costs (pay and
    // commissions): one-level keeps
    // its six managers (a seventh is over budget, one fewer loses).
    let text = with_horizon(&scenario_text("default.toml"), 12);
    let s = search(&text, &["one_level"], OptimiseRequest::default());
    assert!(s.budget_source.contains("one_level"), "{}", s.budget_source);
    let t = &s.teams[0];
    assert_eq!(t.best, t.preset);
    assert!((t.staff_cost.mean - s.budget).abs() <= 1e-6 * s.budget);
    // The budget binds: a seventh manager would pay, and the answer says so.
    let m = t.binding.as_ref().expect("the budget binds");
    assert_eq!(m.what, "+1 manager");
    assert!(m.gain.low() > 0.0 && m.staff_cost > s.budget, "{m:?}");
}

#[test]
fn avoidable_losses_fill_the_budget() {
    // The fewest avoidable lost leads: every operator saves calls, so the search hires
    // up to the budget (12.5 operators' pay: 12).
    let s = search(
        &queue(),
        &["queue"],
        OptimiseRequest {
            objective: Some(TeamObjective::AvoidableLosses),
            budget: Some(PAY * 12.5),
            ..OptimiseRequest::default()
        },
    );
    let t = &s.teams[0];
    assert_eq!(t.best[0][0], 12, "{:?}", t.path);
    assert!(t.gain.low() > 0.0, "leads saved {:?}", t.gain);
}

#[test]
fn a_seasonal_role_follows_the_season_month_by_month() {
    // Two months of the queue: January at 100 calls an hour, February at 50. Asked to
    // treat operators as seasonal, the search refines each month after the constant
    // team: each month lands within one person of its own Erlang A optimum (16 and 9,
    // computed as in the first test; the months barely interact, a pure queue carries
    // only the calls waiting at midnight on January 31st).
    let text = queue()
        .replace("horizon_months = 1", "horizon_months = 2")
        .replace(
            "inbound_per_month = [74400, 67200,",
            "inbound_per_month = [74400, 33600,",
        );
    let optimum = |lambda: f64, calls: f64| {
        let profit = |n: u32| {
            let q = erlang_a(lambda, 12.0, n, 60.0, 20.0 / 3600.0);
            VALUE * calls * (1.0 - q.abandon) - PAY * f64::from(n)
        };
        (1..40)
            .max_by(|&a, &b| profit(a).total_cmp(&profit(b)))
            .unwrap()
    };
    let expected = [optimum(100.0, 74_400.0), optimum(50.0, 33_600.0)];
    let s = search(
        &text,
        &["queue"],
        OptimiseRequest {
            budget: Some(1e6),
            seasonal: vec!["operator".into()],
            // Fewer replications than the default: one person either way is allowed.
            replications: Some(20),
            max_replications: Some(80),
            ..OptimiseRequest::default()
        },
    );
    let t = &s.teams[0];
    for (m, (&found, &best)) in t.best[0].iter().zip(&expected).enumerate() {
        assert!(
            found.abs_diff(best) <= 1,
            "month {m}: {found} operators, optimum {best}; path {:?}",
            t.path
        );
    }
    assert!(
        t.path.iter().any(|m| m.what.contains(" in 2026-02")),
        "{:?}",
        t.path
    );
}

/// Every file of a results folder, by name (charts included).
fn files(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out = vec![];
    for sub in ["", "charts"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_file() {
                out.push((
                    format!("{sub}/{}", p.file_name().unwrap().to_string_lossy()),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn the_same_seed_gives_the_same_teams_and_bytes_on_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("queue.toml");
    std::fs::write(&scenario, queue()).unwrap();
    let mut outs = vec![];
    for threads in ["1", "2"] {
        let out = dir.path().join(format!("t{threads}"));
        let o = salesim()
            .env("RAYON_NUM_THREADS", threads)
            .arg("compare")
            .arg(&scenario)
            .args([
                "--optimise",
                "--budget",
                "108000/month",
                "--replications",
                "3",
            ])
            .args(["--search-replications", "10", "--quiet", "--out"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let stdout = String::from_utf8(o.stdout).unwrap();
        assert!(stdout.contains("best teams for the highest expected gross profit"));
        assert!(stdout.contains("operator 12"), "{stdout}");
        outs.push(files(&out));
    }
    let names: Vec<&str> = outs[0].iter().map(|(n, _)| n.as_str()).collect();
    for f in [
        "/teams.csv",
        "/search_path.csv",
        "/search.json",
        "/report.html",
    ] {
        assert!(names.contains(&f), "{f} missing: {names:?}");
    }
    assert_eq!(outs[0].len(), outs[1].len());
    for ((n, a), (_, b)) in outs[0].iter().zip(&outs[1]) {
        assert!(a == b, "{n} differs between 1 and 2 threads");
    }
    let page = String::from_utf8(
        outs[0]
            .iter()
            .find(|(n, _)| n == "/report.html")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    assert!(page.contains("The best team for each structure"));
    assert!(
        page.contains("+1 operator"),
        "the search's path is on the page"
    );
    // teams.csv: a row per role and month, the headcount searched and its pay.
    let teams = String::from_utf8(
        outs[0]
            .iter()
            .find(|(n, _)| n == "/teams.csv")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    let mut lines = teams.lines();
    assert_eq!(
        lines.next(),
        Some("structure,role,month,headcount,preset_headcount,searched,counted,pay_usd")
    );
    assert_eq!(
        lines.next(),
        Some("queue,operator,2026-01,12,10,1,1,108000")
    );
}

#[test]
fn a_search_killed_before_the_ranking_reports_its_best_teams_so_far() {
    // What the folder holds after a kill during the search: the scenario and the search's
    // files, written whole after each move, with `complete` false; no manifest.
    let dir = tempfile::tempdir().unwrap();
    let mut s = search(
        &queue(),
        &["queue"],
        OptimiseRequest {
            budget: Some(PAY * 11.5),
            ..OptimiseRequest::default()
        },
    );
    s.complete = false;
    s.teams[0].complete = false;
    salesim::report::folder::write_team_search(dir.path(), Default::default(), &s).unwrap();
    std::fs::write(dir.path().join("scenario.toml"), queue()).unwrap();
    let o = salesim().arg("report").arg(dir.path()).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let said = String::from_utf8(o.stdout).unwrap();
    assert!(said.contains("the team search was interrupted"), "{said}");
    let page = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(page.contains("The team search was interrupted"));
    assert!(page.contains("operator 11"));
}

#[test]
fn bad_requests_are_refused_with_their_option() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("queue.toml");
    std::fs::write(&scenario, queue()).unwrap();
    let out = dir.path().join("out");
    for (args, says) in [
        (
            vec!["--optimise", "revenue"],
            "--optimise: one of profit, avoidable-losses",
        ),
        (vec!["--budget", "5000"], "--budget: only with --optimise"),
        (
            vec!["--optimise", "--budget", "lots"],
            "--budget: a positive amount per month",
        ),
        (
            vec!["--optimise", "--roles", "manager"],
            "no structure compared has a role \"manager\"",
        ),
        (
            vec!["--optimise", "--shard", "1/2"],
            "--shard: a team search runs whole",
        ),
        (
            vec!["--optimise", "--set", "demand.scale=1,2"],
            "searches teams at one point",
        ),
        (
            vec!["--optimise", "--search-replications", "1"],
            "--search-replications: from 2",
        ),
        (
            vec![
                "--optimise",
                "--budget",
                "4000",
                "--search-replications",
                "4",
            ],
            "no team of queue fits",
        ),
    ] {
        let o = salesim()
            .arg("compare")
            .arg(&scenario)
            .args(&args)
            .args(["--replications", "2", "--out"])
            .arg(&out)
            .output()
            .unwrap();
        let err = String::from_utf8(o.stderr).unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    // The scenario's [optimise] table is checked with the file, each problem with its path.
    let bad = format!(
        "{}\n[optimise]\nobjective = \"revenue\"\nbudget_per_month = -1\n[optimise.limits.operator]\nmin = 5\nmax = 2\n",
        queue()
    );
    std::fs::write(&scenario, bad).unwrap();
    let o = salesim().arg("validate").arg(&scenario).output().unwrap();
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(o.status.code(), Some(2), "{err}");
    for path in [
        "optimise.objective",
        "optimise.budget_per_month",
        "optimise.limits.operator.min",
    ] {
        assert!(err.contains(path), "{path}: {err}");
    }
}

#[test]
fn an_optimise_table_searches_without_the_flag_and_presets_rank_the_presets() {
    // The scenario's [optimise] table asks for the search (its budget and replications
    // used); --presets ranks the preset teams and leaves no search files in the folder.
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("queue.toml");
    let text = format!(
        "{}\n[optimise]\nbudget_per_month = {}\nreplications = 10\n",
        queue(),
        PAY * 11.5
    );
    std::fs::write(&scenario, text).unwrap();
    let out = dir.path().join("out");
    let run = |extra: &[&str]| {
        let o = salesim()
            .arg("compare")
            .arg(&scenario)
            .args(["--replications", "2", "--quiet", "--no-report", "--out"])
            .arg(&out)
            .args(extra)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let searched = run(&[]);
    assert!(searched.contains("operator 11 "), "{searched}");
    assert!(out.join("teams.csv").exists());
    let presets = run(&["--presets"]);
    assert!(!presets.contains("best teams"), "{presets}");
    assert!(!out.join("teams.csv").exists() && !out.join("search.json").exists());
}
