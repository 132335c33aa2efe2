//! Criterion benchmarks: the engine on the pure queue (arrivals per second on one core),
//! one replication of the default scenario under each structure, and the event queue.
//!
//!     cargo bench --bench engine

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use salesim::engine::{EventQueue, Time};
use salesim::scenario::Scenario;
use salesim::sim;

fn scenario(name: &str) -> Scenario {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name);
    Scenario::load(&path).expect("shipped scenario")
}

/// `erlang_a.toml`: 100 calls an hour for a 31-day month (about 74,400 arrivals), 5-minute
/// calls, 10 operators, 1-minute mean patience. Throughput is in arrivals per second.
fn erlang_a(c: &mut Criterion) {
    let sc = scenario("erlang_a.toml");
    let arrivals = sim::run(&sc, 0, 0).total().leads_arrived();
    let mut g = c.benchmark_group("erlang_a");
    g.throughput(Throughput::Elements(arrivals));
    let mut rep = 0;
    g.bench_function("one_month", |b| {
        b.iter(|| {
            rep += 1;
            black_box(sim::run(&sc, 0, rep))
        })
    });
    g.finish();
}

/// One replication (a year, about 14,000 inbound leads) of `default.toml` per structure.
fn default_year(c: &mut Criterion) {
    let sc = scenario("default.toml");
    let mut g = c.benchmark_group("default_year");
    g.sample_size(30);
    for (i, s) in sc.structures.iter().enumerate() {
        g.bench_with_input(BenchmarkId::from_parameter(&s.name), &i, |b, &i| {
            b.iter(|| black_box(sim::run(&sc, i, 0)))
        });
    }
    g.finish();
}

/// One replication of `default.toml` under one-level and the conveyor, with and without
/// turnover (attrition of 25% a year for managers, closers, hunters and farmers, R4, and the
/// shipped walk-out shares): what people leaving costs the simulation.
fn turnover(c: &mut Criterion) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/default.toml");
    let text = std::fs::read_to_string(path).expect("shipped scenario");
    let on =
        Scenario::from_toml_str(&text.replace("annual_attrition = 0 ", "annual_attrition = 0.25 "))
            .expect("valid");
    let off = Scenario::from_toml_str(&text).expect("valid");
    assert!(on.structures.iter().any(|s| s.has_turnover()));
    let mut g = c.benchmark_group("turnover");
    g.sample_size(30);
    for name in ["one_level", "conveyor"] {
        let i = off
            .structure_names()
            .iter()
            .position(|&n| n == name)
            .expect("preset");
        for (label, sc) in [("off", &off), ("on", &on)] {
            g.bench_function(format!("{name}_{label}"), |b| {
                b.iter(|| black_box(sim::run(sc, i, 0)))
            });
        }
    }
    g.finish();
}

/// Schedule and pop 1,000 events with a steady queue of about 100 pending.
fn event_queue(c: &mut Criterion) {
    let mut g = c.benchmark_group("event_queue");
    g.throughput(Throughput::Elements(1_000));
    g.bench_function("hold_100", |b| {
        let mut q = EventQueue::with_capacity(256);
        for i in 0..100u64 {
            q.schedule(Time(i * 7919 % 1000), i);
        }
        b.iter(|| {
            for _ in 0..1_000 {
                let (t, e) = q.pop().expect("never empty");
                q.schedule(t + Time(e * 7919 % 1000 + 1), e);
            }
        })
    });
    g.finish();
}

criterion_group!(benches, erlang_a, default_year, turnover, event_queue);
criterion_main!(benches);
