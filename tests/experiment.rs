//! Monte Carlo experiments: determinism across threads and shards, common random
//! numbers, confidence intervals, sweeps, claims, `auto`, the Excel variant, and the
//! commands end to end with their bad input.

mod common;

use std::path::Path;

use assert_cmd::Command;
use common::scenario_text;
use salesim::experiment::{Discard, Experiment, PointResult, Replications, Request, Stop, Verdict};
use salesim::sim::Metric;

fn salesim() -> Command {
    Command::cargo_bin("salesim").unwrap()
}

/// The default scenario cut to `months` months (fast replications, same department).
fn short_default(months: u32) -> String {
    common::with_horizon(&scenario_text("default.toml"), months)
}

fn request(structures: &[&str], reps: u64) -> Request {
    Request {
        structures: Some(structures.iter().map(|s| s.to_string()).collect()),
        replications: Some(Replications::Fixed(reps)),
        ..Request::default()
    }
}

/// Runs every point of an experiment in this process.
fn run_all(exp: &Experiment) -> Vec<PointResult> {
    (0..exp.points.len())
        .map(|p| {
            let (acc, stop) = exp.run_point(p, None, &|_| {}, &mut Discard).unwrap();
            exp.result(p, &acc, stop)
        })
        .collect()
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

const FILES: [&str; 5] = [
    "summary.csv",
    "monthly.csv",
    "differences.csv",
    "replications.csv",
    "claims.csv",
];

#[test]
fn one_thread_and_two_give_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "s.toml", &short_default(2));
    for threads in ["1", "2"] {
        salesim()
            .env("RAYON_NUM_THREADS", threads)
            .args(["compare", "--replications", "24", "--quiet"])
            .args(["--reference", "unlimited", "--out"])
            .arg(dir.path().join(threads))
            .arg(&sc)
            .assert()
            .success();
    }
    for f in FILES {
        assert!(
            read(&dir.path().join("1").join(f)) == read(&dir.path().join("2").join(f)),
            "{f} differs between 1 and 2 threads"
        );
    }
}

/// Cells of a CSV as strings, header first.
fn cells(p: &Path, delimiter: u8) -> Vec<Vec<String>> {
    let bytes = read(p);
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(&bytes)
        .to_vec();
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .from_reader(bytes.as_slice())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// Two CSVs with the same cells, numbers equal to 12 significant digits.
fn assert_same_numbers(a: &Path, b: &Path, a_excel: bool) {
    let ca = cells(a, if a_excel { b';' } else { b',' });
    let cb = cells(b, b',');
    assert_eq!(ca.len(), cb.len(), "{} rows", a.display());
    for (ra, rb) in ca.iter().zip(&cb) {
        assert_eq!(ra.len(), rb.len());
        // Rounding in a merged mean scales with the values averaged, not with the mean:
        // a mean difference of exactly 0 over differences of +-1 comes back as 1e-17.
        // The row's largest number (its spread, interval, count) bounds those values.
        let scale = rb
            .iter()
            .filter_map(|c| c.parse::<f64>().ok())
            .fold(0.0f64, |m, v| m.max(v.abs()));
        for (x, y) in ra.iter().zip(rb) {
            let xs = if a_excel {
                x.replace(',', ".")
            } else {
                x.clone()
            };
            match (xs.parse::<f64>(), y.parse::<f64>()) {
                (Ok(u), Ok(v)) => assert!(
                    (u - v).abs() <= 1e-12 * u.abs().max(v.abs()).max(scale),
                    "{}: {x} vs {y} in row {:?}",
                    a.display(),
                    rb
                ),
                _ => assert_eq!(x, y, "{}", a.display()),
            }
        }
    }
}

#[test]
fn three_shards_merge_into_the_single_run() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "s.toml", &short_default(2));
    let args = [
        "--replications",
        "25",
        "--structures",
        "one_level,conveyor",
        "--quiet",
    ];
    salesim()
        .arg("compare")
        .args(args)
        .arg("--out")
        .arg(dir.path().join("single"))
        .arg(&sc)
        .assert()
        .success();
    for k in 1..=3 {
        salesim()
            .arg("compare")
            .args(args)
            .args(["--shard", &format!("{k}/3"), "--out"])
            .arg(dir.path().join(format!("shard{k}")))
            .arg(&sc)
            .assert()
            .success();
    }
    // Merged in any order of folders: shards are put back in their order.
    salesim()
        .arg("merge")
        .arg(dir.path().join("shard3"))
        .arg(dir.path().join("shard1"))
        .arg(dir.path().join("shard2"))
        .args(["--quiet", "--out"])
        .arg(dir.path().join("merged"))
        .assert()
        .success();
    let (m, s) = (dir.path().join("merged"), dir.path().join("single"));
    // Per-replication rows and percentiles are exact; means and spreads are merged by
    // Chan's formula and agree to rounding.
    assert_eq!(
        read(&m.join("replications.csv")),
        read(&s.join("replications.csv"))
    );
    for f in FILES {
        assert_same_numbers(&m.join(f), &s.join(f), false);
    }
}

