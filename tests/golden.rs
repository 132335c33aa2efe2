//! Golden outputs: every shipped scenario through `run`, `compare --replications 20` and
//! `report`, plus a small `sweep`, a `merge` of two shards and two `staff` searches, each
//! file they write (CSVs, manifests, charts, the page) and what they print, pinned byte
//! for byte.
//!
//! The pins are in `tests/golden/*.txt`, one line per output: its name, its length in
//! bytes and a 64-bit FNV-1a digest of its bytes (a digest, not the text, so the pins stay
//! small; any changed byte changes it). A change that is meant to change results
//! regenerates them with
//!
//! ```sh
//! SALESIM_BLESS=1 cargo test --test golden
//! ```
//!
//! and says why in its commit; a refactoring must leave them untouched. To see *what*
//! changed, run the same command at the commit before and after and compare the folders
//! it names (`SALESIM_GOLDEN_KEEP=DIR` keeps every output under DIR).

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn salesim() -> Command {
    let mut c = Command::cargo_bin("salesim").unwrap();
    // Byte-identical whatever the thread count: pin one anyway, so that a failure here is
    // about the outputs and not about scheduling.
    c.env("RAYON_NUM_THREADS", "2");
    c
}

/// 64-bit FNV-1a: a fixed, dependency-free digest. A changed byte changes it; the pins
/// guard against regressions, not against an adversary.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The outputs of one golden case, as `name length digest` lines.
struct Pins {
    work: tempfile::TempDir,
    lines: String,
}

impl Pins {
    fn new() -> Pins {
        Pins {
            work: tempfile::tempdir().unwrap(),
            lines: String::new(),
        }
    }

    fn dir(&self, name: &str) -> PathBuf {
        self.work.path().join(name)
    }

    fn pin(&mut self, name: &str, bytes: &[u8]) {
        writeln!(self.lines, "{name} {} {:016x}", bytes.len(), fnv1a(bytes)).unwrap();
    }

    /// Runs `salesim ARGS`, which must succeed, and pins what it printed (the work folder
    /// written as `OUT` and the repository as `REPO`, so the pin does not depend on where
    /// the test runs).
    fn command(&mut self, label: &str, args: &[&str]) {
        let out = salesim().args(args).assert().success().get_output().clone();
        let root = self.work.path().display().to_string();
        let stdout = String::from_utf8(out.stdout)
            .unwrap()
            .replace(&root, "OUT")
            .replace(env!("CARGO_MANIFEST_DIR"), "REPO");
        self.pin(&format!("{label}/stdout"), stdout.as_bytes());
    }

    /// Pins every file under the folder `name`, in name order.
    fn folder(&mut self, name: &str) {
        let mut files = vec![];
        walk(&self.dir(name), &mut files);
        files.sort();
        for f in files {
            let rel = f.strip_prefix(self.work.path()).unwrap();
            let bytes = std::fs::read(&f).unwrap();
            self.pin(&rel.display().to_string(), &bytes);
        }
    }

    /// Compares with `tests/golden/NAME.txt`, or writes it under `SALESIM_BLESS=1`.
    fn check(self, name: &str) {
        if let Ok(keep) = std::env::var("SALESIM_GOLDEN_KEEP") {
            let to = Path::new(&keep).join(name);
            let _ = std::fs::remove_dir_all(&to);
            copy_tree(self.work.path(), &to);
        }
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/golden")
            .join(format!("{name}.txt"));
        if std::env::var_os("SALESIM_BLESS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &self.lines).unwrap();
            return;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; write the pins with SALESIM_BLESS=1 cargo test --test golden",
                path.display()
            )
        });
        let differ: Vec<String> = diff_lines(&want, &self.lines);
        assert!(
            differ.is_empty(),
            "{name}: outputs differ from {}:\n{}\n(if the change is meant, SALESIM_BLESS=1 cargo test --test golden)",
            path.display(),
            differ.join("\n")
        );
    }
}

