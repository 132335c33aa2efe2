//! Seasonal staffing: the search against Erlang A on a pure queue, the plan against the
//! season and a constant headcount, the profit objective against the scenario's own
//! staffing, and the messages for what cannot be done.

mod common;

use assert_cmd::Command;
use salesim::experiment::staffing::{self, StaffRequest, StaffingProblem, StaffingResult};

fn search(text: &str, req: &StaffRequest) -> StaffingResult {
    let p = StaffingProblem::new(text, req).unwrap_or_else(|e| panic!("{e}"));
    staffing::run(&p, &mut |_| {}).unwrap_or_else(|e| panic!("{e}"))
}

fn role(name: &str) -> Vec<String> {
    vec![name.to_string()]
}

/// The pure queue of `erlang_a.toml` (100 calls an hour around the clock, 5-minute
/// calls, 1-minute patience) over two months: the simulated plan equals the Erlang A
/// staffing, within one operator, for a loss target and a service-level target.
#[test]
fn on_a_pure_queue_the_plan_is_erlang_a() {
    let text =
        common::scenario_text("erlang_a.toml").replace("horizon_months = 1", "horizon_months = 2");
    for target in ["lost<=0.05", "service>=0.8@20s"] {
        let r = search(
            &text,
            &StaffRequest {
                roles: role("operator"),
                target: Some(target.into()),
                ..Default::default()
            },
        );
        for m in 0..2 {
            let (plan, erlang) = (r.plan[0][m], r.erlang[0][m]);
            assert!(
                plan.abs_diff(erlang) <= 1,
                "{target}, month {m}: plan {plan}, Erlang A {erlang}"
            );
        }
        // And the plan meets the target with 95% confidence, one fewer does not.
        assert!(r.alternatives[0].meets_target);
    }
}

fn roofing() -> String {
    common::scenario_text("roofing_seasonal.toml")
}

/// On the roofing case the call centre's plan follows the season and costs less than the
/// smallest constant headcount that meets the same target. The target is 15% lost: about
/// 11% of calls come when nobody works (evenings, nights), so 5% is out of reach there.
/// The case is cut to its warm-up year and one year planned after it.
#[test]
fn the_roofing_plan_follows_the_season_and_beats_a_constant_headcount() {
    let r = search(
        &common::with_horizon(&roofing(), 24),
        &StaffRequest {
            roles: role("call_centre"),
            target: Some("lost<=0.15".into()),
            // The scenario's own [staffing] table sets a 5-week lead time; plan every month.
            lead_time_weeks: Some(0.0),
            max_replications: Some(80),
            ..Default::default()
        },
    );
    // The warm-up year keeps the scenario's staffing; the second is planned.
    assert_eq!(r.fixed, [vec![true; 12], vec![false; 12]].concat());
    let plan = &r.plan[0][12..];
    let peak = plan[4..8].iter().min().unwrap(); // May-August
    let winter = [plan[0], plan[1], plan[11]].into_iter().max().unwrap();
    assert!(
        peak > &winter,
        "peak months {:?} vs winter {winter}: {plan:?}",
        &plan[4..8]
    );
    let constant = &r.alternatives[1];
    assert!(constant.meets_target);
    // The constant costs more, and the paired interval of the difference says so.
    assert!(
        constant.cost_vs_plan.low() > 0.0,
        "constant minus plan: {:?}",
        constant.cost_vs_plan
    );
    assert!(r.alternatives[0].meets_target);
    for (m, row) in r.rows.iter().enumerate().skip(12) {
        assert!(row.lost.high() <= 0.15, "month {m}: {:?}", row.lost);
    }
    // The totals leave the warm-up out: the plan's cost and profit are its planned
    // months' (sums of means over the same replications, equal up to rounding).
    let planned = |f: fn(&salesim::experiment::staffing::MonthRow) -> f64| -> f64 {
        r.rows[12..].iter().map(f).sum()
    };
    let whole = &r.alternatives[0];
    assert!((whole.cost.mean - planned(|row| row.cost.mean)).abs() < 1e-6 * whole.cost.mean);
    // The plan's profit is net of its change cost.
    let profit = whole.profit.mean + whole.change_cost;
    assert!((profit - planned(|row| row.profit.mean)).abs() < 1e-9 * profit.abs());
}

