//! Calibration (`salesim calibrate`): a company's data in, a scenario out. The round
//! trip simulates a scenario of known figures, calibrates from its event log and checks
//! that the intervals cover the truth as often as 95% intervals should; the patience
//! test shows why abandoned waits must be read as censored data; the fixtures are small
//! files in each built-in mapping's columns; bad rows are reported and the rest used.

use std::io::Cursor;

use assert_cmd::Command;
use salesim::calibrate::{self, Calibration, Inputs, Mapping, Source, Template, Value};
use salesim::report;
use salesim::scenario::{Scenario, DEFAULT_TOML};
use salesim::sim::Simulation;

/// The default scenario with the large segment's cycle made lognormal (the template
/// writes a uniform one, which a lognormal fit cannot recover as such).
fn truth_text() -> String {
    let old = "cycle_days = { dist = \"uniform\", min = 14, max = 30 }";
    assert!(DEFAULT_TOML.contains(old));
    DEFAULT_TOML.replace(
        old,
        "cycle_days = { dist = \"lognormal\", median = 22, cv = 0.3 }",
    )
}

fn source(name: &str, bytes: Vec<u8>) -> Source {
    Source {
        name: name.into(),
        reader: Box::new(Cursor::new(bytes)),
    }
}

/// The event log of one replication of `text` on `seed`, as CSV bytes.
fn event_log(text: &str, seed: u64) -> Vec<u8> {
    let mut sc = Scenario::from_toml_str(text).unwrap();
    sc.seed = seed;
    let (r, log) = Simulation::new(&sc, sc.default_structure, 0).run_logged();
    let names: Vec<String> = sc.segments.iter().map(|s| s.name.clone()).collect();
    let mut out = Vec::new();
    report::csv::write_events(&r, &names, &log, &mut out).unwrap();
    out
}

fn calibrated(text: &str, seed: u64) -> Calibration {
    let template = Template {
        name: "truth".into(),
        text: text.into(),
    };
    calibrate::calibrate(
        Inputs::leads(source("events.csv", event_log(text, seed))),
        None,
        &template,
    )
    .unwrap()
}

/// The figures the event log can tell, and their true values in the scenario's terms:
/// the base is the mean month (600 x the seasonality's mean of 2), the seasonality is
/// each month over that mean.
fn truths() -> Vec<(String, f64)> {
    let seasonality = [1.0, 1.0, 1.5, 2.5, 3.0, 3.0, 2.75, 2.5, 2.5, 2.0, 1.25, 1.0];
    let mean: f64 = seasonality.iter().sum::<f64>() / 12.0;
    let mut t: Vec<(String, f64)> = vec![
        ("demand.base_per_month".into(), 600.0 * mean),
        ("demand.phone_share".into(), 0.5),
        ("response.patience_seconds".into(), 60.0),
        ("response.callback_share".into(), 0.25),
        ("response.redial_share".into(), 0.15),
        ("response.missed_call_log_share".into(), 0.9),
        ("qualification.target_share".into(), 0.30),
        ("qualification.nurture_share".into(), 0.30),
        ("qualification.nurture_return_share".into(), 0.15),
    ];
    for (m, s) in seasonality.iter().enumerate() {
        t.push((format!("demand.seasonality[{m}]"), s / mean));
    }
    for (name, share, win, value, cycle, repeat, reorder, repeat_share) in [
        ("small", 0.70, 0.30, 800.0, 14.0, 400.0, 45.0, 0.5),
        ("large", 0.25, 0.30, 5000.0, 22.0, 2000.0, 45.0, 0.5),
        ("project", 0.05, 0.25, 30_000.0, 240.0, 8000.0, 120.0, 0.3),
    ] {
        t.push((format!("segments.{name}.share"), share));
        t.push((format!("segments.{name}.win_probability"), win));
        t.push((format!("segments.{name}.deal_value"), value));
        t.push((format!("segments.{name}.cycle_days"), cycle));
        t.push((format!("segments.{name}.repeat_value"), repeat));
        t.push((format!("segments.{name}.reorder_days"), reorder));
        // The project segment gains about 14 clients in the window, under the 10
        // needed on some seeds: its repeat share is kept there (checked below).
        if name != "project" {
            t.push((format!("segments.{name}.repeat_share"), repeat_share));
        }
    }
    t.push(("clients.annual_churn".into(), 0.25));
    t.push(("clients.reactivation_success".into(), 0.20));
    t
}

