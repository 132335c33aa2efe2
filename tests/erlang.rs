//! The engine reduced to a pure queue (`scenarios/erlang_a.toml`) against queueing
//! theory: Erlang C (no abandonment) and Erlang A (exponential patience), from light load
//! to overload, for the abandonment share, the mean wait and the service level.
//!
//! Tolerance: each metric is averaged over R independent replications (a month of about
//! 74,000 calls each); the simulated mean must lie within t(0.999, R-1) standard errors of
//! the exact value, plus 0.2% of the value for the start-empty transient and the calls
//! still waiting at the end (both a handful of calls among 74,000).

mod common;

use common::{mean_se, parse, scenario_text, t999};
use salesim::sim;

/// Exact stationary metrics of the M/M/n+M queue (theta = 0 gives M/M/n), in hours.
struct Theory {
    abandon: f64,
    mean_wait_h: f64,
    service_level: f64,
}

fn theory(lambda: f64, mu: f64, n: usize, theta: f64, sl_h: f64) -> Theory {
    // Birth-death chain truncated where the tail is negligible.
    let k_max = n + 2_000;
    let death = |k: usize| (k.min(n) as f64) * mu + (k.saturating_sub(n) as f64) * theta;
    let mut p = vec![1.0f64; k_max + 1];
    for k in 1..=k_max {
        p[k] = p[k - 1] * lambda / death(k);
    }
    let z: f64 = p.iter().sum();
    p.iter_mut().for_each(|x| *x /= z);
    let queue: f64 = p
        .iter()
        .enumerate()
        .map(|(k, x)| k.saturating_sub(n) as f64 * x)
        .sum();
    let abandon = theta * queue / lambda;
    let mean_wait_h = queue / lambda; // Little's law on the queue, abandoners included
                                      // Service level: an arrival that finds i people queued ahead waits through stages of
                                      // rate n mu + j theta (j = i..0) while its own patience runs at rate theta. Solve the
                                      // linear ODE for the queue-position distribution q_i(t) with RK4 and integrate the
                                      // rate of entering service, n mu q_0.
    let m = k_max - n;
    let rate = |i: usize| n as f64 * mu + i as f64 * theta;
    let deriv = |q: &[f64], out: &mut [f64]| {
        for i in 0..=m {
            let inflow = if i < m { rate(i + 1) * q[i + 1] } else { 0.0 };
            out[i] = inflow - (rate(i) + theta) * q[i];
        }
    };
    let mut q: Vec<f64> = (0..=m).map(|i| p[n + i]).collect();
    let steps = 20_000;
    let dt = sl_h / steps as f64;
    let mut served = p[..n].iter().sum::<f64>();
    let (mut k1, mut k2, mut k3, mut k4) = (
        vec![0.0; m + 1],
        vec![0.0; m + 1],
        vec![0.0; m + 1],
        vec![0.0; m + 1],
    );
    let mut tmp = vec![0.0; m + 1];
    for _ in 0..steps {
        let q0 = q[0];
        deriv(&q, &mut k1);
        for i in 0..=m {
            tmp[i] = q[i] + dt / 2.0 * k1[i];
        }
        deriv(&tmp, &mut k2);
        let q0_mid1 = tmp[0];
        for i in 0..=m {
            tmp[i] = q[i] + dt / 2.0 * k2[i];
        }
        deriv(&tmp, &mut k3);
        let q0_mid2 = tmp[0];
        for i in 0..=m {
            tmp[i] = q[i] + dt * k3[i];
        }
        deriv(&tmp, &mut k4);
        for i in 0..=m {
            q[i] += dt / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
        }
        let q0_end = q[0];
        served += n as f64 * mu * dt / 6.0 * (q0 + 2.0 * q0_mid1 + 2.0 * q0_mid2 + q0_end);
    }
    Theory {
        abandon,
        mean_wait_h,
        service_level: served,
    }
}

/// Erlang C closed form, to check the chain above.
fn erlang_c(lambda: f64, mu: f64, n: usize, t_h: f64) -> (f64, f64) {
    let a = lambda / mu;
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..n {
        term *= a / k as f64;
        sum += term;
    }
    let last = term * a / n as f64 * n as f64 / (n as f64 - a);
    let c = last / (sum + last);
    let wait = c / (n as f64 * mu - lambda);
    (wait, 1.0 - c * (-(n as f64 * mu - lambda) * t_h).exp())
}

#[test]
fn chain_matches_erlang_c_closed_form() {
    let t = theory(100.0, 12.0, 10, 0.0, 20.0 / 3600.0);
    let (w, sl) = erlang_c(100.0, 12.0, 10, 20.0 / 3600.0);
    assert!(
        (t.mean_wait_h / w - 1.0).abs() < 1e-9,
        "{} vs {w}",
        t.mean_wait_h
    );
    assert!(
        (t.service_level - sl).abs() < 1e-6,
        "{} vs {sl}",
        t.service_level
    );
    assert_eq!(t.abandon, 0.0);
}

/// Runs `reps` replications of the queue with `operators` and the given patience
/// (`None`: callers never hang up) and checks them against theory.
fn check(operators: u32, patience_s: Option<f64>, reps: u64) {
    let text =
        scenario_text("erlang_a.toml").replace("count = 10", &format!("count = {operators}"));
    let text = match patience_s {
        Some(p) => text.replace("mean = 60 }", &format!("mean = {p} }}")),
        // Longer than the horizon: nobody abandons.
        None => text.replace("{ dist = \"exponential\", mean = 60 }", "100000000"),
    };
    let sc = parse(&text);
    let (lambda, mu) = (100.0, 12.0);
    let theta = patience_s.map_or(0.0, |p| 3600.0 / p);
    let th = theory(lambda, mu, operators as usize, theta, 20.0 / 3600.0);
    let (mut ab, mut wait, mut sl) = (vec![], vec![], vec![]);
    for rep in 0..reps {
        let m = &sim::run(&sc, 0, rep).months[0];
        let n = m.phone_resolved as f64;
        ab.push(m.phone_abandoned as f64 / n);
        wait.push(m.phone_wait_ms as f64 / n / 3_600_000.0);
        sl.push(m.phone_answered_in_sl as f64 / n);
    }
    let t = t999(reps as usize - 1);
    for (name, xs, exact) in [
        ("abandonment", &ab, th.abandon),
        ("mean wait (h)", &wait, th.mean_wait_h),
        ("service level", &sl, th.service_level),
    ] {
        let (m, se) = mean_se(xs);
        let tol = t * se + 0.002 * exact;
        assert!(
            (m - exact).abs() <= tol,
            "{operators} operators, patience {patience_s:?}: {name} simulated {m:.6} +- {se:.6}, exact {exact:.6} (tolerance {tol:.6})"
        );
    }
}

#[test]
fn erlang_c_light_load() {
    check(12, None, 8); // rho = 0.69
}

#[test]
fn erlang_c_heavy_load() {
    check(9, None, 12); // rho = 0.93
}

#[test]
fn erlang_a_light_load() {
    check(12, Some(60.0), 8);
}

#[test]
fn erlang_a_moderate_load() {
    check(10, Some(60.0), 8); // the scenario as shipped, rho = 0.83
}

#[test]
fn erlang_a_overloaded() {
    check(7, Some(60.0), 8); // rho = 1.19: only abandonment keeps the queue finite
}