/// The profit objective starts from the scenario's own staffing and only takes moves that
/// are surely better, so the scenario's staffing is never surely better than the plan.
#[test]
fn the_profit_plan_is_never_worse_than_the_scenarios_own() {
    let text = common::with_horizon(&roofing(), 6);
    let r = search(
        &text,
        &StaffRequest {
            roles: role("call_centre"),
            profit: true,
            max: Some(5),
            ..Default::default()
        },
    );
    let own = &r.alternatives[2];
    assert_eq!(own.name, "scenario's own staffing");
    assert!(
        own.profit_vs_plan.low() <= 0.0,
        "the scenario's own staffing beats the plan: {:?}",
        own.profit_vs_plan
    );
}

#[test]
fn a_hiring_lead_time_keeps_the_first_months() {
    let r = search(
        &common::with_horizon(&roofing(), 5),
        &StaffRequest {
            roles: role("call_centre"),
            target: Some("lost<=0.2".into()),
            lead_time_weeks: Some(6.0),
            max_replications: Some(40),
            ..Default::default()
        },
    );
    // Six weeks from 1 January: January and February start before the people arrive.
    assert_eq!(r.fixed, vec![true, true, false, false, false]);
    assert_eq!(&r.plan[0][..2], &[0, 0], "kept as the scenario staffs them");
}

fn salesim() -> Command {
    Command::cargo_bin("salesim").unwrap()
}

fn fails(args: &[&str], message: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let out = salesim()
        .arg("staff")
        .args(args)
        .arg("--out")
        .arg(tmp.path())
        .arg("--quiet")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(
        stderr.contains(message),
        "{args:?}: {stderr:?} lacks {message:?}"
    );
    for file in ["staffing.csv", "staffing.json"] {
        assert!(!tmp.path().join(file).exists(), "{args:?} wrote {file}");
    }
}

#[test]
fn what_cannot_be_done_is_said_with_exit_code_2() {
    let roofing = common::scenario_path("roofing_seasonal.toml");
    let sc = roofing.to_str().unwrap();
    fails(
        &[sc, "--role", "janitor"],
        "conveyor has no role \"janitor\"; its roles are call_centre, hunter, farmer",
    );
    // The built-in scenario has no [staffing] table naming a role.
    fails(&[], "--role: name the role to staff");
    fails(
        &[sc, "--role", "call_centre", "--structure", "nope"],
        "no structure named \"nope\"",
    );
    // A month that even the maximum cannot bring to the target is named, with what it
    // reaches there.
    fails(
        &[sc, "--role", "call_centre", "--target", "lost<=0.05", "--lead-time-weeks", "0", "--max", "2", "--max-replications", "20"],
        "unreachable target (at most 5.0% of phone leads lost unanswered): with call_centre at the maximum of 2 people, 2027-05 reaches",
    );
    fails(
        &[sc, "--role", "call_centre", "--min", "5", "--max", "2"],
        "contradictory constraints: the minimum headcount 5 is above the maximum 2",
    );
    fails(
        &[sc, "--role", "call_centre", "--lead-time-weeks", "160"],
        "leave no month of the horizon to plan",
    );
    fails(
        &[sc, "--role", "call_centre", "--min-contract-months", "37"],
        "longer than the 36-month horizon",
    );
    fails(
        &[sc, "--role", "call_centre", "--target", "lost<=5"],
        "the share must be between 0 and 1",
    );
    fails(
        &[sc, "--role", "call_centre", "--target", "fast"],
        "expected lost<=SHARE",
    );
    fails(
        &[sc, "--role", "call_centre", "--objective", "fun"],
        "--objective `fun`",
    );
    fails(
        &[sc, "--role", "call_centre", "--max-replications", "0"],
        "--max-replications: from --replications (20) to 100000 per plan, found 0",
    );
    fails(
        &[
            sc,
            "--role",
            "call_centre",
            "--replications",
            "40",
            "--max-replications",
            "30",
        ],
        "--max-replications: from --replications (40) to 100000 per plan, found 30",
    );
    fails(
        &[
            sc,
            "--role",
            "call_centre",
            "--target",
            "lost<=0.2",
            "--budget",
            "100",
            "--max-replications",
            "20",
        ],
        "above the budget of 100",
    );
}

