//! Charts and the HTML report, end to end: from a small real comparison and a sweep
//! written by the binary, through `chart` and `report`, to a headless browser.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::sync::OnceLock;

use assert_cmd::Command;

use salesim::report::chart::{png_size, Kind};

fn salesim() -> Command {
    Command::cargo_bin("salesim").unwrap()
}

/// Results folders written once per test binary: a 5-structure, 12-month comparison of
/// the default scenario and a 2-point sweep.
struct Fixture {
    _tmp: tempfile::TempDir,
    compare: PathBuf,
    sweep: PathBuf,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let compare = tmp.path().join("compare");
        salesim()
            .args([
                "compare",
                "--replications",
                "6",
                "--reference",
                "unlimited",
                "--quiet",
            ])
            .arg("--out")
            .arg(&compare)
            .assert()
            .success();
        let text = common::with_horizon(&common::scenario_text("default.toml"), 3);
        let sc = tmp.path().join("short.toml");
        std::fs::write(&sc, text).unwrap();
        let sweep = tmp.path().join("sweep");
        salesim()
            .arg("sweep")
            .arg(&sc)
            .args([
                "--set",
                "roles.call_centre.count=2,6",
                "--replications",
                "4",
            ])
            .args(["--structures", "one_level,conveyor", "--quiet", "--out"])
            .arg(&sweep)
            .assert()
            .success();
        Fixture {
            _tmp: tmp,
            compare,
            sweep,
        }
    })
}

const STRUCTURES: [&str; 5] = [
    "one_level",
    "assistant",
    "lead_chopper",
    "two_level",
    "conveyor",
];

/// Every text of an SVG, joined; panics if the SVG is not well-formed.
fn svg_texts(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let doc = roxmltree::Document::parse(&text)
        .unwrap_or_else(|e| panic!("{}: not well-formed: {e}", path.display()));
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The title and axis labels each chart must show.
fn expected(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Revenue => &[
            "Revenue by month, USD",
            "Revenue per month, USD",
            "Inbound leads per month",
            "Month",
            "inbound leads (right axis)",
        ],
        Kind::Lost => &[
            "Lost leads by month and cause",
            "Lost leads per month",
            "Month",
            "calls abandoned",
            "decisions lost*",
            "never reached*",
            "deals gone cold",
        ],
        Kind::Totals => &[
            "Totals over 24 months per structure",
            "Gross profit, USD",
            "Revenue, USD",
            "Payroll, USD",
            "Lost leads",
        ],
        Kind::Time => &[
            "Where paid hours go, by structure and role",
            "Share of paid hours",
            "selling",
            "idle",
            "one_level · manager",
            "conveyor · call_centre",
        ],
        Kind::Diff => &[
            "Each structure minus one_level on the same leads",
            "Difference vs one_level",
            "Gross profit, USD: higher is better",
        ],
        Kind::Service => &[
            "How fast leads are answered, by month",
            "Calls answered in time",
            "Time to first contact",
            "Month",
        ],
        Kind::Sweep => &[
            "gross profit, USD against roles.call_centre.count",
            "roles.call_centre.count",
            "gross profit, USD",
        ],
    }
}

#[test]
fn every_chart_names_what_it_shows_and_every_structure() {
    let f = fixture();
    for kind in Kind::ALL {
        let (dir, names): (&Path, &[&str]) = if kind == Kind::Sweep {
            (&f.sweep, &["one_level", "conveyor"])
        } else {
            (&f.compare, &STRUCTURES)
        };
        let path = dir.join("charts").join(format!("{}.svg", kind.name()));
        let texts = svg_texts(&path);
        for want in expected(kind) {
            assert!(
                texts.contains(want),
                "{}: no {want:?} in\n{texts}",
                kind.name()
            );
        }
        for name in names {
            // The difference chart shows the baseline in its title, the others as rows.
            assert!(texts.contains(name), "{}: no structure {name}", kind.name());
        }
    }
    // A comparison has no sweep to chart.
    assert!(!f.compare.join("charts/sweep.svg").exists());
}