/// The pins that differ, line by line: `- want` / `+ got`.
fn diff_lines(want: &str, got: &str) -> Vec<String> {
    let w: Vec<&str> = want.lines().collect();
    let g: Vec<&str> = got.lines().collect();
    let mut out = vec![];
    for i in 0..w.len().max(g.len()) {
        let (a, b) = (w.get(i), g.get(i));
        if a != b {
            out.extend(a.map(|l| format!("- {l}")));
            out.extend(b.map(|l| format!("+ {l}")));
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn copy_tree(from: &Path, to: &Path) {
    let mut files = vec![];
    walk(from, &mut files);
    for f in files {
        let dest = to.join(f.strip_prefix(from).unwrap());
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(&f, dest).unwrap();
    }
}

/// `run`, `compare --replications 20` and `report` on one shipped scenario.
fn scenario_case(file: &str) {
    let path = common::scenario_path(file);
    let sc = path.to_str().unwrap();
    let mut pins = Pins::new();
    let run = pins.dir("run");
    pins.command("run", &["run", sc, "--out", run.to_str().unwrap()]);
    pins.folder("run");
    let compare = pins.dir("compare");
    let c = compare.to_str().unwrap();
    pins.command(
        "compare",
        &["compare", sc, "--replications", "20", "--quiet", "--out", c],
    );
    pins.folder("compare");
    // `report` redraws the same charts and page from the folder.
    pins.command("report", &["report", c]);
    pins.folder("compare");
    pins.check(file.trim_end_matches(".toml"));
}

#[test]
fn default_scenario() {
    scenario_case("default.toml");
}

#[test]
fn roofing_seasonal() {
    scenario_case("roofing_seasonal.toml");
}

#[test]
fn cosmetics_wholesale() {
    scenario_case("cosmetics_wholesale.toml");
}

#[test]
fn retail_equipment() {
    scenario_case("retail_equipment.toml");
}

#[test]
fn property_developer() {
    scenario_case("property_developer.toml");
}

#[test]
fn car_dealer() {
    scenario_case("car_dealer.toml");
}

#[test]
fn b2b_equipment() {
    scenario_case("b2b_equipment.toml");
}

#[test]
fn erlang_a() {
    scenario_case("erlang_a.toml");
}

/// The built-in scenario (no file) through `run` and `structures`, `validate` of a shipped file.
#[test]
fn built_in_scenario() {
    let mut pins = Pins::new();
    let run = pins.dir("run");
    pins.command(
        "run",
        &[
            "run",
            "--structure",
            "conveyor",
            "--seed",
            "7",
            "--out",
            run.to_str().unwrap(),
        ],
    );
    pins.folder("run");
    pins.command("structures", &["structures"]);
    let sc = common::scenario_path("b2b_equipment.toml");
    pins.command("validate", &["validate", sc.to_str().unwrap()]);
    pins.check("built_in");
}

/// A two-field sweep, the spreadsheet variant, a JSON comparison and two shards merged.
#[test]
fn sweep_excel_json_and_merge() {
    let sc = common::scenario_path("default.toml");
    let sc = sc.to_str().unwrap();
    let mut pins = Pins::new();
    let sweep = pins.dir("sweep");
    pins.command(
        "sweep",
        &[
            "sweep",
            sc,
            "--set",
            "demand.scale=1,1.5",
            "--set",
            "roles.call_centre.count=2,3",
            "--structures",
            "one_level,conveyor",
            "--replications",
            "5",
            "--quiet",
            "--out",
            sweep.to_str().unwrap(),
        ],
    );
    pins.folder("sweep");
    let excel = pins.dir("excel");
    pins.command(
        "excel",
        &[
            "compare",
            sc,
            "--structures",
            "one_level,assistant",
            "--replications",
            "8",
            "--excel",
            "--no-report",
            "--quiet",
            "--out",
            excel.to_str().unwrap(),
        ],
    );
    pins.folder("excel");
    let json = pins.dir("json");
    pins.command(
        "json",
        &[
            "compare",
            sc,
            "--structures",
            "one_level,lead_chopper",
            "--replications",
            "8",
            "--json",
            "--claim",
            "lead_chopper.gross_profit >= one_level.gross_profit",
            "--no-report",
            "--quiet",
            "--out",
            json.to_str().unwrap(),
        ],
    );
    pins.folder("json");
    for k in ["1", "2"] {
        let part = pins.dir(&format!("part{k}"));
        pins.command(
            &format!("shard{k}"),
            &[
                "sweep",
                sc,
                "--set",
                "demand.scale=1,1.25",
                "--structures",
                "one_level,two_level",
                "--replications",
                "6",
                "--shard",
                &format!("{k}/2"),
                "--quiet",
                "--out",
                part.to_str().unwrap(),
            ],
        );
    }
    let merged = pins.dir("merged");
    pins.command(
        "merge",
        &[
            "merge",
            pins.dir("part1").to_str().unwrap(),
            pins.dir("part2").to_str().unwrap(),
            "--out",
            merged.to_str().unwrap(),
        ],
    );
    pins.folder("merged");
    pins.check("sweep_excel_json_merge");
}

/// Two staffing searches: the roofing case's own `[staffing]` table, and a service-level
/// target on the pure queue; then `report` of the first.
#[test]
fn staffing_searches() {
    let mut pins = Pins::new();
    let roofing = common::scenario_path("roofing_seasonal.toml");
    let staff = pins.dir("staff");
    pins.command(
        "staff",
        &[
            "staff",
            roofing.to_str().unwrap(),
            "--replications",
            "10",
            "--max-replications",
            "20",
            "--quiet",
            "--out",
            staff.to_str().unwrap(),
        ],
    );
    pins.folder("staff");
    pins.command("report", &["report", staff.to_str().unwrap()]);
    pins.folder("staff");
    let queue = common::scenario_path("erlang_a.toml");
    let staff2 = pins.dir("queue");
    pins.command(
        "queue",
        &[
            "staff",
            queue.to_str().unwrap(),
            "--role",
            "operator",
            "--target",
            "service>=0.8@20s",
            "--quiet",
            "--out",
            staff2.to_str().unwrap(),
        ],
    );
    pins.folder("queue");
    pins.check("staffing");
}