#[test]
fn staff_writes_the_plan_the_comparison_the_chart_and_the_page() {
    let tmp = tempfile::tempdir().unwrap();
    let text = common::scenario_text("erlang_a.toml");
    let sc = tmp.path().join("queue.toml");
    std::fs::write(&sc, text).unwrap();
    let out = tmp.path().join("out");
    let assert = salesim()
        .arg("staff")
        .arg(&sc)
        .args(["--role", "operator", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(stdout.contains("replications per plan"), "{stdout}");
    let plan = std::fs::read_to_string(out.join("staffing.csv")).unwrap();
    let header = plan.lines().next().unwrap();
    assert!(header.starts_with("month,headcount_operator,erlang_a_operator,fixed,inbound_leads,lost_share,lost_ci95_low,lost_ci95_high"), "{header}");
    assert_eq!(plan.lines().count(), 2, "a header and one month");
    let cmp = std::fs::read_to_string(out.join("staffing_comparison.csv")).unwrap();
    for name in [
        "seasonal plan",
        "best constant headcount",
        "scenario's own staffing",
    ] {
        assert!(cmp.contains(name), "{cmp}");
    }
    let svg = std::fs::read_to_string(out.join("charts/staffing.svg")).unwrap();
    roxmltree::Document::parse(&svg).expect("well-formed SVG");
    assert!(svg.contains("Staffing plan for operator") && svg.contains("Erlang A estimate"));
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(&page, opts).expect("well-formed page");
    assert!(doc
        .descendants()
        .any(|n| n.attribute("id") == Some("chart-staffing")));
    assert!(!page.contains("id=\"interim\""), "a finished search");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("staffing.json")).unwrap()).unwrap();
    assert_eq!(json["result"]["complete"], true);
    assert_eq!(json["salesim_version"], env!("CARGO_PKG_VERSION"));

    // The chart and the page are drawn again from the folder alone, byte for byte.
    let drawn = ["report.html", "charts/staffing.svg", "charts/staffing.png"]
        .map(|f| std::fs::read(out.join(f)).unwrap());
    std::fs::remove_dir_all(out.join("charts")).unwrap();
    std::fs::remove_file(out.join("report.html")).unwrap();
    let assert = salesim().arg("report").arg(&out).assert().success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(stdout.contains("wrote 1 chart (SVG and PNG)"), "{stdout}");
    assert!(!stdout.contains("interrupted"), "{stdout}");
    for (f, bytes) in ["report.html", "charts/staffing.svg", "charts/staffing.png"]
        .iter()
        .zip(&drawn)
    {
        assert!(std::fs::read(out.join(f)).unwrap() == *bytes, "{f} differs");
    }
    let svg = tmp.path().join("one.svg");
    salesim()
        .arg("chart")
        .arg(&out)
        .args(["--kind", "staffing", "--out"])
        .arg(&svg)
        .assert()
        .success();
    assert!(std::fs::read(&svg).unwrap() == drawn[1]);
    // The experiment charts are not a staffing folder's.
    let run = salesim()
        .arg("chart")
        .arg(&out)
        .args(["--kind", "revenue"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr)
        .contains("holds a staffing plan, whose chart is --kind staffing"));
}

/// A finished search's folder (the pure queue: under a second), for the tests below.
fn staffed(dir: &std::path::Path) {
    salesim()
        .arg("staff")
        .arg(common::scenario_path("erlang_a.toml"))
        .args(["--role", "operator", "--quiet", "--out"])
        .arg(dir)
        .assert()
        .success();
}

/// `salesim report DIR` fails with exit code 2 and `message`, writing nothing.
fn report_fails(dir: &std::path::Path, message: &str) {
    let out = salesim().arg("report").arg(dir).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(message), "{stderr:?} lacks {message:?}");
    assert!(!dir.join("charts").exists() && !dir.join("report.html").exists());
}

#[test]
fn a_staffing_file_that_is_not_this_versions_result_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    staffed(dir);
    let path = dir.join("staffing.json");
    let good: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut cases = vec![];
    cases.push((
        "{ not json".to_string(),
        "staffing.json: not a salesim staffing result",
    ));
    let mut v = good.clone();
    v["salesim_version"] = "0.0.1".into();
    v["result"]["renamed_field"] = 1.into();
    cases.push((v.to_string(), "written by salesim 0.0.1"));
    let mut v = good.clone();
    v["result"]["rows"][0]["lost"]["mean"] = "lots".into();
    cases.push((
        v.to_string(),
        "`lots`: a number, \"NaN\", \"inf\" or \"-inf\"",
    ));
    let mut v = good.clone();
    v["result"]["plan"][0] = serde_json::json!([1, 2]);
    cases.push((
        v.to_string(),
        "every plan needs a headcount per role (1) and month (1)",
    ));
    // Without its chart and page, so that anything a refused report writes shows.
    std::fs::remove_dir_all(dir.join("charts")).unwrap();
    std::fs::remove_file(dir.join("report.html")).unwrap();
    for (text, message) in cases {
        std::fs::write(&path, text).unwrap();
        report_fails(dir, message);
    }
}

