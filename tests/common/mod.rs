//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

use salesim::scenario::Scenario;

/// Every shipped scenario, the default first.
pub const SHIPPED: &[&str] = &[
    "default.toml",
    "erlang_a.toml",
    "roofing_seasonal.toml",
    "cosmetics_wholesale.toml",
    "retail_equipment.toml",
    "property_developer.toml",
    "car_dealer.toml",
    "b2b_equipment.toml",
];

/// A shipped scenario file.
pub fn scenario_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
}

/// The text of a shipped scenario.
pub fn scenario_text(name: &str) -> String {
    std::fs::read_to_string(scenario_path(name)).unwrap()
}

/// Scenario text cut (or stretched) to `months` months: the `horizon_months` line is
/// replaced (it must be there), and a warm-up that would leave nothing is dropped.
pub fn with_horizon(text: &str, months: u32) -> String {
    let line = text
        .lines()
        .find(|l| l.starts_with("horizon_months"))
        .expect("a horizon_months line");
    let mut out = text.replace(line, &format!("horizon_months = {months}"));
    let warmup = out
        .lines()
        .find(|l| l.starts_with("warmup_months"))
        .map(str::to_string);
    if let Some(w) = warmup {
        let n: u32 = w
            .split('=')
            .nth(1)
            .and_then(|v| v.split('#').next())
            .and_then(|v| v.trim().parse().ok())
            .expect("a whole number of warm-up months");
        if n >= months {
            out = out.replace(&w, "warmup_months = 0");
        }
    }
    out
}

/// The text of a test fixture (`tests/fixtures/NAME`) with each `(from, to)` edit made
/// (each `from` must be in it).
pub fn fixture_text(name: &str, edit: &[(&str, &str)]) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let mut text = std::fs::read_to_string(path).unwrap();
    for (from, to) in edit {
        assert!(text.contains(from), "{from}");
        text = text.replace(from, to);
    }
    text
}

/// A test fixture with edits, as [`fixture_text`], parsed.
pub fn fixture(name: &str, edit: &[(&str, &str)]) -> Scenario {
    parse(&fixture_text(name, edit))
}

/// Day `day` of the horizon at `h:m:s`.
pub fn at(day: u32, h: u64, m: u64, s: u64) -> salesim::engine::Time {
    use salesim::engine::Time;
    Time::at_day(day) + Time((h * 3600 + m * 60 + s) * 1000)
}

/// Parses scenario text, panicking with the problems.
pub fn parse(text: &str) -> Scenario {
    Scenario::from_toml_str(text).unwrap_or_else(|e| panic!("{e}"))
}

/// Two-sided Student t quantile at 99.9% confidence (alpha = 0.001) for `df` degrees of
/// freedom, from a table (df >= 30 uses the normal value).
pub fn t999(df: usize) -> f64 {
    const T: [f64; 29] = [
        636.6, 31.60, 12.92, 8.610, 6.869, 5.959, 5.408, 5.041, 4.781, 4.587, 4.437, 4.318, 4.221,
        4.140, 4.073, 4.015, 3.965, 3.922, 3.883, 3.850, 3.819, 3.792, 3.768, 3.745, 3.725, 3.707,
        3.690, 3.674, 3.659,
    ];
    if df == 0 {
        f64::INFINITY
    } else if df < 30 {
        T[df - 1]
    } else {
        3.291
    }
}

/// Mean and standard error of the mean.
pub fn mean_se(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let m = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
    (m, (var / n).sqrt())
}

/// Starts `salesim ARGS... --quiet --out OUT` (output discarded), waits until `ready`
/// (polled every 10 ms, at most `limit_s` seconds), then kills it with SIGKILL: a job
/// killed mid-run, which cleans nothing up. Panics if it ends on its own first.
pub fn kill_when(args: &[&str], out: &std::path::Path, limit_s: u64, ready: impl Fn() -> bool) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_salesim"))
        .args(args)
        .args(["--quiet", "--out"])
        .arg(out)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while !ready() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("{args:?} ended before it was killed: {status}");
        }
        assert!(
            start.elapsed().as_secs() < limit_s,
            "{args:?}: not ready in {limit_s} s"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "{args:?} finished before the kill");
}