#[test]
fn round_trip_recovers_the_figures_within_their_intervals() {
    // Four independent years-long logs (three years each, seeds 1-4) of the default
    // department, calibrated on the true scenario as template (its own seed drives the
    // simulations that fit the cycles and the client base through the model,
    // independent of the data's). Each seed gives 43 intervals, 172 in all. If every
    // interval covers with 95%, misses are about Binomial(172, 0.05): mean 8.6, sd 2.9;
    // more than 18 has probability about 0.001, while a biased figure misses on every
    // seed (4 at once) and a too-narrow interval family adds many. So: at most 18
    // misses, no figure missing on all four seeds, and every figure fitted on every
    // seed.
    let text = truth_text();
    let truths = truths();
    let mut misses = Vec::new();
    let mut per_figure = std::collections::HashMap::new();
    let mut weight_misses = 0;
    for seed in 1..=4 {
        let c = calibrated(&text, seed);
        for (path, truth) in &truths {
            let f = c
                .fitted
                .fits
                .iter()
                .find(|f| &f.path == path)
                .unwrap_or_else(|| panic!("seed {seed}: {path} not fitted"));
            let e = f
                .estimate
                .unwrap_or_else(|| panic!("seed {seed}: {path} has no estimate: {}", f.how));
            if !e.covers(*truth) {
                misses.push(format!("seed {seed}: {path} {e:?} misses {truth}"));
                *per_figure.entry(path.clone()).or_insert(0) += 1;
            }
            // The point estimate is near the truth (a loose check that catches a wrong
            // unit or a swapped field, which an interval check with a huge interval
            // would not): within 35% for the sparse project segment, the churn (read
            // through the retention of ~1,700 clients), the repeat shares (read
            // through ~190-460 clients gained) and the reactivation (~350 comebacks of
            // ~700 dormant clients), 12% otherwise.
            let tol = if ["project", "churn", "repeat_share", "reactivation"]
                .iter()
                .any(|w| path.contains(w))
            {
                0.35
            } else {
                0.12
            };
            assert!(
                (e.value - truth).abs() <= tol * truth,
                "seed {seed}: {path} = {} vs {truth}",
                e.value
            );
        }
        // The event log counts each deal's touches: every decided deal has exactly its
        // segment's (3, 3, 6), so the fit is exact.
        for (name, touches) in [("small", 3.0), ("large", 3.0), ("project", 6.0)] {
            let f = fit(&c, &format!("segments.{name}.touches"));
            let e = f.estimate.unwrap_or_else(|| panic!("{f:?}"));
            assert!(
                (e.lo, e.value, e.hi) == (touches, touches, touches),
                "seed {seed}: {f:?}"
            );
            assert_eq!(f.write, Some(Value::Number(touches, 0)));
        }
        // The project segment's repeat share is kept for want of clients gained, and
        // says so; or, when fitted, lies within a factor of 2.2 of the truth (about 3
        // se: ~14 clients gained give a log se near 0.26 with the simulations' noise).
        let project = fit(&c, "segments.project.repeat_share");
        match project.estimate {
            Some(e) => assert!(
                (0.3 / 2.2..=0.3 * 2.2).contains(&e.value),
                "seed {seed}: {e:?}"
            ),
            None => assert!(
                project.how.contains("clients gained") && project.write.is_none(),
                "seed {seed}: {}",
                project.how
            ),
        }
        // The decay preset is recognised, and the profiles are the scenario's: total
        // variation distance under 0.03 (each profile rests on ~21,000 leads, whose
        // sampling noise gives a distance near 0.01).
        let decay = fit(&c, "response.decay");
        assert_eq!(
            decay.write,
            Some(Value::Text("b2b".into())),
            "seed {seed}: {}",
            decay.how
        );
        let sc = Scenario::from_toml_str(&text).unwrap();
        let fitted = Scenario::from_toml_str(&c.scenario).unwrap();
        for (a, b) in [
            (&sc.demand.phone.hour, &fitted.demand.phone.hour),
            (&sc.demand.written.hour, &fitted.demand.written.hour),
        ] {
            let tv: f64 = a
                .iter()
                .zip(b.iter())
                .map(|(x, y)| (x - y).abs())
                .sum::<f64>()
                / 2.0;
            assert!(tv < 0.03, "seed {seed}: hour profile off by {tv}");
        }
        // Each weight's stated interval: the widest half-width, in points, bounds every
        // hour's own, so an hour further from the truth than it misses its own 95%
        // interval too: about 5% of the 192 hours over four seeds at most, and a
        // half-width stated ten times too small would make most of them miss.
        for (channel, truth, fitted) in [
            ("phone", &sc.demand.phone.hour, &fitted.demand.phone.hour),
            (
                "written",
                &sc.demand.written.hour,
                &fitted.demand.written.hour,
            ),
        ] {
            let f = fit(&c, &format!("demand.{channel}_hour_weights"));
            let half: f64 = f
                .from
                .split('±')
                .nth(1)
                .and_then(|r| r.split(' ').next())
                .and_then(|x| x.parse().ok())
                .unwrap_or_else(|| panic!("{}", f.from));
            weight_misses += truth
                .iter()
                .zip(fitted.iter())
                .filter(|(t, x)| (*t - *x).abs() * 100.0 > half)
                .count();
        }
    }
    assert!(
        weight_misses <= 10,
        "{weight_misses} hour weights outside ±"
    );
    assert!(
        misses.len() <= 18,
        "{} misses:\n{}",
        misses.len(),
        misses.join("\n")
    );
    assert!(
        per_figure.values().all(|&n| n < 4),
        "a figure missed on every seed:\n{}",
        misses.join("\n")
    );
}