#[test]
fn non_finite_figures_survive_the_staffing_file() {
    // A month without calls has no lost share (NaN), and one replication has no
    // interval: the file says so, and reads back as it was.
    let text = common::scenario_text("erlang_a.toml");
    let mut r = search(
        &text,
        &StaffRequest {
            roles: role("operator"),
            ..Default::default()
        },
    );
    r.rows[0].lost.mean = f64::NAN;
    r.rows[0].lost.half = f64::INFINITY;
    r.rows[0].speed.half = f64::NEG_INFINITY;
    let bytes = salesim::report::staffing::json(&r);
    let back = salesim::report::staffing::parse("dir", std::str::from_utf8(&bytes).unwrap())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(back.rows[0].lost.mean.is_nan());
    assert_eq!(back.rows[0].lost.half, f64::INFINITY);
    assert_eq!(back.rows[0].speed.half, f64::NEG_INFINITY);
    assert_eq!(back.rows[0].service, r.rows[0].service);
    assert_eq!(back.plan, r.plan);
    assert!(salesim::report::staffing::json(&back) == bytes);
}

#[test]
fn a_killed_search_leaves_its_best_plan_to_report() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("staff");
    // An earlier search's answer in the folder...
    staffed(&dir);
    // ...then the roofing search (seconds of work: 36 months, up to 320 replications a
    // plan), killed as soon as it has written an interim plan (polled every 10 ms).
    let scenario = common::scenario_path("roofing_seasonal.toml");
    let interim = || {
        let text = std::fs::read_to_string(dir.join("staffing.json")).ok()?;
        let v: serde_json::Value = serde_json::from_str(&text).expect("replaced whole");
        Some(v["result"]["complete"] == false)
    };
    let args = ["staff", scenario.to_str().unwrap()];
    common::kill_when(&args, &dir, 300, || interim() == Some(true));
    // The earlier answer's comparison, chart and page are gone: nothing mixes the two.
    for f in [
        "staffing_comparison.csv",
        "charts/staffing.svg",
        "charts/staffing.png",
        "report.html",
    ] {
        assert!(!dir.join(f).exists(), "{f} left from the earlier search");
    }
    let plan = std::fs::read_to_string(dir.join("staffing.csv")).unwrap();
    assert_eq!(plan.lines().count(), 37, "a header and 36 months");
    let assert = salesim().arg("report").arg(&dir).assert().success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(
        stdout.contains(
            "the staffing search was interrupted: the report shows the best plan it had found"
        ),
        "{stdout}"
    );
    let page = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(page.contains("id=\"interim\""));
    assert!(page.contains("id=\"plan\""));
    assert!(
        !page.contains("id=\"comparison\""),
        "an interim plan is compared with nothing"
    );
    let svg = std::fs::read_to_string(dir.join("charts/staffing.svg")).unwrap();
    assert!(svg.contains("Interim plan: the search was interrupted."));
}

/// The `[staffing]` table is read like the rest of the scenario: every problem at once,
/// each with its path.
#[test]
fn every_problem_of_the_staffing_table_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let text = common::scenario_text("roofing_seasonal.toml")
        .replace("max = 10 ", "max = 2.5 ")
        .replace(
            "lead_time_weeks = 5 ",
            "lead_time_weeks = -1\ncolour = \"red\" ",
        );
    let sc = tmp.path().join("bad.toml");
    std::fs::write(&sc, text).unwrap();
    for message in [
        "3 problems in the scenario:",
        "staffing.colour: unknown field; expected one of: role, roles, structure, target",
        "staffing.max: a whole number of people, found 2.5",
        "staffing.lead_time_weeks: must be between 0 and 520, found -1",
    ] {
        fails(&[sc.to_str().unwrap()], message);
    }
}
