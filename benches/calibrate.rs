//! Criterion benchmarks of calibration (`salesim calibrate`): a million-row event log,
//! read and added up alone, and the whole calibration (the fits, the cycles fitted
//! through the model, the scenario written).
//!
//!     cargo bench --bench calibrate

use std::hint::black_box;
use std::io::Cursor;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use salesim::calibrate::{self, fit::Accumulator, input, records, Problems, Source, Template};
use salesim::report;
use salesim::scenario::{Scenario, DEFAULT_TOML};
use salesim::sim::Simulation;

/// The default department over ten years at twice its demand: about a million rows of
/// event log (37 MB), made once.
fn million_rows() -> (String, Vec<u8>) {
    let text = DEFAULT_TOML
        .replacen("horizon_months = 36 ", "horizon_months = 120", 1)
        .replacen("scale = 1.0 ", "scale = 2.0 ", 1);
    let sc = Scenario::from_toml_str(&text).expect("valid");
    assert_eq!(sc.demand.per_month.len(), 120);
    let (r, log) = Simulation::new(&sc, sc.default_structure, 0).run_logged();
    let names: Vec<String> = sc.segments.iter().map(|s| s.name.clone()).collect();
    let mut bytes = Vec::new();
    report::csv::write_events(&r, &names, &log, &mut bytes).expect("in memory");
    (text, bytes)
}

fn calibration(c: &mut Criterion) {
    let (text, bytes) = million_rows();
    let rows = bytes.iter().filter(|&&b| b == b'\n').count() as u64 - 1;
    let mut g = c.benchmark_group("calibrate");
    g.sample_size(10);
    g.throughput(Throughput::Elements(rows));
    g.bench_function("read_events_1m", |b| {
        b.iter(|| {
            let mut t = input::Table::open(
                Box::new(Cursor::new(bytes.clone())),
                &input::Forced::default(),
            )
            .expect("readable");
            let mut acc = Accumulator::new();
            let mut problems = Problems::default();
            let n =
                records::read_events(&mut t, "events.csv", &mut acc, &mut problems).expect("read");
            black_box((n, acc.leads()))
        })
    });
    g.bench_function("calibrate_events_1m", |b| {
        b.iter(|| {
            let source = Source {
                name: "events.csv".into(),
                reader: Box::new(Cursor::new(bytes.clone())),
            };
            let template = Template {
                name: "default".into(),
                text: text.clone(),
            };
            black_box(
                calibrate::calibrate(calibrate::Inputs::leads(source), None, &template)
                    .expect("calibrated"),
            )
        })
    });
    g.finish();
}

criterion_group!(benches, calibration);
criterion_main!(benches);