#[test]
fn paired_differences_are_narrower_than_unpaired() {
    let exp = Experiment::new(&short_default(3), &request(&["one_level", "conveyor"], 30)).unwrap();
    let r = &run_all(&exp)[0];
    let d = r
        .differences
        .iter()
        .find(|d| d.structure == "conveyor" && d.metric == "gross_profit_usd")
        .unwrap();
    assert_eq!(d.baseline, "one_level");
    assert!(
        d.paired.half_width < 0.5 * d.unpaired_half_width,
        "paired ±{} vs unpaired ±{}",
        d.paired.half_width,
        d.unpaired_half_width
    );
    assert!(
        d.correlation > 0.5,
        "common random numbers correlate: {}",
        d.correlation
    );
}

#[test]
fn half_width_shrinks_as_one_over_root_n() {
    let hw = |n: u64| {
        let exp = Experiment::new(&short_default(1), &request(&["one_level"], n)).unwrap();
        run_all(&exp)[0].variants[0]
            .total(Metric::Revenue)
            .unwrap()
            .ci95_half
    };
    let ratio = hw(100) / hw(400);
    // Expected 2 * t(0.975, 99) / t(0.975, 399) = 2.02. The sample sd of n normal values
    // has relative sd about 1/sqrt(2(n-1)): 0.071 at 100, 0.035 at 400, so the ratio has
    // relative sd about 0.079: 4 sd is [1.38, 2.66], far from 1 (no shrinking) and 4 (1/n).
    assert!((1.38..=2.66).contains(&ratio), "ratio {ratio}");
}

#[test]
fn more_call_centre_operators_lose_fewer_calls_unanswered() {
    let mut req = request(&["conveyor"], 12);
    req.sets = vec!["roles.call_centre.count=0,2,4,6".into()];
    let exp = Experiment::new(&short_default(2), &req).unwrap();
    let lost: Vec<f64> = run_all(&exp)
        .iter()
        .map(|p| p.variants[0].total(Metric::LostUnanswered).unwrap().mean)
        .collect();
    assert_eq!(lost.len(), 4);
    for w in lost.windows(2) {
        assert!(
            w[1] <= w[0],
            "lost unanswered by headcount 0,2,4,6: {lost:?}"
        );
    }
    assert!(lost[3] < lost[0], "{lost:?}");
}

/// The headcount of `role` in a point's variant `v` (its most in any month).
fn headcount(p: &PointResult, v: usize, role: &str) -> f64 {
    let variant = &p.variants[v];
    let column = salesim::sim::RoleMetric::Headcount.column(role);
    let i = variant.metrics.iter().position(|c| *c == column).unwrap();
    variant.totals[i].mean
}

#[test]
fn a_role_override_reaches_a_structure_that_sets_the_role_itself() {
    // Retail sets the lead-chopper's qualifier count in its own table
    // ([structures.lead_chopper.roles.qualifier] count = 1), which takes precedence over
    // [roles.qualifier]: a variant's or a sweep's `roles.qualifier.count` must still
    // reach it, not be silently shadowed.
    let text = common::with_horizon(&scenario_text("retail_equipment.toml"), 1)
        + "\n[variants.two_qualifiers]\nstructure = \"lead_chopper\"\nroles.qualifier.count = 2\n";
    let exp = Experiment::new(&text, &request(&["lead_chopper", "two_qualifiers"], 2)).unwrap();
    let p = &run_all(&exp)[0];
    assert_eq!(headcount(p, 0, "qualifier"), 1.0);
    assert_eq!(headcount(p, 1, "qualifier"), 2.0);
    // Roofing's conveyor staffs its call centre by month in its own table; a sweep of
    // the role's headcount sets every month.
    let mut req = request(&["conveyor"], 2);
    req.sets = vec!["roles.call_centre.count=1,4".into()];
    let text = common::with_horizon(&scenario_text("roofing_seasonal.toml"), 1);
    let exp = Experiment::new(&text, &req).unwrap();
    let heads: Vec<f64> = run_all(&exp)
        .iter()
        .map(|p| headcount(p, 0, "call_centre"))
        .collect();
    assert_eq!(heads, [1.0, 4.0]);
}