#[test]
fn the_written_scenario_says_what_was_fitted_and_keeps_the_rest() {
    let c = calibrated(&truth_text(), 5);
    let s = &c.scenario;
    // Every fitted figure carries its comment; a kept one keeps the template's.
    assert!(
        s.contains("patience_seconds = { dist = \"exponential\", mean = "),
        "{s}"
    );
    let line = s
        .lines()
        .find(|l| l.starts_with("patience_seconds"))
        .unwrap();
    assert!(
        line.contains("# fitted: ") && line.contains("abandoned, 95% CI "),
        "{line}"
    );
    assert!(
        s.contains("handle_minutes = { dist = \"lognormal\", mean = 6, cv = 1 }   # K1, K2 (12.2)")
    );
    assert!(s.starts_with("# Calibrated by `salesim calibrate` from events.csv"));
    // It reads back (calibrate checks this too) and runs.
    let sc = Scenario::from_toml_str(s).unwrap();
    assert!(sc.name.ends_with("(calibrated)"));
    // Byte for byte the same from the same data.
    assert_eq!(c.scenario, calibrated(&truth_text(), 5).scenario);
}

/// A call centre with `c` agents, calls arriving at `rate` per second, service
/// exponential with mean `service`, patience exponential with mean `patience`, first
/// come first served. Processed in arrival order: a caller takes the first agent to be
/// free unless their patience runs out first (an abandoned caller never holds an agent,
/// so those behind are served exactly when they would have been).
fn mmc_m(c: usize, rate: f64, service: f64, patience: f64, n: usize) -> Vec<(f64, f64, bool)> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut uniform = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        ((x >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    let mut free = vec![0.0f64; c];
    let mut t = 0.0;
    let mut calls = Vec::with_capacity(n);
    for _ in 0..n {
        t += -uniform().ln() / rate;
        let p = -uniform().ln() * patience;
        let (k, &soonest) = free
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(b.1))
            .unwrap();
        let wait = (soonest - t).max(0.0);
        if wait > p {
            calls.push((t, p, false));
        } else {
            free[k] = t + wait - uniform().ln() * service;
            calls.push((t, wait, true));
        }
    }
    calls
}