#[test]
fn pngs_decode_at_the_stated_size_and_are_not_blank() {
    let f = fixture();
    let (w, h) = png_size();
    let mut seen = 0;
    for dir in [&f.compare, &f.sweep] {
        for entry in std::fs::read_dir(dir.join("charts")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "png") {
                continue;
            }
            let (pw, ph, rgb) = decode_png(&path);
            assert_eq!((pw, ph), (w, h), "{}", path.display());
            let colours = distinct_colours(&rgb);
            assert!(colours > 20, "{}: only {colours} colours", path.display());
            seen += 1;
        }
    }
    assert_eq!(seen, 6 + 7, "six charts of a comparison, seven of a sweep");
}

fn decode_png(path: &Path) -> (u32, u32, Vec<u8>) {
    let file = std::fs::File::open(path).unwrap();
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb, "{}", path.display());
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

fn distinct_colours(rgb: &[u8]) -> usize {
    let mut set = std::collections::HashSet::new();
    for px in rgb.chunks_exact(3) {
        set.insert((px[0], px[1], px[2]));
    }
    set.len()
}

/// `summary.csv` as (structure, metric) -> (mean, ci95_half), the exact strings.
fn summary(dir: &Path) -> HashMap<(String, String), (String, String)> {
    let mut r = csv::Reader::from_path(dir.join("summary.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let (s, m, mean, half) = (
        col("structure"),
        col("metric"),
        col("mean"),
        col("ci95_half"),
    );
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (
                (rec[s].to_string(), rec[m].to_string()),
                (rec[mean].to_string(), rec[half].to_string()),
            )
        })
        .collect()
}

/// `1234567.8` -> `1 234 568`, as the report shows money (written out here, not taken
/// from the library, so the test checks the library's formatting).
fn grouped(x: f64) -> String {
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    if x < 0.0 && digits != "0" {
        format!("-{out}")
    } else {
        out
    }
}

/// Parses the report as XML (it is written well-formed), panicking with the error.
fn parse_page(html: &str) -> roxmltree::Document<'_> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(html, opts)
        .unwrap_or_else(|e| panic!("report.html is not well-formed: {e}"))
}

#[test]
fn report_is_well_formed_embeds_every_chart_and_shows_the_summary_numbers() {
    let f = fixture();
    let html = std::fs::read_to_string(f.compare.join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script"), "no JavaScript");
    assert!(
        !html.contains("http://") || !html.contains("src=\"http"),
        "no network"
    );
    let doc = parse_page(&html);
    // Every chart the folder has is embedded, as the same SVG.
    for kind in Kind::ALL.into_iter().filter(|&k| k != Kind::Sweep) {
        let id = format!("chart-{}", kind.name());
        let fig = doc
            .descendants()
            .find(|n| n.attribute("id") == Some(id.as_str()))
            .unwrap_or_else(|| panic!("no figure {id}"));
        let svg = fig.descendants().find(|n| n.has_tag_name("svg"));
        assert!(svg.is_some(), "{id} holds no svg");
        let file = svg_texts(
            &f.compare
                .join("charts")
                .join(format!("{}.svg", kind.name())),
        );
        let inline: Vec<&str> = fig
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .map(str::trim)
            .collect();
        assert_eq!(inline.join("\n"), file, "{id} is the chart file");
    }
    // Every number of the ranking is the summary's, to the digit.
    let csv = summary(&f.compare);
    let mut checked = 0;
    for cell in doc
        .descendants()
        .filter(|n| n.attribute("data-metric").is_some())
    {
        let key = (
            cell.attribute("data-structure").unwrap().to_string(),
            cell.attribute("data-metric").unwrap().to_string(),
        );
        let (mean, half) = csv
            .get(&key)
            .unwrap_or_else(|| panic!("{key:?} not in summary.csv"));
        assert_eq!(cell.attribute("data-mean").unwrap(), mean, "{key:?}");
        assert_eq!(cell.attribute("data-half").unwrap(), half, "{key:?}");
        let shown = cell.text().unwrap();
        let m: f64 = mean.parse().unwrap();
        let expect = if key.1.ends_with("_share") {
            format!("{:.1}%", m * 100.0)
        } else if key.1.contains("_per_") {
            format!("{m:.2}")
        } else {
            grouped(m)
        };
        assert!(
            shown.starts_with(&expect),
            "{key:?}: shows {shown:?}, summary {mean}"
        );
        checked += 1;
    }
    assert_eq!(
        checked,
        5 * 14,
        "fourteen statistics for each of five structures (with the reference's two)"
    );
    // The reading names the structure the summary ranks first.
    let profit = |s: &str| -> f64 {
        csv[&(s.to_string(), "gross_profit_usd".into())]
            .0
            .parse()
            .unwrap()
    };
    let best = STRUCTURES
        .iter()
        .copied()
        .max_by(|a, b| profit(a).total_cmp(&profit(b)))
        .unwrap();
    let reading: String = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("reading"))
        .unwrap()
        .descendants()
        .filter_map(|n| n.text())
        .collect();
    let claim = format!(
        "{best} earns the most gross profit: {}",
        grouped(profit(best))
    );
    assert!(reading.contains(&claim), "no {claim:?} in {reading}");
    // Staffing and assumptions come from the scenario.
    for id in ["staffing", "assumptions", "ranking", "claims"] {
        assert!(
            doc.descendants().any(|n| n.attribute("id") == Some(id)),
            "no section {id}"
        );
    }
}

