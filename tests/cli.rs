//! The command line end to end: files written, messages, exit codes.

mod common;

use assert_cmd::Command;
use common::{scenario_path, scenario_text};

fn salesim() -> Command {
    Command::cargo_bin("salesim").unwrap()
}

/// Writes `text` as a scenario in a fresh folder and returns (folder, path).
fn scenario_file(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

/// Runs `validate` on `text` and returns (exit code, stderr).
fn validate(text: &str) -> (i32, String) {
    let (_dir, path) = scenario_file(text);
    let out = salesim().arg("validate").arg(&path).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn problems(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| l.starts_with("  "))
        .map(|l| l.trim().to_string())
        .collect()
}

/// `leads_arrived` of each row of a `monthly.csv`: the months, then the total.
fn leads_by_row(dir: &std::path::Path) -> Vec<f64> {
    let mut r = csv::Reader::from_path(dir.join("monthly.csv")).unwrap();
    let col = r
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "leads_arrived")
        .unwrap();
    r.records()
        .map(|row| row.unwrap()[col].parse().unwrap())
        .collect()
}

#[test]
fn run_totals_the_months_after_the_warm_up() {
    // The default's first 12 months are a warm-up: the total line and row are the sum
    // of the other 24; --warmup-months 0 counts them all; a warm-up of the whole
    // horizon is refused with its field.
    for (flag, first) in [(None, 12), (Some("0"), 0)] {
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = salesim();
        cmd.args(["run", "--out"]).arg(dir.path());
        if let Some(k) = flag {
            cmd.args(["--warmup-months", k]);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success());
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(stdout.contains("2026-01~"), first > 0, "{stdout}");
        let rows = leads_by_row(dir.path());
        assert_eq!(rows.len(), 37);
        let sum: f64 = rows[first..36].iter().sum();
        assert_eq!(rows[36], sum, "warm-up {first}");
    }
    let out = salesim()
        .args(["run", "--warmup-months", "36", "--out"])
        .arg(tempfile::tempdir().unwrap().path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("experiment.warmup_months (or --warmup-months): a warm-up of 36 months leaves nothing of a 36-month horizon"),
        "{err}"
    );
}