#[test]
fn patience_is_read_from_censored_waits() {
    // An overloaded M/M/c+M queue: 5 agents, 6 calls a minute, 1 minute per call, a
    // mean patience of 60 s. 40,000 calls give ~10,000 abandonments; the interval of
    // the censored estimate is then about +-2% wide. The naive mean of the abandoned
    // waits is biased low: callers with long patience are served before it runs out,
    // so only the impatient are seen to abandon.
    let calls = mmc_m(5, 0.1, 60.0, 60.0, 40_000);
    let mut csv = String::from("start,wait_s,status\n");
    let t0 = 1_767_225_600i64; // 2026-01-01 00:00
    for (t, w, answered) in &calls {
        csv.push_str(&format!(
            "{},{w:.3},{}\n",
            t0 + *t as i64,
            if *answered { "answered" } else { "abandoned" }
        ));
    }
    let abandoned: Vec<f64> = calls.iter().filter(|c| !c.2).map(|c| c.1).collect();
    let naive = abandoned.iter().sum::<f64>() / abandoned.len() as f64;
    let leads = "lead_id,created_at,channel,outcome\n1,2026-01-01 10:00,phone,open\n";
    let template = Template {
        name: "default".into(),
        text: DEFAULT_TOML.into(),
    };
    let c = calibrate::calibrate(
        Inputs {
            calls: Some(source("calls.csv", csv.into_bytes())),
            ..Inputs::leads(source("leads.csv", leads.as_bytes().to_vec()))
        },
        Mapping::built_in("generic"),
        &template,
    )
    .unwrap();
    let f = fit(&c, "response.patience_seconds");
    let e = f.estimate.unwrap();
    assert!(e.covers(60.0), "censored estimate {e:?}");
    assert!(naive < e.lo * 0.8, "naive mean {naive} vs censored {e:?}");
    assert!(abandoned.len() > 8000, "{} abandoned", abandoned.len());
}

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/calibrate")
        .join(name)
}

fn from_fixture(leads: &str, calls: Option<&str>) -> Calibration {
    with_files(leads, calls, None, None)
}

fn with_files(
    leads: &str,
    calls: Option<&str>,
    orders: Option<&str>,
    stages: Option<&str>,
) -> Calibration {
    let read = |n: &str| source(n, std::fs::read(fixture(n)).unwrap());
    calibrate::calibrate(
        Inputs {
            leads: read(leads),
            calls: calls.map(read),
            orders: orders.map(read),
            stages: stages.map(read),
        },
        None,
        &Template {
            name: "default".into(),
            text: DEFAULT_TOML.into(),
        },
    )
    .unwrap_or_else(|e| panic!("{leads}: {e}"))
}

fn fit<'a>(c: &'a Calibration, path: &str) -> &'a calibrate::Fit {
    c.fitted
        .fits
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path}"))
}