#[test]
fn chart_and_report_redraw_the_same_bytes_from_the_files() {
    let f = fixture();
    let tmp = tempfile::tempdir().unwrap();
    for (kind, format) in [("totals", "png"), ("revenue", "svg"), ("diff", "svg")] {
        let out = tmp.path().join(format!("{kind}.{format}"));
        salesim()
            .arg("chart")
            .arg(&f.compare)
            .args(["--kind", kind, "--format", format, "--out"])
            .arg(&out)
            .assert()
            .success();
        let original = std::fs::read(f.compare.join(format!("charts/{kind}.{format}"))).unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), original, "{kind}.{format}");
    }
    // `report` on a copy of the folder writes the same page.
    let copy = tmp.path().join("copy");
    std::fs::create_dir(&copy).unwrap();
    for name in [
        "run.json",
        "scenario.toml",
        "summary.csv",
        "monthly.csv",
        "differences.csv",
        "claims.csv",
    ] {
        std::fs::copy(f.compare.join(name), copy.join(name)).unwrap();
    }
    salesim().arg("report").arg(&copy).assert().success();
    assert_eq!(
        std::fs::read(copy.join("report.html")).unwrap(),
        std::fs::read(f.compare.join("report.html")).unwrap()
    );
}

/// A copy of the comparison's folder without `skip`.
fn copy_without(skip: &str) -> tempfile::TempDir {
    let f = fixture();
    let tmp = tempfile::tempdir().unwrap();
    for name in [
        "run.json",
        "scenario.toml",
        "summary.csv",
        "monthly.csv",
        "differences.csv",
    ] {
        if name != skip {
            std::fs::copy(f.compare.join(name), tmp.path().join(name)).unwrap();
        }
    }
    tmp
}

