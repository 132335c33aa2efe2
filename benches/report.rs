//! Criterion benchmarks of the report layer on a finished 5-structure, 12-month
//! comparison of the default scenario: reading the files back, drawing every chart as
//! SVG and PNG, and writing report.html (what `salesim report DIR` does, minus the disk).
//!
//!     cargo bench --bench report

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use salesim::experiment::{Discard, Experiment, Replications, Request};
use salesim::report::chart::{self, Format, Kind, Options};
use salesim::report::csv::{Cell, Style};
use salesim::report::experiment as rx;
use salesim::report::html;
use salesim::report::results::{Files, Manifest, PointRun, Results};
use salesim::scenario::DEFAULT_TOML;

/// The CSV bytes of `header` and `rows`.
fn csv(header: Vec<Cell>, rows: Vec<Vec<Cell>>) -> Vec<u8> {
    let mut out = vec![];
    let style = Style::default();
    style.write_rows(&mut out, &[header]).unwrap();
    style.write_rows(&mut out, &rows).unwrap();
    out
}

/// The files of a 20-replication comparison, as `salesim compare` writes them.
struct Folder {
    manifest: String,
    summary: Vec<u8>,
    monthly: Vec<u8>,
    differences: Vec<u8>,
    claims: Vec<u8>,
}

fn folder() -> Folder {
    let req = Request {
        replications: Some(Replications::Fixed(20)),
        ..Request::default()
    };
    let exp = Experiment::new(DEFAULT_TOML, &req).expect("the default scenario is valid");
    let (acc, stop) = exp.run_point(0, None, &|_| {}, &mut Discard).unwrap();
    let r = exp.result(0, &acc, stop);
    let points = vec![PointRun {
        replications: r.replications,
        stop: r.stop,
        planned: None,
    }];
    Folder {
        manifest: serde_json::to_string(&Manifest::new(&req, false, points)).unwrap(),
        summary: csv(rx::summary_header(&exp), rx::summary_rows(&exp, &r)),
        monthly: csv(rx::monthly_header(&exp), rx::monthly_rows(&exp, &r)),
        differences: csv(rx::differences_header(&exp), rx::differences_rows(&exp, &r)),
        claims: csv(rx::claims_header(&exp), rx::claims_rows(&exp, &r)),
    }
}

fn parse(f: &Folder) -> Results {
    Results::parse(
        "bench",
        &Files {
            manifest: &f.manifest,
            scenario: DEFAULT_TOML,
            summary: &f.summary,
            monthly: &f.monthly,
            differences: &f.differences,
            claims: Some(&f.claims),
        },
    )
    .unwrap()
}

fn report(c: &mut Criterion) {
    let f = folder();
    let mut g = c.benchmark_group("report");
    g.sample_size(10);
    g.bench_function("read_files", |b| b.iter(|| black_box(parse(&f))));
    let r = parse(&f);
    let opts = Options::default();
    for kind in [Kind::Revenue, Kind::Lost] {
        for format in [Format::Svg, Format::Png] {
            let name = format!("{}_{}", kind.name(), format.extension());
            g.bench_function(name, |b| {
                b.iter(|| black_box(chart::render(kind, &r, format, &opts).unwrap()))
            });
        }
    }
    // Everything `salesim report` draws for a comparison: five charts in two formats and
    // the page.
    g.bench_function("everything_5x36", |b| {
        b.iter(|| {
            let r = parse(&f);
            let mut svgs = vec![];
            for kind in Kind::ALL
                .into_iter()
                .filter(|k| k.unavailable(&r).is_none())
            {
                let png = chart::render(kind, &r, Format::Png, &opts).unwrap();
                let svg = chart::render(kind, &r, Format::Svg, &opts).unwrap();
                black_box(png);
                svgs.push((kind, String::from_utf8(svg).unwrap()));
            }
            black_box(html::report(&r, 0, &svgs))
        })
    });
    g.finish();
}

criterion_group!(benches, report);
criterion_main!(benches);