#[test]
fn each_built_in_mapping_reads_its_fixture() {
    // amoCRM: Windows-1251, `;`, decimal commas and Russian values.
    let amo = from_fixture("amocrm_leads.csv", None);
    assert_eq!(amo.mapping, "amoCRM / Kommo leads export");
    assert_eq!(amo.files[0].dialect.encoding, "windows-1251");
    assert_eq!(amo.files[0].dialect.separator, b';');
    assert_eq!(amo.files[0].counted.rows, 60);
    let win = fit(&amo, "segments.small.win_probability");
    assert!(win.estimate.is_some(), "{win:?}");
    // 20 won of 36 decided small deals in the fixture.
    assert!((win.estimate.unwrap().value - 20.0 / 36.0).abs() < 1e-9);
    let value = fit(&amo, "segments.small.deal_value").estimate;
    // Amounts such as "12 500,50": the fixture's small deals are 10,000-20,000.
    assert!(value.is_none() || (10_000.0..20_000.0).contains(&value.unwrap().value));
    // Bitrix24: a deals export in its REST field names, and its call statistics.
    let b24 = from_fixture("bitrix24_deals.csv", Some("bitrix24_calls.csv"));
    assert_eq!(b24.mapping, "Bitrix24 deals export and call statistics");
    assert_eq!(b24.calls, 40);
    let talk = fit(&b24, "qualification.handle_minutes");
    assert!(talk.write.is_some(), "{talk:?}");
    // HubSpot: month-first dates with AM/PM.
    let hs = from_fixture("hubspot_deals.csv", None);
    assert_eq!(hs.mapping, "HubSpot deals export");
    assert_eq!(hs.files[0].counted.skipped, 0);
    let phone = fit(&hs, "demand.phone_share").estimate.unwrap();
    assert!((phone.value - 0.5).abs() < 1e-9, "{phone:?}");
    // Generic: the minimum import schema, with its call log, its clients' orders
    // (unsorted within a client; one unreadable amount at line 5, left out) and its stage
    // history (one unreadable date at line 3, a row without a lead id at line 4).
    let g = with_files(
        "generic_leads.csv",
        Some("generic_calls.csv"),
        Some("generic_orders.csv"),
        Some("generic_stages.csv"),
    );
    assert_eq!(g.mapping, "generic leads export and call log");
    assert!(fit(&g, "response.patience_seconds").estimate.is_some());
    assert_eq!(g.orders, 60);
    for path in ["segments.small.repeat_value", "segments.small.reorder_days"] {
        let f = fit(&g, path);
        assert!(
            f.write.is_some() && f.how.starts_with("through the model"),
            "{f:?}"
        );
    }
    let p = &g.problems.found[&(
        "generic_orders.csv".to_string(),
        "amount".to_string(),
        "unreadable number",
    )];
    assert_eq!((p.count, p.lines.clone()), (1, vec![5]));
    // The touches: make.py gives 20 won deals 3 stage changes after their first touch
    // ("new" and "reassigned" are not touches) and 20 lost ones 2 or 3, half each: a
    // mean of 2.75 over 40 decided deals, written as 3.
    let touches = fit(&g, "segments.small.touches");
    let e = touches.estimate.unwrap();
    assert!((e.value - 2.75).abs() < 1e-9 && e.n == 40, "{touches:?}");
    assert!(e.lo < 2.75 && e.hi > 2.75, "{e:?}");
    assert_eq!(touches.write, Some(Value::Number(3.0, 0)));
    let p = &g.problems.found[&(
        "generic_stages.csv".to_string(),
        "entered_at".to_string(),
        "unreadable date",
    )];
    assert_eq!((p.count, p.lines.clone()), (1, vec![3]));
    let p = &g.problems.found[&(
        "generic_stages.csv".to_string(),
        "lead_id".to_string(),
        "no id",
    )];
    assert_eq!((p.count, p.lines.clone()), (1, vec![4]));
    assert_eq!(g.files.last().unwrap().kind, "stages");
    // Without a stage history the touches are kept, and the page says why.
    let amo_touches = fit(&amo, "segments.small.touches");
    assert!(
        amo_touches.write.is_none() && amo_touches.how.contains("--stages"),
        "{amo_touches:?}"
    );
    for c in [&amo, &b24, &hs, &g] {
        assert!(Scenario::from_toml_str(&c.scenario).is_ok());
    }
}