fn fails_with(args: &[&str], dir: &Path, code: i32, message: &str) {
    let out = salesim()
        .args(&args[..1])
        .arg(dir)
        .args(&args[1..])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
    assert!(
        stderr.contains(message),
        "{args:?}: {stderr:?} lacks {message:?}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// No file and no temporary file was left in `dir`'s charts folder or beside the page.
fn nothing_written(dir: &Path) {
    assert!(!dir.join("charts").exists(), "charts/ was created");
    assert!(!dir.join("report.html").exists());
    let stray: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[test]
fn a_folder_missing_a_file_names_it() {
    for missing in ["summary.csv", "monthly.csv", "run.json", "scenario.toml"] {
        let tmp = copy_without(missing);
        fails_with(&["report"], tmp.path(), 2, missing);
        fails_with(&["chart", "--kind", "revenue"], tmp.path(), 2, missing);
        nothing_written(tmp.path());
    }
}

#[test]
fn a_folder_from_another_version_is_refused() {
    let tmp = copy_without("");
    let path = tmp.path().join("run.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let ours = format!("\"salesim_version\": \"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(text.contains(&ours), "{text}");
    std::fs::write(&path, text.replace(&ours, "\"salesim_version\": \"0.0.1\"")).unwrap();
    fails_with(&["report"], tmp.path(), 2, "written by salesim 0.0.1");
    nothing_written(tmp.path());
}

#[test]
fn a_damaged_table_is_named() {
    let tmp = copy_without("");
    std::fs::write(
        tmp.path().join("differences.csv"),
        "structure,metric\nx,y\n",
    )
    .unwrap();
    fails_with(&["report"], tmp.path(), 2, "differences.csv");
    nothing_written(tmp.path());
}

#[test]
fn bad_chart_options_are_bad_input() {
    let f = fixture();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("x.svg");
    let o = out.to_str().unwrap();
    fails_with(
        &["chart", "--kind", "pie", "--out", o],
        &f.compare,
        2,
        "--kind `pie`: one of revenue, lost, totals, diff, sweep, service",
    );
    fails_with(
        &["chart", "--kind", "lost", "--format", "gif", "--out", o],
        &f.compare,
        2,
        "--format `gif`",
    );
    fails_with(
        &["chart", "--kind", "sweep", "--out", o],
        &f.compare,
        2,
        "needs a sweep",
    );
    fails_with(
        &["chart", "--kind", "lost", "--point", "3", "--out", o],
        &f.sweep,
        2,
        "--point 3",
    );
    fails_with(
        &["chart", "--kind", "sweep", "--metric", "nope", "--out", o],
        &f.sweep,
        2,
        "no metric `nope`",
    );
    fails_with(
        &[
            "chart",
            "--kind",
            "revenue",
            "--metric",
            "revenue_total",
            "--out",
            o,
        ],
        &f.sweep,
        2,
        "--metric: only the sweep chart draws a chosen metric, not --kind revenue",
    );
    assert!(!out.exists());
}

#[test]
fn an_unwritable_output_is_a_clear_failure() {
    let f = fixture();
    let tmp = tempfile::tempdir().unwrap();
    // A path below a regular file cannot be created, even by root.
    let file = tmp.path().join("plain");
    std::fs::write(&file, "x").unwrap();
    let out = file.join("chart.png");
    let o = out.to_str().unwrap();
    fails_with(
        &["chart", "--kind", "totals", "--format", "png", "--out", o],
        &f.compare,
        1,
        "cannot create folder",
    );
    assert_eq!(std::fs::read(&file).unwrap(), b"x");
}

/// Rows of the page's sweep table, its header included.
fn sweep_rows(html: &str) -> usize {
    let doc = parse_page(html);
    let sweep = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("sweep"))
        .expect("a sweep section");
    sweep.descendants().filter(|n| n.has_tag_name("tr")).count()
}

#[test]
fn a_sweep_report_tables_every_point() {
    let f = fixture();
    let html = std::fs::read_to_string(f.sweep.join("report.html")).unwrap();
    assert_eq!(sweep_rows(&html), 1 + 2, "a header and one row per point");
    assert!(parse_page(&html)
        .descendants()
        .any(|n| n.attribute("id") == Some("chart-sweep")));
}

/// The fixture sweep (2 points) cut as a sweep killed while writing its second point
/// leaves it: the manifest lists point 1, the tables hold point 1 and part of point 2,
/// the last line cut in the middle.
fn interrupted_copy() -> tempfile::TempDir {
    let f = fixture();
    let tmp = tempfile::tempdir().unwrap();
    for name in ["scenario.toml", "summary.csv", "differences.csv"] {
        std::fs::copy(f.sweep.join(name), tmp.path().join(name)).unwrap();
    }
    let monthly = std::fs::read_to_string(f.sweep.join("monthly.csv")).unwrap();
    let cut = monthly.len() - monthly.lines().last().unwrap().len() / 2 - 1;
    std::fs::write(tmp.path().join("monthly.csv"), &monthly[..cut]).unwrap();
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(f.sweep.join("run.json")).unwrap()).unwrap();
    let mut first = run.clone();
    first["points"] = serde_json::Value::Array(run["points"].as_array().unwrap()[..1].to_vec());
    std::fs::write(
        tmp.path().join("run.json"),
        serde_json::to_string_pretty(&first).unwrap(),
    )
    .unwrap();
    tmp
}

/// `salesim report DIR` succeeds and says how far the sweep got.
fn reports_interrupted(dir: &Path, says: &str) {
    let out = salesim().arg("report").arg(dir).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(says), "{stdout}");
}

#[test]
fn an_interrupted_sweep_is_reported_with_its_finished_points() {
    let tmp = interrupted_copy();
    reports_interrupted(tmp.path(), "interrupted after 1 of 2 points");
    let html = std::fs::read_to_string(tmp.path().join("report.html")).unwrap();
    assert_eq!(sweep_rows(&html), 1 + 1, "a header and the finished point");
    assert!(html.contains("points 2 to 2 did not finish"), "no note");
    let svg = svg_texts(&tmp.path().join("charts/sweep.svg"));
    assert!(svg.contains("interrupted after 1 of 2 points"), "{svg}");
    // Point 1's numbers are those of the full run: the page's table equals its summary.
    let full = std::fs::read_to_string(fixture().sweep.join("report.html")).unwrap();
    let ranking = |h: &str| {
        let doc = parse_page(h);
        let t = doc
            .descendants()
            .find(|n| n.attribute("id") == Some("ranking"))
            .map(|n| n.descendants().filter_map(|d| d.text()).collect::<String>());
        t.expect("a ranking section")
    };
    assert_eq!(ranking(&html), ranking(&full));
    fails_with(
        &["chart", "--kind", "revenue", "--point", "2"],
        tmp.path(),
        2,
        "points 1 to 1 (the sweep was interrupted after 1 of 2 points)",
    );
}

#[test]
fn a_sweep_interrupted_before_its_first_point_has_nothing_to_show() {
    let tmp = interrupted_copy();
    let path = tmp.path().join("run.json");
    let mut run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    run["points"] = serde_json::Value::Array(vec![]);
    std::fs::write(&path, run.to_string()).unwrap();
    fails_with(
        &["report"],
        tmp.path(),
        2,
        "before its first point finished",
    );
    nothing_written(tmp.path());
}

/// Points recorded in a folder's `run.json`, `None` while there is none. The file is
/// replaced whole (written aside and renamed), so it always parses.
fn recorded_points(dir: &Path) -> Option<usize> {
    let text = std::fs::read_to_string(dir.join("run.json")).ok()?;
    let run: serde_json::Value = serde_json::from_str(&text).expect("run.json parses");
    Some(run["points"].as_array().expect("points").len())
}

#[test]
fn a_killed_sweep_leaves_a_folder_that_can_be_reported() {
    // 11 points of 2 structures x 20 replications of a year: seconds of work, against
    // a kill as soon as the first point is recorded (polled every 10 ms).
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sweep");
    let scenario = common::scenario_path("default.toml");
    let args = [
        "sweep",
        scenario.to_str().unwrap(),
        "--set",
        "demand.scale=1.0..2.0 step 0.1",
        "--structures",
        "one_level,conveyor",
        "--replications",
        "20",
    ];
    common::kill_when(&args, &dir, 120, || recorded_points(&dir).unwrap_or(0) > 0);
    let finished = recorded_points(&dir).unwrap();
    assert!((1..11).contains(&finished), "{finished} points recorded");
    reports_interrupted(&dir, &format!("interrupted after {finished} of 11 points"));
}

/// Debian's chromium, if installed (`.ci/run` installs it).
fn chromium() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("SALESIM_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// The browser, or `None` when there is none here: the test then skips, unless CI
/// requires the browser (`SALESIM_REQUIRE_CHROMIUM`, set by `.ci/run`), where it fails.
fn chromium_or_skip() -> Option<PathBuf> {
    let browser = chromium();
    if browser.is_none() {
        assert!(
            std::env::var_os("SALESIM_REQUIRE_CHROMIUM").is_none(),
            "SALESIM_REQUIRE_CHROMIUM is set but no chromium was found"
        );
        eprintln!("skipped: no chromium (CI installs it and sets SALESIM_REQUIRE_CHROMIUM)");
    }
    browser
}

/// Headless Chromium at `width` x `height` with its own profile in `work`, quiet and
/// off the network: what every browser test starts from.
fn headless(browser: &Path, work: &Path, width: u32, height: u32) -> Process {
    let mut cmd = Process::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ])
    .arg(format!("--window-size={width},{height}"))
    .arg(format!(
        "--user-data-dir={}",
        work.join("profile").display()
    ));
    cmd
}

