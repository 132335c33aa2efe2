//! Criterion benchmarks of experiments: a comparison of the five structures on the
//! default scenario (replications in parallel on every core), a team search, and the
//! statistics accumulators alone.
//!
//!     cargo bench --bench experiment

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use salesim::experiment::stats::{Acc, CoMoments};
use salesim::experiment::teams::{optimise, OptimiseRequest, TeamProblem};
use salesim::experiment::{Discard, Experiment, Replications, Request};
use salesim::scenario::DEFAULT_TOML;

/// `salesim compare` on `default.toml`: 20 replications x 5 structures (36 months each,
/// the first 12 a warm-up). Throughput is in replications per second.
fn compare(c: &mut Criterion) {
    let req = Request {
        replications: Some(Replications::Fixed(20)),
        ..Request::default()
    };
    let exp = Experiment::new(DEFAULT_TOML, &req).expect("the default scenario is valid");
    let mut g = c.benchmark_group("compare");
    g.sample_size(10);
    g.throughput(Throughput::Elements(20 * exp.variants.len() as u64));
    g.bench_function("default_20x5", |b| {
        b.iter(|| black_box(exp.run_point(0, None, &|_| {}, &mut Discard).unwrap()))
    });
    g.finish();
}

/// `salesim compare --optimise` on `default.toml`, the search alone, for one-level at the
/// default budget (its own preset's staff cost): it measures the budget (40
/// replications), tries the team with one manager more (over budget) and one fewer
/// (which loses), and stops: 3 teams, 120 replications of 36 months. Throughput is in
/// replications per second; the whole five-structure search is about 15 times this.
fn team_search(c: &mut Criterion) {
    let req = Request {
        structures: Some(vec!["one_level".into()]),
        replications: Some(Replications::Fixed(2)),
        ..Request::default()
    };
    let exp = Experiment::new(DEFAULT_TOML, &req).expect("the default scenario is valid");
    let problem = TeamProblem::new(&exp, &OptimiseRequest::default()).expect("a search");
    let mut g = c.benchmark_group("teams");
    g.sample_size(10);
    g.throughput(Throughput::Elements(120));
    g.bench_function("default_one_level", |b| {
        b.iter(|| black_box(optimise(&exp, &problem, &mut |_| {}).unwrap()))
    });
    g.finish();
}

/// Adding one replication's values to the accumulators of one metric: moments, sketch,
/// and paired co-moments.
fn accumulators(c: &mut Criterion) {
    let xs: Vec<f64> = (0..1_000)
        .map(|i| 1e6 + f64::from(i * 7919 % 1000) * 37.0)
        .collect();
    let mut g = c.benchmark_group("stats");
    g.throughput(Throughput::Elements(xs.len() as u64));
    g.bench_function("acc_add_1000", |b| {
        b.iter(|| {
            let mut a = Acc::default();
            let mut p = CoMoments::default();
            for &x in &xs {
                a.add(x);
                p.add(x, x * 0.9);
            }
            black_box((a.summary(), p.difference(1.0)))
        })
    });
    g.finish();
}

criterion_group!(benches, compare, team_search, accumulators);
criterion_main!(benches);