#[test]
fn bad_rows_are_reported_with_their_lines_and_the_rest_is_used() {
    let c = from_fixture("bad_leads.csv", Some("bad_calls.csv"));
    let found = |file: &str, col: &str, rule: &str| {
        c.problems
            .found
            .iter()
            .find(|((f, k, r), _)| f == file && k == col && *r == rule)
            .map(|(_, p)| p.clone())
            .unwrap_or_else(|| panic!("{file} {col} {rule}: {:?}", c.problems.found.keys()))
    };
    let p = found("bad_leads.csv", "created_at", "unreadable date");
    assert_eq!(
        (p.count, p.lines.clone(), p.example.as_str()),
        (2, vec![3, 9], "yesterday")
    );
    let p = found("bad_leads.csv", "lead_id", "duplicate id");
    assert_eq!((p.count, p.lines.clone()), (1, vec![6]));
    let p = found("bad_leads.csv", "amount", "unreadable number");
    assert_eq!(p.lines, vec![7]);
    let p = found("bad_leads.csv", "closed_at", "before the lead was created");
    assert_eq!(p.lines, vec![8]);
    let p = found("bad_calls.csv", "wait_s", "negative duration");
    assert_eq!(p.lines, vec![4]);
    let p = found("bad_calls.csv", "status", "unknown status");
    assert_eq!((p.lines.clone(), p.example.as_str()), (vec![5], "busy"));
    // The rest is used: 12 rows of leads, 3 skipped (two dates, one duplicate).
    assert_eq!(
        c.files[0].counted,
        calibrate::records::Counted {
            rows: 12,
            skipped: 3
        }
    );
    assert_eq!(c.leads, 9);
    assert_eq!(c.calls, 5);
    let table = report::calibration::table(&c);
    assert!(
        table.contains(
            "bad_leads.csv: created_at: unreadable date: 2 rows (lines 3, 9; e.g. \"yesterday\")"
        ),
        "{table}"
    );
    // Too little data keeps the template and says so.
    let p = fit(&c, "response.patience_seconds");
    assert!(
        p.write.is_none() && p.how.starts_with("kept: fewer than 30"),
        "{p:?}"
    );
}

#[test]
fn the_command_writes_the_scenario_and_the_page_and_refuses_bad_input() {
    let tmp = tempfile::tempdir().unwrap();
    let events = tmp.path().join("events.csv");
    std::fs::write(&events, event_log(&truth_text(), 7)).unwrap();
    let out = tmp.path().join("cal/scenario.toml");
    let o = Command::cargo_bin("salesim")
        .unwrap()
        .args(["calibrate"])
        .arg(&events)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8(o.stdout).unwrap();
    assert!(stdout.contains("response.patience_seconds"), "{stdout}");
    assert!(stdout.contains("read as salesim event log"), "{stdout}");
    let html = std::fs::read_to_string(tmp.path().join("cal/calibration.html")).unwrap();
    roxmltree::Document::parse(&html.replace("<!DOCTYPE html>", "")).expect("well-formed");
    for id in [
        "chart-months",
        "chart-hours",
        "chart-patience",
        "chart-decay",
        "chart-value-small",
        "chart-cycle-small",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }
    Command::cargo_bin("salesim")
        .unwrap()
        .arg("validate")
        .arg(&out)
        .assert()
        .success();
    // Bad input: exit 2, a message naming what is wrong, nothing written.
    let stages = fixture("generic_stages.csv");
    let stages = stages.to_str().unwrap();
    let no_ids = tmp.path().join("no_ids.csv");
    std::fs::write(&no_ids, "created_at,outcome\n2026-03-01 10:00,won\n").unwrap();
    let no_ids = no_ids.to_str().unwrap();
    let events_path = events.to_str().unwrap();
    let cases: [(&[&str], &str); 5] = [
        (
            &[events_path, "--mapping", "excel"],
            "no built-in mapping \"excel\"",
        ),
        (
            &[events_path, "--calls", "/nonexistent/calls.csv"],
            "cannot open",
        ),
        (
            &[events_path, "--mapping", "hubspot"],
            "no column for `created`",
        ),
        (
            &[events_path, "--stages", stages],
            "an event log carries its deals' touches",
        ),
        (
            &[no_ids, "--mapping", "generic", "--stages", stages],
            "a stage history is matched to the leads by their id",
        ),
    ];
    for (args, message) in cases {
        let dir = tmp.path().join("refused");
        let o = Command::cargo_bin("salesim")
            .unwrap()
            .arg("calibrate")
            .args(args)
            .arg("--out")
            .arg(dir.join("s.toml"))
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(message), "{args:?}: {err}");
        assert!(!dir.exists(), "{args:?} wrote something");
    }
    // A file with no usable row.
    let bad = tmp.path().join("bad.csv");
    std::fs::write(&bad, "lead_id,created_at\n1,never\n2,soon\n").unwrap();
    let o = Command::cargo_bin("salesim")
        .unwrap()
        .arg("calibrate")
        .arg(&bad)
        .arg("--out")
        .arg(tmp.path().join("none/s.toml"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no usable lead: 2 rows with unreadable date in created_at (lines 2, 3)"),
        "{err}"
    );
}