/// Loads `page` headless; returns the console lines and the screenshot.
fn render(browser: &Path, page: &Path, work: &Path) -> (Vec<String>, PathBuf) {
    let shot = work.join(format!(
        "{}.png",
        page.file_stem().unwrap().to_string_lossy()
    ));
    let out = headless(browser, work, 1280, 2400)
        .args(["--enable-logging=stderr", "--v=0"])
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium starts");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let console = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect();
    (console, shot)
}

#[test]
fn the_report_renders_in_headless_chromium_without_console_errors() {
    let Some(browser) = chromium_or_skip() else {
        return;
    };
    let f = fixture();
    let work = tempfile::tempdir().unwrap();
    // The console check can fail: a page that logs an error is caught.
    let bad = work.path().join("bad.html");
    std::fs::write(
        &bad,
        "<!DOCTYPE html><html><body><p>x</p><script>console.error('boom')</script></body></html>",
    )
    .unwrap();
    let (console, _) = render(&browser, &bad, work.path());
    assert!(console.iter().any(|l| l.contains("boom")), "{console:?}");

    let (console, shot) = render(&browser, &f.compare.join("report.html"), work.path());
    assert!(console.is_empty(), "console messages: {console:?}");
    let (w, h, rgb) = decode_png(&shot);
    assert_eq!((w, h), (1280, 2400));
    let non_white = rgb
        .chunks_exact(3)
        .filter(|p| p[0] < 240 || p[1] < 240 || p[2] < 240)
        .count();
    let share = non_white as f64 / f64::from(w * h);
    assert!(
        share > 0.05,
        "the screenshot is nearly blank: {share:.3} non-white"
    );
    // The charts drew: the conveyor's vermillion (213, 94, 0) is on the page.
    let near = |p: &[u8], c: [i32; 3]| (0..3).all(|k| (i32::from(p[k]) - c[k]).abs() < 12);
    let conveyor = rgb
        .chunks_exact(3)
        .filter(|p| near(p, [213, 94, 0]))
        .count();
    assert!(
        conveyor > 200,
        "no conveyor colour in the screenshot ({conveyor} pixels)"
    );
}