#[test]
fn a_claim_with_a_known_answer_is_supported_and_its_reverse_refuted() {
    let mut req = request(&["conveyor", "conveyor_6cc"], 20);
    req.claims = vec![
        "conveyor_6cc.lost_unanswered <= conveyor.lost_unanswered".into(),
        "conveyor.lost_unanswered <= conveyor_6cc.lost_unanswered".into(),
    ];
    let exp = Experiment::new(&short_default(2), &req).unwrap();
    let r = &run_all(&exp)[0];
    // The scenario's own claims name structures not run here: set aside, not failed.
    assert!(!exp.skipped_claims.is_empty());
    assert_eq!(r.claims.len(), 2);
    assert_eq!(r.claims[0].verdict, Verdict::Supported, "{:?}", r.claims[0]);
    assert_eq!(r.claims[1].verdict, Verdict::Refuted, "{:?}", r.claims[1]);
}

#[test]
fn auto_stops_at_the_precision_it_promised() {
    let mut req = request(&["one_level", "two_level"], 1);
    req.replications = Some(Replications::Auto {
        precision: 0.02,
        max: 2_000,
    });
    let exp = Experiment::new(&short_default(1), &req).unwrap();
    let r = &run_all(&exp)[0];
    match r.stop {
        Some(Stop::Precision {
            replications,
            relative_half_width,
        }) => {
            assert!(relative_half_width <= 0.02);
            assert_eq!(replications, r.replications);
            assert_eq!(replications % salesim::experiment::BATCH, 0);
        }
        other => panic!("expected the precision to be reached: {other:?}"),
    }
    for v in &r.variants {
        let g = v.total(Metric::GrossProfit).unwrap();
        assert!(
            g.ci95_half <= 0.02 * g.mean.abs(),
            "{}: ±{} of {}",
            v.name,
            g.ci95_half,
            g.mean
        );
    }
    // A precision out of reach stops at the maximum, and says so.
    req.replications = Some(Replications::Auto {
        precision: 1e-6,
        max: 40,
    });
    let exp = Experiment::new(&short_default(1), &req).unwrap();
    let r = &run_all(&exp)[0];
    assert_eq!(r.stop, Some(Stop::MaxReached { replications: 40 }));
}

#[test]
fn excel_variant_reads_back_to_the_same_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "s.toml", &short_default(1));
    for (name, excel) in [("plain", false), ("excel", true)] {
        let mut c = salesim();
        c.args(["compare", "--replications", "6", "--quiet", "--out"])
            .arg(dir.path().join(name))
            .arg(&sc);
        if excel {
            c.arg("--excel");
        }
        c.assert().success();
    }
    for f in FILES {
        let e = read(&dir.path().join("excel").join(f));
        assert!(e.starts_with(b"\xEF\xBB\xBF"), "{f}: byte-order mark");
        assert!(String::from_utf8(e)
            .unwrap()
            .lines()
            .nth(1)
            .unwrap()
            .contains(';'));
        assert_same_numbers(
            &dir.path().join("excel").join(f),
            &dir.path().join("plain").join(f),
            true,
        );
    }
}