#[test]
fn run_default_writes_monthly_csv() {
    let dir = tempfile::tempdir().unwrap();
    let out = salesim()
        .args(["run", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("one_level") && stdout.contains("total"),
        "{stdout}"
    );
    let csv = std::fs::read_to_string(dir.path().join("monthly.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + 36 + 1, "header, 36 months, total");
    assert!(lines[0].starts_with("month,month_start,structure,leads_arrived,"));
    assert!(lines[0].contains("revenue_usd") && lines[0].contains("utilisation_manager_share"));
    assert!(lines[37].starts_with("total,,one_level,"));
    let cols = lines[0].split(',').count();
    assert!(
        lines.iter().all(|l| l.split(',').count() == cols),
        "ragged rows"
    );
    // No temporary file is left behind.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("monthly.csv")]);
}

#[test]
fn run_is_deterministic_and_takes_structure_and_seed() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for d in [&a, &b] {
        salesim()
            .args(["run"])
            .arg(scenario_path("roofing_seasonal.toml"))
            .args(["--structure", "conveyor", "--seed", "99", "--out"])
            .arg(d.path())
            .assert()
            .success();
    }
    let read = |d: &tempfile::TempDir| std::fs::read(d.path().join("monthly.csv")).unwrap();
    assert_eq!(read(&a), read(&b));
}

#[test]
fn unknown_structure_is_bad_input() {
    let out = salesim()
        .args([
            "run",
            "--structure",
            "pyramid",
            "--out",
            "/nonexistent-never",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("no structure named \"pyramid\"") && err.contains("conveyor"),
        "{err}"
    );
}

#[test]
fn missing_scenario_file_is_bad_input() {
    let out = salesim()
        .args(["validate", "/no/such/file.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("cannot read /no/such/file.toml"));
}

#[test]
fn a_task_longer_than_the_horizon_ends_the_run_on_time() {
    // A care contact of 1e308 minutes is still a number; the person on it works to the
    // end of the horizon and no further (the walk through the calendar once went on for
    // ever). Each structure runs in well under a second; the timeout only stops a hang.
    let text = scenario_text("default.toml").replace("care_minutes = 20 ", "care_minutes = 1e308 ");
    assert!(text.contains("care_minutes = 1e308"));
    let (dir, path) = scenario_file(&text);
    for s in ["one_level", "conveyor"] {
        salesim()
            .arg("run")
            .arg(&path)
            .args(["--structure", s, "--out"])
            .arg(dir.path().join(s))
            .timeout(std::time::Duration::from_secs(120))
            .assert()
            .success();
    }
}

#[test]
fn unwritable_output_is_a_failure_not_a_panic() {
    let (dir, _) = scenario_file("x");
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "").unwrap();
    let out = salesim()
        .args(["run", "--out"])
        .arg(blocker.join("sub"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("cannot create folder"));
}

#[test]
fn every_shipped_scenario_validates() {
    for entry in std::fs::read_dir(scenario_path("")).unwrap() {
        let path = entry.unwrap().path();
        salesim().arg("validate").arg(&path).assert().success();
    }
}

#[test]
fn structures_lists_roles_and_work() {
    let out = salesim().arg("structures").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for s in [
        "one_level",
        "assistant",
        "lead_chopper",
        "two_level",
        "conveyor",
        "call_centre x2",
        "owns deals",
        "1. inbound_call",
    ] {
        assert!(text.contains(s), "missing {s:?} in\n{text}");
    }
}

#[test]
fn init_writes_a_valid_scenario_and_will_not_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.toml");
    salesim().arg("init").arg(&path).assert().success();
    salesim().arg("validate").arg(&path).assert().success();
    let out = salesim().arg("init").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    salesim()
        .arg("init")
        .arg(&path)
        .arg("--force")
        .assert()
        .success();
}

#[test]
fn malformed_toml() {
    let (code, err) = validate("name = \"x\"\nhorizon_months = [1,\n");
    assert_eq!(code, 2);
    assert!(
        err.contains("1 problem in the scenario") && err.contains("not valid TOML"),
        "{err}"
    );
}

#[test]
fn every_problem_is_reported_at_once_with_its_path() {
    let text = scenario_text("default.toml")
        .replace("horizon_months = 36 ", "horizon_months = 500 ")
        .replace("phone_share = 0.5 ", "phone_share = \"half\" ")
        .replace("callback_share = 0.25 ", "callback_share = 1.5 ")
        .replace(
            "seasonality = [1.0, 1.0, 1.5, ",
            "seasonality = [1.0, 1.5, ",
        )
        .replace("share = 0.70 ", "share = 0.60 ")
        .replace("max_attempts = 6 ", "max_attempts = 6\ncolour = \"blue\" ")
        .replace("annual_churn = 0.25 ", "annual_churn = -0.25 ")
        .replace(
            "patience_seconds = { dist = \"exponential\", mean = 60 }",
            "patience_seconds = { dist = \"exponential\", mean = inf }",
        );
    let (code, err) = validate(&text);
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        problems(&err),
        vec![
            "horizon_months: must be a whole number from 1 to 120, found 500",
            "demand.seasonality: expected 12 values (January..December) or 12 (one per month of the horizon), found 11",
            "demand.phone_share: expected a number, found a string",
            "response.colour: unknown field; expected one of: patience_seconds, callback_share, missed_call_log_share, redial_share, redial_minutes, service_level_seconds, decay, max_attempts, reach_probability, attempt_minutes, attempt_spacing_minutes",
            "response.patience_seconds.mean: must be a finite number, found inf",
            "response.callback_share: must be a share between 0 and 1, found 1.5",
            "segments[].share: shares must sum to 1, found 0.9",
            "clients.annual_churn: must be between 0 and 0.999, found -0.25",
        ],
        "{err}"
    );
}

#[test]
fn month_list_of_the_wrong_length_and_wrong_types() {
    let text = scenario_text("default.toml")
        .replace(
            "seasonality = [1.0, 1.0, 1.5, ",
            "seasonality = [1.0, 1.5, ",
        )
        .replace("phone_share = 0.5 ", "phone_share = \"half\" ");
    let (code, err) = validate(&text);
    assert_eq!(code, 2);
    assert_eq!(
        problems(&err),
        vec![
            "demand.seasonality: expected 12 values (January..December) or 36 (one per month of the horizon), found 11",
            "demand.phone_share: expected a number, found a string",
        ],
        "{err}"
    );
}

#[test]
fn a_structure_with_nobody_for_required_work() {
    let text = format!(
        "{}\n[structures.conveyor.roles.hunter]\nworks = [\"deal_touch\", \"contract\"]\n\n[structures.conveyor.roles.call_centre]\nworks = [\"lead_call\"]\n",
        scenario_text("default.toml")
    );
    let (code, err) = validate(&text);
    assert_eq!(code, 2);
    assert_eq!(
        problems(&err),
        vec!["structures.conveyor: nobody does inbound_call, but phone leads arrive; add it to some role's works"],
        "{err}"
    );
}

#[test]
fn unknown_role_kind_and_unstaffed_owner() {
    let text = format!(
        "{}\n[roles.manger]\nsalary_per_month = 1\n\n[structures.two_level.roles.hunter]\nworks = [\"deal_touch\", \"telepathy\"]\n\n[structures.two_level.roles.farmer]\ncount = [1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n",
        scenario_text("default.toml")
    );
    let (code, err) = validate(&text);
    assert_eq!(code, 2);
    assert_eq!(
        problems(&err),
        vec![
            "structures.two_level.roles.hunter.works[1]: unknown kind of work \"telepathy\"; expected one of: inbound_call, lead_call, deal_touch, contract, order_entry, collection, client_call, care, reactivation, preparation, prospecting",
            "roles.manger: no structure has a role of this name",
            "structures.two_level.roles.farmer.count: the client_owner role needs at least one person in every month; month 3 has none",
        ],
        "{err}"
    );
}

#[test]
fn due_work_fields_are_checked_all_at_once() {
    // Windows positive and finite, shares and chances in [0, 1], kinds with a due time,
    // a season that is a season, and a collection share only where someone collects.
    let text = scenario_text("default.toml")
        .replace("order_entry_due_days = 1 ", "order_entry_due_days = 0 ")
        .replace("contract_due_days = 2 ", "contract_due_days = inf ")
        .replace("collected_share = 0.5 ", "collected_share = 1.5 ")
        .replace("collection_window_days = 10 ", "collection_window_days = -1 ")
        .replace(
            "reorder_season = \"demand\"                                     # 13.3\ncollected_share = 0.8",
            "reorder_season = \"summer\"\ncollected_share = 0.8",
        )
        .replace("lapse_after_failure = 0.1 ", "lapse_after_failure = 1 ")
        .replace(
            "overdue_first = [\"contract\", \"order_entry\", \"collection\", \"client_call\"]",
            "overdue_first = [\"contract\", \"prospecting\"]",
        );
    let (code, err) = validate(&text);
    assert_eq!(code, 2, "{err}");
    let got = problems(&err);
    for want in [
        "segments[0].collected_share: must be a share between 0 and 1, found 1.5",
        "segments[1].collection_window_days: must be between 0.001 and 365, found -1",
        "segments[2].reorder_season: unknown season \"summer\"; expected \"demand\", \"none\" or 12 multipliers, January first",
        "paperwork.contract_due_days: must be a finite number, found inf",
        "paperwork.order_entry_due_days: must be between 0.001 and 365, found 0",
        "clients.lapse_after_failure: must be between 0 and 0.999, found 1",
        "work.overdue_first[1]: \"prospecting\" has no due time; expected one of: contract, order_entry, collection, client_call, care, reactivation",
    ] {
        assert!(got.iter().any(|p| p == want), "missing {want:?} in {got:#?}");
    }
    assert_eq!(got.len(), 7, "{got:#?}");
    // Who does the work is checked once the fields are valid.
    let farmer = "\n[structures.two_level.roles.farmer]\nworks = [\"client_call\", \"care\", \"order_entry\", \"reactivation\"]\n";
    let (code, err) = validate(&format!("{}{farmer}", scenario_text("default.toml")));
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        problems(&err),
        vec!["structures.two_level.client_owner: farmer does not do collection, but a segment's collected_share is above 0 (its orders wait for a call)"]
    );
}

#[test]
fn hours_and_channel_fields_are_checked_all_at_once() {
    // Profiles of the right length, shares in [0, 1], a break window that is a window,
    // inside the working hours, and long enough for a break; hand-off factors in (0, 1].
    let text = scenario_text("default.toml")
        .replace(
            "phone_weekday_weights = [22, 21, 19, 19, 16, 2, 1]",
            "phone_weekday_weights = [22, 21]",
        )
        .replace(
            "missed_call_log_share = 0.9 ",
            "missed_call_log_share = 1.5 ",
        )
        .replace("redial_share = 0.15 ", "redial_share = -0.1 ")
        .replace("decay = \"b2b\" ", "decay = \"b2c\" ")
        .replace(
            "break_window = \"12:00-15:00\"",
            "break_window = \"15:00-12:00\"",
        )
        .replace("handoff_win_factor = 0.95", "handoff_win_factor = 1.5");
    let (code, err) = validate(&text);
    assert_eq!(code, 2, "{err}");
    let got = problems(&err);
    for want in [
        "demand.phone_weekday_weights: expected 7 values, found 2",
        "response.missed_call_log_share: must be a share between 0 and 1, found 1.5",
        "response.redial_share: must be a share between 0 and 1, found -0.1",
        "response.decay: unknown preset \"b2c\"; expected b2b, mild, severe, extreme, none, or a list of [minutes, factor] points",
        "calendar.break_window: expected a window like \"12:00-15:00\" (start before end), found \"15:00-12:00\"",
        "structures.lead_chopper.handoff_win_factor: must be between 0.01 and 1, found 1.5",
        "structures.conveyor.handoff_win_factor: must be between 0.01 and 1, found 1.5",
    ] {
        assert!(got.iter().any(|p| p == want), "missing {want:?} in {got:#?}");
    }
    // A window outside the hours, or shorter than a break, is named with its role.
    let text = scenario_text("default.toml").replace(
        "break_window = \"12:00-15:00\"",
        "break_window = \"17:00-19:00\"",
    );
    let (code, err) = validate(&text);
    assert_eq!(code, 2, "{err}");
    assert!(
        problems(&err).iter().any(|p| p.starts_with(
            "structures.one_level.roles.manager.break_window: must lie within one working period"
        )),
        "{err}"
    );
    let text = scenario_text("default.toml").replace("break_minutes = 60 ", "break_minutes = 240 ");
    let (code, err) = validate(&text);
    assert_eq!(code, 2, "{err}");
    assert!(
        problems(&err).iter().any(|p| p == "structures.one_level.roles.manager.break_minutes: a break of 240 minutes does not fit in its window of 180 minutes"),
        "{err}"
    );
}

#[test]
fn completions_and_the_manual_page_cover_every_command() {
    let commands = [
        "run",
        "compare",
        "sweep",
        "merge",
        "staff",
        "chart",
        "report",
        "validate",
        "structures",
        "init",
        "completions",
        "man",
    ];
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = salesim().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8(out.stdout).unwrap();
        for c in commands {
            assert!(text.contains(c), "{shell}: no {c} in the completions");
        }
        if shell == "bash" {
            // The script is valid bash (parsed, not run).
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("salesim.bash");
            std::fs::write(&path, &text).unwrap();
            let status = std::process::Command::new("bash")
                .arg("-n")
                .arg(&path)
                .status()
                .unwrap();
            assert!(status.success(), "bash -n refuses the completion script");
        }
    }
    let out = salesim().arg("man").output().unwrap();
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(
        page.starts_with(".ie") && page.contains(".TH salesim 1"),
        "{page}"
    );
    for c in commands {
        assert!(page.contains(c), "no {c} in the manual page");
    }
    let (code, err) = {
        let out = salesim().args(["completions", "tcsh"]).output().unwrap();
        (out.status.code(), String::from_utf8(out.stderr).unwrap())
    };
    assert_eq!(code, Some(2));
    assert!(
        err.contains("possible values: bash, elvish, fish, powershell, zsh"),
        "{err}"
    );
}