/// `n` of `leads_arrived` for each structure in a folder's `summary.csv`.
fn summary_n(dir: &Path) -> Vec<u64> {
    let text = std::fs::read_to_string(dir.join("summary.csv")).unwrap();
    text.lines()
        .filter(|l| l.split(',').nth(1) == Some("leads_arrived"))
        .map(|l| l.split(',').nth(2).unwrap().parse().unwrap())
        .collect()
}

#[test]
fn a_killed_comparison_leaves_a_folder_that_can_be_reported() {
    // 2 structures x 2,000 replications of a year: far longer than the first checkpoint
    // (after the first batch of 8), killed as soon as the checkpoint's tables are there
    // and the manifest says the point is running (polled every 10 ms).
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("compare");
    // What an earlier run left: a page and a chart this one would not draw.
    std::fs::create_dir_all(dir.join("charts")).unwrap();
    std::fs::write(dir.join("report.html"), "earlier").unwrap();
    std::fs::write(dir.join("charts/sweep.svg"), "earlier").unwrap();
    let running = || {
        let text = std::fs::read_to_string(dir.join("run.json")).ok()?;
        let run: serde_json::Value = serde_json::from_str(&text).expect("run.json parses");
        run["points"][0]["planned"].as_u64()
    };
    let args = [
        "compare",
        "--structures",
        "one_level,conveyor",
        "--replications",
        "2000",
    ];
    // Ready once the checkpoint has put every table in place (killed between two of
    // them, the folder reads as one not checkpointed yet).
    common::kill_when(&args, &dir, 120, || {
        running().is_some()
            && [
                "summary.csv",
                "monthly.csv",
                "differences.csv",
                "claims.csv",
            ]
            .iter()
            .all(|f| dir.join(f).exists())
    });
    assert_eq!(running(), Some(2000));
    // The replications that finished are in the visible file, whole rows each, at least
    // as many as the tables count.
    let reps = std::fs::read_to_string(dir.join("replications.csv")).unwrap();
    let whole = reps.lines().count() - 1 - usize::from(!reps.ends_with('\n'));
    assert!(!dir.join("report.html").exists() && !dir.join("charts/sweep.svg").exists());
    // The count the report gives is that of the statistics on disk.
    let n = summary_n(&dir);
    assert_eq!(n.len(), 2);
    assert!(n[0] == n[1] && (1..2000).contains(&n[0]), "{n:?}");
    assert!(
        whole as u64 >= 2 * n[0],
        "{whole} rows for {n:?} replications"
    );
    let says = format!("interrupted after {} of 2000 replications", n[0]);
    reports_interrupted(&dir, &says);
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains(&format!("comparison {says}")), "no run line");
    assert!(html.contains("id=\"chart-totals\""));
}

