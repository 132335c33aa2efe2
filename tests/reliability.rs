//! The reproducers of the fuzzing and fault-injection campaign (tests/fixtures/reliability,
//! copied from shared/reliability), each with the outcome it must have now: a refusal
//! with exit code 2 that names the field and the rule, never a panic, a hang, an
//! exhausted memory or a silently wrong number.

mod common;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/reliability")
        .join(name)
        .display()
        .to_string()
}

/// Runs `salesim ARGS` (output under a temporary folder) and returns its exit code and
/// standard error; fails the test if it runs longer than `limit`.
fn salesim(args: &[&str], limit: Duration) -> (i32, String) {
    let tmp = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_salesim"))
        .args(args)
        .current_dir(tmp.path())
        .env("RAYON_NUM_THREADS", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
            return (status.code().unwrap_or(-1), err);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("{args:?}: still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `salesim ARGS` exits 2 within 60 s, with every `wants` in its message.
fn refused(args: &[&str], wants: &[&str]) {
    let (code, err) = salesim(args, Duration::from_secs(60));
    assert_eq!(code, 2, "{args:?}: {err}");
    for w in wants {
        assert!(err.contains(w), "{args:?}: {err:?} lacks {w:?}");
    }
}

#[test]
fn a_variant_or_sweep_point_with_its_own_calendar_or_currency_is_refused() {
    let one = fixture("panic_variant_horizon1.toml");
    refused(
        &[
            "compare",
            &one,
            "--structures",
            "one_level,short",
            "--replications",
            "2",
        ],
        &["variant short: horizon_months is 1, the scenario's is 12"],
    );
    let longer = fixture("wrong_total_variant_horizon24.toml");
    refused(
        &[
            "compare",
            &longer,
            "--structures",
            "one_level,short",
            "--replications",
            "2",
        ],
        &["variant short: horizon_months is 24"],
    );
    let later = fixture("mislabel_variant_start.toml");
    refused(
        &[
            "compare",
            &later,
            "--structures",
            "one_level,later",
            "--replications",
            "2",
        ],
        &["variant later: start is 2030-07-01, the scenario's is 2026-01-01"],
    );
    let eur = fixture("mislabel_variant_currency.toml");
    refused(
        &[
            "compare",
            &eur,
            "--structures",
            "one_level,eur",
            "--replications",
            "2",
        ],
        &["variant eur: currency is eur, the scenario's is usd"],
    );
    let default = common::scenario_path("default.toml");
    let default = default.to_str().unwrap();
    refused(
        &[
            "compare",
            default,
            "--set",
            "horizon_months=6",
            "--replications",
            "2",
        ],
        &["horizon_months = 6: horizon_months is 6"],
    );
    refused(
        &[
            "sweep",
            default,
            "--set",
            "horizon_months=6,12",
            "--replications",
            "2",
        ],
        &["horizon_months = 6: horizon_months is 6"],
    );
    // The same files validate no more: `validate` checks what `compare` runs.
    refused(&["validate", &one], &["variant short: horizon_months is 1"]);
}

#[test]
fn tenures_of_no_time_are_refused_and_cannot_spin_the_clock() {
    for f in [
        "hang_tenure0_fill0.toml",
        "hang_tenure0_fill1e-9.toml",
        "hang_tenure_exp_1e-12.toml",
    ] {
        let f = fixture(f);
        refused(
            &["validate", &f],
            &["roles.manager.tenure_months: a mean tenure of at least a day"],
        );
        refused(&["run", &f, "--structure", "assistant"], &["tenure_months"]);
    }
    // A valid tenure whose draws come near zero (a day on average, from 0 to 2 days)
    // with vacancies filled at once: every leaver stays at least a minute, so the year
    // ends. Six managers leaving about daily make ~2,200 leavers: far from a hang, but
    // each minute-long stay must pass before the next.
    let tmp = tempfile::tempdir().unwrap();
    let text = common::scenario_text("default.toml").replace(
        "[roles.manager]",
        "[roles.manager]\ntenure_months = { dist = \"uniform\", min = 0, max = 0.0658 }\ntime_to_fill_days = 0",
    );
    let sc = tmp.path().join("churny.toml");
    std::fs::write(&sc, text).unwrap();
    let (code, err) = salesim(
        &["run", sc.to_str().unwrap(), "--structure", "one_level"],
        Duration::from_secs(60),
    );
    assert_eq!(code, 0, "{err}");
}

#[test]
fn sizes_beyond_what_a_machine_runs_are_refused_by_name() {
    refused(
        &["validate", &fixture("oom_reorder_days_1e-6.toml")],
        &["segments[0].reorder_days: must have a mean of at least 1 day"],
    );
    refused(
        &["validate", &fixture("oom_initial_active_10M.toml")],
        &["clients.initial_active: must be a whole number from 0 to 1000000"],
    );
    refused(
        &["run", &fixture("oom_base_per_month_10M.toml")],
        &["demand.base_per_month: must be between 0 and 1000000"],
    );
}

#[test]
fn every_refusal_names_its_field() {
    refused(
        &["validate", &fixture("nopath_start_is_number.toml")],
        &["1 problem in the scenario:\n  start: expected the first day of a month, YYYY-MM-01, found an integer"],
    );
    refused(
        &["validate", &fixture("nopath_empty_key.toml")],
        &["\n  \"\": unknown field; expected one of: name, seed"],
    );
    // `validate` reads the experiment tables as `compare` does: both problems at once.
    refused(
        &["validate", &fixture("validate_ok_compare_refuses.toml")],
        &[
            "2 problems in the scenario:",
            "experiment.bogus: unknown field",
            "claim[4].claim: claim `garbage`: no comparison",
        ],
    );
}

#[test]
fn messages_say_the_rule_of_what_was_given() {
    // A huge number is shown as such, not as 309 digits.
    let (code, err) = salesim(
        &[
            "compare",
            "--set",
            "demand.scale=1e308",
            "--replications",
            "2",
        ],
        Duration::from_secs(60),
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("demand.scale = 1e308: demand.scale: must be between 0 and 1000, found 1e308"),
        "{err}"
    );
    assert!(err.len() < 200, "{err}");
    // An option is named as the user wrote it, not as an internal path.
    refused(
        &[
            "staff",
            "--role",
            "call_centre",
            "--structure",
            "conveyor",
            "--max",
            "100000",
        ],
        &["--max: at most 10000 people in a month, found 100000"],
    );
    refused(
        &[
            "staff",
            "--role",
            "call_centre",
            "--structure",
            "conveyor",
            "--budget",
            "-5",
        ],
        &["--budget: a positive amount, found -5"],
    );
    // Two values for one field are not silently reduced to the last.
    refused(
        &[
            "compare",
            "--set",
            "demand.scale=1",
            "--set",
            "demand.scale=2",
        ],
        &["--set demand.scale: given twice"],
    );
    // A negative number reaches the option's own rule, not clap's "use -- -1" hint.
    refused(
        &["compare", "--replications", "-1"],
        &["--replications: a whole number from 1 to"],
    );
    refused(
        &["compare", "--replications", "auto", "--precision", "-0.5"],
        &["--precision: must be a share between 0 and 1"],
    );
}

#[test]
fn a_folder_with_a_non_finite_statistic_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("c");
    let (code, err) = salesim(
        &[
            "compare",
            "--structures",
            "one_level,assistant",
            "--replications",
            "2",
            "--no-report",
            "--out",
            dir.to_str().unwrap(),
        ],
        Duration::from_secs(60),
    );
    assert_eq!(code, 0, "{err}");
    let path = dir.join("summary.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut cells: Vec<&str> = lines[5].split(',').collect();
    cells[3] = "inf";
    lines[5] = cells.join(",");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    refused(
        &["report", dir.to_str().unwrap()],
        &["summary.csv: `mean` is not a number: \"inf\""],
    );
    assert!(!dir.join("report.html").exists(), "a page was drawn");
}

/// Two writers to one folder: the second is refused while the first runs, and once the
/// first is killed its lock is stale and the folder can be written again.
#[test]
fn one_writer_per_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("shared");
    let mut first = Command::new(env!("CARGO_BIN_EXE_salesim"))
        .args(["compare", "--replications", "100000", "--quiet", "--out"])
        .arg(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !dir.join(".salesim.lock").exists() {
        assert!(start.elapsed() < Duration::from_secs(60), "no lock taken");
        assert!(
            first.try_wait().unwrap().is_none(),
            "the first writer ended"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let d = dir.to_str().unwrap();
    let sc = common::scenario_path("default.toml");
    for args in [
        vec![
            "sweep",
            sc.to_str().unwrap(),
            "--set",
            "demand.scale=1,2",
            "--replications",
            "2",
            "--out",
            d,
        ],
        vec!["report", d],
    ] {
        let (code, err) = salesim(&args, Duration::from_secs(60));
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains("is being written by another salesim (process"),
            "{args:?}: {err}"
        );
    }
    first.kill().unwrap();
    first.wait().unwrap();
    // The killed writer's lock is stale: the folder is written again.
    let (code, err) = salesim(
        &[
            "compare",
            "--structures",
            "one_level,assistant",
            "--replications",
            "2",
            "--no-report",
            "--out",
            d,
        ],
        Duration::from_secs(60),
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        !dir.join(".salesim.lock").exists(),
        "the lock outlived its run"
    );
    let leftovers: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

/// Runs `salesim ARGS` under a file-size limit of `kb` KB (a disk that fills up): writes
/// past it fail as on a full disk (`SIGXFSZ` ignored, so the write returns an error).
#[cfg(unix)]
fn with_full_disk(kb: u32, args: &[&str]) -> (i32, String) {
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    // `ulimit -f` counts 512-byte blocks in POSIX sh.
    let script = format!(
        "trap '' XFSZ; ulimit -f {}; exec '{}' {}",
        kb * 2,
        env!("CARGO_BIN_EXE_salesim"),
        quoted.join(" ")
    );
    let out = Command::new("sh").args(["-c", &script]).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A disk that fills up mid-sweep: the sweep fails naming the file (exit 1), every table
/// ends with a whole row, no temporary file or lock is left, and the folder reports the
/// points that finished. A comparison on a full disk leaves no temporary file either.
#[cfg(unix)]
#[test]
fn a_full_disk_leaves_whole_rows_and_a_folder_that_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sweep");
    let d = dir.to_str().unwrap();
    // The default cut to one year: a point's monthly.csv of two structures is about
    // 280 KB (with the time-by-activity columns), its other tables about 50 KB: 720 KB
    // hold two points, not three.
    let sc = tmp.path().join("year.toml");
    std::fs::write(
        &sc,
        common::with_horizon(&common::scenario_text("default.toml"), 12),
    )
    .unwrap();
    let (code, err) = with_full_disk(
        720,
        &[
            "sweep",
            sc.to_str().unwrap(),
            "--set",
            "demand.scale=1,1.5,2",
            "--structures",
            "one_level,conveyor",
            "--replications",
            "3",
            "--quiet",
            "--no-report",
            "--out",
            d,
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("cannot write") && err.contains("monthly.csv"),
        "{err}"
    );
    let mut names = vec![];
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".csv") {
            let bytes = std::fs::read(&p).unwrap();
            assert_eq!(bytes.last(), Some(&b'\n'), "{name} ends inside a row");
        }
        names.push(name);
    }
    assert!(
        !names
            .iter()
            .any(|n| n.ends_with(".tmp") || n == ".salesim.lock"),
        "{names:?}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_salesim"))
        .args(["report", d])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.contains("the sweep was interrupted after 2 of 3 points"),
        "{said}"
    );

    let dir = tmp.path().join("compare");
    let (code, err) = with_full_disk(
        40,
        &[
            "compare",
            "--replications",
            "20",
            "--quiet",
            "--out",
            dir.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("cannot write"), "{err}");
    let left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") || n == ".salesim.lock")
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// Tampered shards are refused by `merge` (exit 2, naming the shard and the check), and
/// nothing is merged from them.
#[test]
fn merge_checks_every_partial_against_itself() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = common::scenario_path("default.toml");
    let fresh = |name: &str| {
        for k in 1..=2 {
            let dir = tmp.path().join(format!("{name}{k}"));
            let (code, err) = salesim(
                &[
                    "compare",
                    sc.to_str().unwrap(),
                    "--structures",
                    "one_level,conveyor",
                    "--replications",
                    "4",
                    "--shard",
                    &format!("{k}/2"),
                    "--out",
                    dir.to_str().unwrap(),
                ],
                Duration::from_secs(60),
            );
            assert_eq!(code, 0, "{err}");
        }
        (
            tmp.path().join(format!("{name}1")),
            tmp.path().join(format!("{name}2")),
        )
    };
    let merge = |a: &std::path::Path, b: &std::path::Path, says: &str| {
        let out = tmp.path().join("merged");
        refused(
            &[
                "merge",
                a.to_str().unwrap(),
                b.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
            &[says],
        );
        assert!(!out.join("summary.csv").exists(), "merged anyway");
    };
    // A mean multiplied by 10.
    let (a, b) = fresh("mean");
    let part = b.join("partial.json");
    let text = std::fs::read_to_string(&part).unwrap();
    let i = text.find("\"mean\":").unwrap() + 7;
    let j = i + text[i..].find([',', '}']).unwrap();
    let x: f64 = text[i..j].parse().unwrap();
    std::fs::write(
        &part,
        format!("{}{}{}", &text[..i], x * 10.0 + 1.0, &text[j..]),
    )
    .unwrap();
    merge(&a, &b, "do not match their checksum");
    // A shard count far beyond the replications, and the largest there is.
    for n in ["1000000000", "18446744073709551615"] {
        let (a, b) = fresh(&format!("n{}", n.len()));
        for dir in [&a, &b] {
            let part = dir.join("partial.json");
            let text = std::fs::read_to_string(&part).unwrap();
            let k = if dir == &a { 1 } else { 2 };
            let text = text.replace(
                &format!("\"shard\":[{k},2]"),
                &format!("\"shard\":[{k},{n}]"),
            );
            std::fs::write(&part, text).unwrap();
        }
        merge(&a, &b, "at most as many shards");
    }
    // Another shard's replications.
    let (a, b) = fresh("rows");
    std::fs::copy(a.join("replications.csv"), b.join("replications.csv")).unwrap();
    merge(&a, &b, "is not one of this shard's (replications 2..4)");
}