#[test]
fn compare_prints_a_ranked_table_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "s.toml", &short_default(1));
    let out = salesim()
        .args(["compare", "--replications", "5", "--out"])
        .arg(dir.path().join("c"))
        .arg(&sc)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for s in [
        "one_level",
        "conveyor",
        "gross profit, USD",
        "± = 95% CI",
        "claim ",
    ] {
        assert!(text.contains(s), "missing {s}: {text}");
    }
    let out = salesim()
        .args([
            "compare",
            "--replications",
            "5",
            "--json",
            "--structures",
            "one_level,assistant",
            "--out",
        ])
        .arg(dir.path().join("j"))
        .arg(&sc)
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let v = &doc["points"][0]["variants"];
    assert_eq!(v[0]["name"], "one_level");
    assert_eq!(v[1]["name"], "assistant");
    assert_eq!(doc["points"][0]["replications"], 5);
}

#[test]
fn a_preset_name_is_swept_and_written_as_a_name() {
    // `--set response.decay=...` takes the preset names a scenario file does; the
    // summary writes each point's name in the param column, and the two presets give
    // different results (severe loses more written leads to a late response).
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "s.toml", &short_default(1));
    salesim()
        .args([
            "sweep",
            "--structures",
            "one_level",
            "--replications",
            "2",
            "--quiet",
        ])
        .args(["--set", "response.decay=b2b,severe"])
        .arg("--out")
        .arg(dir.path().join("s"))
        .arg(&sc)
        .assert()
        .success();
    let rows = cells(&dir.path().join("s").join("summary.csv"), b',');
    assert_eq!(
        &rows[0][..3],
        ["point", "param_response_decay", "structure"]
    );
    let late = |name: &str| -> f64 {
        let col = rows[0].iter().position(|c| c == "metric").unwrap();
        let mean = rows[0].iter().position(|c| c == "mean").unwrap();
        rows[1..]
            .iter()
            .find(|r| r[1] == name && r[col] == "lost_late_response")
            .map(|r| r[mean].parse().unwrap())
            .unwrap()
    };
    assert!(
        late("severe") > late("b2b"),
        "{} {}",
        late("severe"),
        late("b2b")
    );
    // One name alone runs as well (the sensitivity run of the research note).
    salesim()
        .args([
            "compare",
            "--structures",
            "one_level",
            "--replications",
            "1",
            "--quiet",
        ])
        .args(["--set", "response.decay=severe", "--out"])
        .arg(dir.path().join("c"))
        .arg(&sc)
        .assert()
        .success();
}

#[test]
fn sweep_writes_param_columns_for_every_point() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "s.toml", &short_default(1));
    salesim()
        .args([
            "sweep",
            "--structures",
            "conveyor",
            "--replications",
            "3",
            "--quiet",
        ])
        .args([
            "--set",
            "roles.call_centre.count=1,3",
            "--set",
            "demand.scale=1.0..1.5 step 0.5",
        ])
        .arg("--out")
        .arg(dir.path().join("s"))
        .arg(&sc)
        .assert()
        .success();
    let rows = cells(&dir.path().join("s").join("summary.csv"), b',');
    assert_eq!(
        &rows[0][..4],
        [
            "point",
            "param_roles_call_centre_count",
            "param_demand_scale",
            "structure"
        ]
    );
    let points: std::collections::BTreeSet<(String, String)> = rows[1..]
        .iter()
        .map(|r| (r[1].clone(), r[2].clone()))
        .collect();
    let expected: std::collections::BTreeSet<(String, String)> =
        [("1", "1"), ("1", "1.5"), ("3", "1"), ("3", "1.5")]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
    assert_eq!(points, expected);
    let reps = cells(&dir.path().join("s").join("replications.csv"), b',');
    assert_eq!(reps.len(), 1 + 4 * 3);
}

