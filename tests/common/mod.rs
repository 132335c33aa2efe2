//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

use salesim::scenario::Scenario;

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