/// Killed before its first checkpoint, a comparison's folder holds its manifest (the
/// point running, no replication counted) and no tables: `report` says so (exit 2) and
/// draws nothing.
#[test]
fn a_comparison_killed_before_its_first_checkpoint_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("compare");
    // Ten years a replication: the first batch (8 x 5 structures) takes seconds, the kill
    // comes within milliseconds of the manifest.
    let text = common::with_horizon(&common::scenario_text("default.toml"), 120);
    let sc = tmp.path().join("decade.toml");
    std::fs::write(&sc, text).unwrap();
    let args = ["compare", sc.to_str().unwrap(), "--replications", "2000"];
    common::kill_when(&args, &dir, 120, || dir.join("run.json").exists());
    assert!(
        !dir.join("summary.csv").exists(),
        "the kill came after a checkpoint"
    );
    let out = salesim().arg("report").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "the comparison was interrupted before its first checkpoint: nothing to show yet"
        ),
        "{err}"
    );
    assert!(!dir.join("report.html").exists());
}

#[test]
fn a_run_leaves_nothing_of_an_earlier_one_in_its_folder() {
    // A comparison of the default scenario (with claims), then one of the pure queue (one
    // structure, no claims) in the same folder: the page and the folder are the second's.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("compare");
    for scenario in ["default.toml", "erlang_a.toml"] {
        salesim()
            .arg("compare")
            .arg(common::scenario_path(scenario))
            .args(["--replications", "4", "--quiet", "--out"])
            .arg(&dir)
            .assert()
            .success();
    }
    assert!(!dir.join("claims.csv").exists(), "the first run's claims");
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(
        !html.contains("id=\"claims\""),
        "the first run's claims on the page"
    );
    for entry in std::fs::read_dir(dir.join("charts")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let kind = name.split('.').next().unwrap();
        assert!(
            html.contains(&format!("id=\"chart-{kind}\"")),
            "charts/{name} is not on the page"
        );
    }
}