/// Runs salesim and returns (exit code, stderr).
fn fails(args: &[&str], dir: &Path) -> (i32, String) {
    let out = salesim().current_dir(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn bad_experiment_input_names_the_problem_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "s.toml", &short_default(1));
    let s = sc.to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &["compare", s, "--structures", "one_level,pyramid"],
            "unknown structure or variant `pyramid`",
        ),
        (&["sweep", s], "nothing to sweep"),
        (
            &["sweep", s, "--set", "roles.call_centre.count="],
            "no values",
        ),
        (
            &["sweep", s, "--set", "name=1,2"],
            "`name` names a field that takes a name, not a number",
        ),
        (
            &["sweep", s, "--set", "demand.scale=severe"],
            "`demand.scale` takes numbers, not the name `severe`",
        ),
        (
            &["sweep", s, "--set", "response.decay=sever"],
            "response.decay: unknown preset \"sever\"",
        ),
        (
            &["sweep", s, "--set", "demand.scale=1,x y"],
            "--set demand.scale: `x y` is not a finite number",
        ),
        (
            &["sweep", s, "--set", "demand.colour=1,2"],
            "demand.colour: unknown field",
        ),
        (
            &["compare", s, "--shard", "3/2"],
            "--shard `3/2`: expected K/N with 1 <= K <= N",
        ),
        (
            &["compare", s, "--replications", "zero"],
            "--replications: a whole number",
        ),
        (
            &["compare", s, "--replications", "3", "--precision", "0.01"],
            "--precision: only with --replications auto (which adds replications until the precision is reached); --replications 3 runs exactly 3",
        ),
        (
            &["compare", s, "--max-replications", "100"],
            "--max-replications: only with --replications auto",
        ),
        (
            &["compare", s, "--replications", "auto", "--max-replications", "10"],
            "--max-replications: from 40 (two batches) to 10000000 for auto, found 10",
        ),
        (
            &[
                "compare",
                s,
                "--baseline",
                "conveyor",
                "--structures",
                "one_level",
            ],
            "the baseline `conveyor` is not among",
        ),
        (
            &["compare", s, "--claim", "one_level.nothing >= 2"],
            "no metric `nothing`",
        ),
        (&["merge", "nowhere"], "nowhere/partial.json"),
    ];
    for (args, msg) in cases {
        let (code, err) = fails(args, dir.path());
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(msg), "{args:?}: expected `{msg}` in: {err}");
    }
    // Nothing was written for any of them.
    assert!(!dir.path().join("out").exists());
}

/// The experiment tables are read like the rest of the scenario: every problem in them,
/// and in the scenario's own tables, is listed at once with its path.
#[test]
fn every_experiment_table_problem_is_reported_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let text = scenario_text("erlang_a.toml").replace("seed = ", "seed = -1\nold_seed = ")
        + r#"
[experiment]
replications = 0
warmup_months = "two"
colour = 1

[variants.big]
description = 3

[sweep]
"demand.scale" = "1..0"

[[claim]]
claim = "garbage"
source = 4
"#;
    let sc = write(dir.path(), "bad.toml", &text);
    let (code, err) = fails(&["compare", sc.to_str().unwrap()], dir.path());
    assert_eq!(code, 2, "{err}");
    let lines: Vec<&str> = err.lines().skip(1).map(str::trim).collect();
    for want in [
        "seed: must be a whole number",
        "old_seed: unknown field",
        "experiment.colour: unknown field; expected one of: replications,",
        "experiment.replications: must be a whole number from 1 to",
        "experiment.warmup_months: expected a whole number, found a string",
        "variants.big.description: expected a string, found an integer",
        "variants.big.structure: missing",
        "sweep.demand.scale: the range 1..0 runs backwards",
        "claim[0].source: expected a string, found an integer",
        "claim[0].claim: claim `garbage`: no comparison",
    ] {
        assert!(
            lines.iter().any(|l| l.starts_with(want)),
            "no line starting {want:?} in:\n{err}"
        );
    }
    assert!(
        err.starts_with("error: 10 problems in the scenario:"),
        "{err}"
    );
}

#[test]
fn merging_shards_of_different_seeds_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.toml", &short_default(1));
    let b = write(
        dir.path(),
        "b.toml",
        &short_default(1).replace("seed = 20261123", "seed = 5"),
    );
    for (sc, k, name) in [(&a, 1, "a1"), (&b, 2, "b2")] {
        salesim()
            .args([
                "compare",
                "--replications",
                "4",
                "--structures",
                "one_level",
                "--quiet",
            ])
            .args(["--shard", &format!("{k}/2"), "--out"])
            .arg(dir.path().join(name))
            .arg(sc)
            .assert()
            .success();
    }
    let (code, err) = fails(&["merge", "a1", "b2", "--out", "m"], dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("ran seed 5") && err.contains("different experiments"),
        "{err}"
    );
    assert!(!dir.path().join("m").exists());
    let (code, err) = fails(&["merge", "a1", "--out", "m"], dir.path());
    assert_eq!(code, 2);
    assert!(err.contains("shard 2/2 missing"), "{err}");
}