/// A fixed-seed xorshift for the mutations.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// `bytes` damaged one way: cut, a byte changed, a hostile token inserted, a line
/// doubled.
fn mutate(bytes: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut b = bytes.to_vec();
    let at = rng.below(b.len());
    match rng.below(4) {
        0 => b.truncate(at),
        1 => b[at] = rng.below(256) as u8,
        2 => {
            const TOKENS: [&str; 14] = [
                "\"",
                ";",
                ",",
                "\n",
                "\r",
                "\0",
                "-1e308",
                "NaN",
                "inf",
                "99999999999999",
                "31.13.2026",
                "2026-02-30 25:61",
                "\u{feff}",
                "-0,0",
            ];
            let t = TOKENS[rng.below(TOKENS.len())];
            b.splice(at..at, t.bytes());
        }
        _ => {
            let start = b[..at]
                .iter()
                .rposition(|&c| c == b'\n')
                .map_or(0, |i| i + 1);
            let end = b[at..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(b.len(), |i| at + i + 1);
            let line = b[start..end].to_vec();
            b.splice(end..end, line);
        }
    }
    b
}

#[test]
fn damaged_files_never_panic_nor_write_an_invalid_scenario() {
    // 240 damaged files (fixed seed): each calibrates or is refused with a message; a
    // refusal is never the "does not validate" defect. The event log is three months of
    // the default department, its template cut to three months too, so that the cycles'
    // simulations stay short.
    let short = DEFAULT_TOML.replacen("horizon_months = 36 ", "horizon_months = 3  ", 1);
    let log = event_log(&short, 11);
    let read = |n: &str| std::fs::read(fixture(n)).unwrap();
    // The second file is a call log, or (marked) a stage history.
    let pairs: Vec<(Vec<u8>, Option<Vec<u8>>, bool)> = vec![
        (read("amocrm_leads.csv"), None, false),
        (
            read("bitrix24_deals.csv"),
            Some(read("bitrix24_calls.csv")),
            false,
        ),
        (read("hubspot_deals.csv"), None, false),
        (
            read("generic_leads.csv"),
            Some(read("generic_calls.csv")),
            false,
        ),
        (
            read("generic_leads.csv"),
            Some(read("generic_stages.csv")),
            true,
        ),
        (read("bad_leads.csv"), Some(read("bad_calls.csv")), false),
        (log, None, false),
    ];
    let mut rng = Rng(0x5eed_2026_1204);
    let (mut ok, mut refused) = (0, 0);
    for case in 0..240 {
        let (leads, calls, stages) = &pairs[case % pairs.len()];
        let damage_calls = calls.is_some() && rng.below(3) == 0;
        let leads = if damage_calls {
            leads.clone()
        } else {
            mutate(leads, &mut rng)
        };
        let calls = calls.as_ref().map(|c| {
            if damage_calls {
                mutate(c, &mut rng)
            } else {
                c.clone()
            }
        });
        let template = Template {
            name: "t".into(),
            text: short.clone(),
        };
        let (calls, stages) = if *stages {
            (None, calls.map(|c| source("stages.csv", c)))
        } else {
            (calls.map(|c| source("calls.csv", c)), None)
        };
        let result = calibrate::calibrate(
            Inputs {
                calls,
                stages,
                ..Inputs::leads(source("leads.csv", leads))
            },
            None,
            &template,
        );
        match result {
            Ok(c) => {
                assert!(Scenario::from_toml_str(&c.scenario).is_ok());
                ok += 1;
            }
            Err(e) => {
                assert!(
                    !matches!(e, calibrate::CalibrateError::Defect(_)),
                    "case {case}: {e}"
                );
                assert!(!e.to_string().is_empty());
                refused += 1;
            }
        }
    }
    // Most damage leaves a usable file.
    assert!(ok > 150, "{ok} calibrated, {refused} refused");
}