#[test]
fn a_comparison_stopped_after_its_last_tables_reports_as_finished() {
    // Killed between writing its final tables and its final manifest: every replication
    // is on disk, and the manifest still says the point is running. That is a whole run.
    let f = fixture();
    let copy = |planned: Option<u64>| {
        let tmp = tempfile::tempdir().unwrap();
        for entry in std::fs::read_dir(&f.compare).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "csv" || e == "toml") {
                std::fs::copy(&path, tmp.path().join(path.file_name().unwrap())).unwrap();
            }
        }
        let mut run: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(f.compare.join("run.json")).unwrap())
                .unwrap();
        if let Some(n) = planned {
            run["points"][0]["planned"] = n.into();
        }
        std::fs::write(
            tmp.path().join("run.json"),
            serde_json::to_string_pretty(&run).unwrap(),
        )
        .unwrap();
        tmp
    };
    let (whole, stopped) = (copy(None), copy(Some(6)));
    let page = |dir: &Path| {
        let out = salesim().arg("report").arg(dir).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(!stdout.contains("interrupted"), "{stdout}");
        let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
        html.replace(&dir.display().to_string(), "DIR")
    };
    assert_eq!(page(stopped.path()), page(whole.path()));
    // One replication short, it is still the interrupted run it was.
    let short = copy(Some(7));
    reports_interrupted(short.path(), "interrupted after 6 of 7 replications");
}

/// The document's scroll width and the window's, as Chromium lays out `page` at `width`
/// pixels: a copy of the page gets a probe that writes them into the DOM on load.
fn layout_width(browser: &Path, page: &Path, width: u32, work: &Path) -> (u32, u32) {
    let probe = work.join(format!("probe-{width}.html"));
    let html = std::fs::read_to_string(page).unwrap().replace(
        "</body>",
        "<script>addEventListener('load',()=>document.body.setAttribute('data-fit',document.documentElement.scrollWidth+' '+innerWidth))</script></body>",
    );
    std::fs::write(&probe, html).unwrap();
    let out = headless(browser, work, width, 1200)
        .arg("--dump-dom")
        .arg(format!("file://{}", probe.display()))
        .output()
        .expect("chromium starts");
    let dom = String::from_utf8_lossy(&out.stdout);
    let at = dom.find("data-fit=\"").expect("the probe ran") + 10;
    let fit = &dom[at..at + dom[at..].find('"').unwrap()];
    let (a, b) = fit.split_once(' ').unwrap();
    (a.parse().unwrap(), b.parse().unwrap())
}

/// The page reads at 1280 and at 800 pixels wide without losing a column: wide tables
/// scroll inside their box and long lists wrap, so the document is never wider than the
/// window: a comparison's page (in English, Russian and Bulgarian) and a sweep's.
#[test]
fn the_report_fits_a_window_of_800_and_1280_pixels() {
    let Some(browser) = chromium_or_skip() else {
        return;
    };
    let f = fixture();
    let work = tempfile::tempdir().unwrap();
    // The probe can fail: a page with a 2000-pixel table outside a scroll box overflows.
    let wide = work.path().join("wide.html");
    std::fs::write(
        &wide,
        "<!DOCTYPE html><html><body><table><tr><td style=\"min-width:2000px\">x</td></tr></table></body></html>",
    )
    .unwrap();
    let (doc, win) = layout_width(&browser, &wide, 800, work.path());
    assert!(
        doc > win,
        "the probe cannot see an overflow ({doc} vs {win})"
    );
    // In Russian and Bulgarian too, whose words run longer.
    let mut pages = vec![f.compare.join("report.html"), f.sweep.join("report.html")];
    for lang in ["ru", "bg"] {
        let copy = work.path().join(lang);
        std::fs::create_dir(&copy).unwrap();
        for e in std::fs::read_dir(&f.compare).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() {
                std::fs::copy(&p, copy.join(p.file_name().unwrap())).unwrap();
            }
        }
        salesim()
            .arg("report")
            .arg(&copy)
            .args(["--lang", lang])
            .assert()
            .success();
        pages.push(copy.join("report.html"));
    }
    for page in pages {
        for width in [800, 1280] {
            let (doc, win) = layout_width(&browser, &page, width, work.path());
            assert_eq!(
                doc,
                win,
                "{}: {doc} px wide in a {win}-pixel window",
                page.display()
            );
        }
    }
}
