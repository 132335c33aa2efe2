//! In-process fuzzing of the two readers that take outside input: the scenario reader (a
//! shipped scenario with one to three fields replaced by hostile values, keys deleted or
//! added) and the results-folder reader (a real folder's files with bytes cut, flipped or
//! replaced).
//!
//! The scenarios' corpus is the shipped scenarios and the reproducers of the fuzzing
//! campaign (tests/fixtures/reliability). Properties: nothing panics; no case runs past a
//! minute (a watchdog aborts with the case); every refusal of a scenario names the field
//! (a path) or says what was asked; a scenario that validates also runs a replication of
//! its first month. The cases are drawn from fixed seeds (the same cases every run, so a run is
//! never flaky); `SALESIM_FUZZ_CASES=N` draws N per target instead of the default 150,
//! and `SALESIM_FUZZ_SEED=HEX` other cases (CI runs 4,000 per target with a seed from the
//! commit; by hand: `SALESIM_FUZZ_CASES=5000 cargo test --release --test fuzz`).

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use toml::{Table, Value};

use salesim::experiment::SpecError;
use salesim::report::results::{Files, Results};

/// Cases per target: 150 by default (a few seconds each in CI).
fn cases() -> u32 {
    std::env::var("SALESIM_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(150)
}

/// The cases' seed: `base` unless `SALESIM_FUZZ_SEED` gives another (CI passes one made
/// from the commit, so each commit searches new cases, and a failure replays with it).
fn runner(base: u64) -> TestRunner {
    let seed = std::env::var("SALESIM_FUZZ_SEED")
        .ok()
        .and_then(|s| u64::from_str_radix(s.trim(), 16).ok())
        .map_or(base, |s| s ^ base);
    eprintln!("fuzz seed {seed:x} ({} cases)", cases());
    TestRunner::new(Config {
        cases: cases(),
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..Config::default()
    })
}

/// Every leaf of `t` as a path of keys and list indices.
fn leaves(v: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match v {
        Value::Table(t) => {
            for (k, x) in t {
                path.push(Step::Key(k.clone()));
                leaves(x, path, out);
                path.pop();
            }
        }
        Value::Array(a) => {
            out.push(path.clone());
            for (i, x) in a.iter().enumerate() {
                path.push(Step::Index(i));
                leaves(x, path, out);
                path.pop();
            }
        }
        _ => out.push(path.clone()),
    }
}

#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

fn slot<'a>(v: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    let mut cur = v;
    for s in path {
        cur = match (s, cur) {
            (Step::Key(k), Value::Table(t)) => t.get_mut(k)?,
            (Step::Index(i), Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// The hostile values a field may be given.
fn hostile() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Integer(0)),
        Just(Value::Integer(-1)),
        Just(Value::Integer(i64::MAX)),
        Just(Value::Integer(i64::MIN)),
        Just(Value::Float(1e308)),
        Just(Value::Float(-1e308)),
        Just(Value::Float(1e-12)),
        Just(Value::Float(f64::NAN)),
        Just(Value::Float(f64::INFINITY)),
        Just(Value::Float(0.5)),
        Just(Value::String(String::new())),
        Just(Value::String("x".into())),
        Just(Value::Boolean(true)),
        Just(Value::Array(vec![])),
        Just(Value::Table(Table::new())),
        (-1e6f64..1e6).prop_map(Value::Float),
        (0i64..100).prop_map(Value::Integer),
    ]
}

/// One change to a scenario: a number scaled (plausible values, which should mostly
/// run), a leaf replaced by a hostile value, a key deleted, or a junk key added.
#[derive(Clone, Debug)]
enum Change {
    Scale(usize, f64),
    Replace(usize, Value),
    Delete(usize),
    Add(usize, String, Value),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        8 => (any::<usize>(), 0.0f64..4.0).prop_map(|(i, f)| Change::Scale(i, f)),
        4 => (any::<usize>(), hostile()).prop_map(|(i, v)| Change::Replace(i, v)),
        1 => any::<usize>().prop_map(Change::Delete),
        1 => (any::<usize>(), "[a-z_]{0,8}", hostile()).prop_map(|(i, k, v)| Change::Add(i, k, v)),
    ]
}

fn apply(root: &mut Value, c: &Change) {
    let mut all = vec![];
    leaves(root, &mut vec![], &mut all);
    if all.is_empty() {
        return;
    }
    match c {
        Change::Scale(i, f) => match slot(root, &all[i % all.len()]) {
            Some(Value::Integer(n)) => *n = (*n as f64 * f).round() as i64,
            Some(Value::Float(x)) => *x *= f,
            _ => {}
        },
        Change::Replace(i, v) => {
            if let Some(s) = slot(root, &all[i % all.len()]) {
                *s = v.clone();
            }
        }
        Change::Delete(i) => {
            let path = &all[i % all.len()];
            let (last, parent) = path.split_last().unwrap();
            if let (Step::Key(k), Some(Value::Table(t))) = (last, slot(root, parent)) {
                t.remove(k);
            }
        }
        Change::Add(i, k, v) => {
            let path = &all[i % all.len()];
            if let Some(Value::Table(t)) = slot(root, &path[..path.len().saturating_sub(1)]) {
                t.insert(k.clone(), v.clone());
            }
        }
    }
}

/// Validates `text` and, when it validates, runs the first month of each structure;
/// whether it ran.
fn check_scenario(text: &str) -> Result<bool, TestCaseError> {
    let outcome = catch_unwind(AssertUnwindSafe(|| salesim::experiment::validate(text)));
    let Ok(result) = outcome else {
        return Err(TestCaseError::fail(format!(
            "validate panicked on:\n{text}"
        )));
    };
    match result {
        Err(SpecError::Invalid(problems)) | Err(SpecError::Override { problems, .. }) => {
            prop_assert!(!problems.is_empty(), "a refusal without a problem");
            for p in &problems {
                prop_assert!(!p.path.is_empty(), "a problem without a path: {p}");
                prop_assert!(!p.rule.is_empty(), "a problem without a rule: {p}");
            }
        }
        Err(other) => prop_assert!(!other.to_string().is_empty()),
        Ok(mut sc) => {
            // One month is enough to exercise every mechanism the file switched on.
            sc.calendar = salesim::engine::Calendar::new(sc.calendar.start(), 1, &[]);
            for s in 0..sc.structures.len() {
                let ran = catch_unwind(AssertUnwindSafe(|| salesim::sim::run(&sc, s, 0)));
                prop_assert!(ran.is_ok(), "a valid scenario panicked in its run:\n{text}");
            }
            return Ok(true);
        }
    }
    Ok(false)
}

/// The corpus: the shipped scenarios and the campaign's reproducers that parse as TOML.
fn corpus() -> Vec<Value> {
    let mut texts: Vec<String> = common::SHIPPED
        .iter()
        .map(|f| common::scenario_text(f))
        .collect();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reliability");
    let mut found: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    found.sort();
    texts.extend(found.iter().map(|p| std::fs::read_to_string(p).unwrap()));
    texts
        .iter()
        .filter_map(|t| t.parse::<Table>().ok().map(Value::Table))
        .collect()
}

/// Aborts the test process, printing the case, if one case runs past `limit`: a hang
/// fails CI in a minute with the file that caused it, instead of at CI's time limit.
struct Watchdog {
    case: Arc<Mutex<(Instant, String)>>,
}

impl Watchdog {
    fn new(limit: Duration) -> Watchdog {
        let case = Arc::new(Mutex::new((Instant::now(), String::new())));
        let watched = Arc::clone(&case);
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_millis(500));
            let (started, text) = &*watched.lock().unwrap_or_else(|e| e.into_inner());
            if started.elapsed() > limit {
                eprintln!("a fuzz case ran past {limit:?}:\n{text}");
                std::process::abort();
            }
        });
        Watchdog { case }
    }

    fn start(&self, text: &str) {
        *self.case.lock().unwrap_or_else(|e| e.into_inner()) = (Instant::now(), text.to_string());
    }
}

#[test]
fn the_scenario_reader_refuses_with_a_path_and_what_it_accepts_runs() {
    let texts = corpus();
    let watchdog = Watchdog::new(Duration::from_secs(60));
    let strategy = (0..texts.len(), proptest::collection::vec(change(), 1..=3));
    let (ran, refused) = (AtomicU32::new(0), AtomicU32::new(0));
    runner(20261204)
        .run(&strategy, |(which, changes)| {
            let mut root = texts[which].clone();
            for c in &changes {
                apply(&mut root, c);
            }
            let Value::Table(t) = root else {
                unreachable!()
            };
            let text = toml::to_string(&t).unwrap_or_default();
            watchdog.start(&text);
            let counter = if check_scenario(&text)? {
                &ran
            } else {
                &refused
            };
            counter.fetch_add(1, Ordering::Relaxed);
            Ok(())
        })
        .unwrap();
    // Not a vacuous search: hostile values are refused, and a good share of the changed
    // files (a changed description, an added nothing) still run.
    let (ran, refused) = (ran.into_inner(), refused.into_inner());
    eprintln!("scenarios: {ran} ran, {refused} refused");
    assert!(
        ran * 10 >= cases() && refused * 10 >= cases(),
        "{ran} ran, {refused} refused"
    );
}

/// A real comparison's folder, read in process.
struct Folder {
    manifest: String,
    scenario: String,
    summary: Vec<u8>,
    monthly: Vec<u8>,
    differences: Vec<u8>,
    claims: Vec<u8>,
}

fn folder() -> Folder {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("c");
    let text = common::with_horizon(&common::scenario_text("default.toml"), 2);
    let sc = tmp.path().join("short.toml");
    std::fs::write(&sc, text).unwrap();
    let ok = std::process::Command::new(env!("CARGO_BIN_EXE_salesim"))
        .arg("compare")
        .arg(&sc)
        .args(["--structures", "one_level,conveyor", "--replications", "3"])
        .args(["--no-report", "--quiet", "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(ok.status.success());
    let read = |f: &str| std::fs::read(dir.join(f)).unwrap();
    Folder {
        manifest: String::from_utf8(read("run.json")).unwrap(),
        scenario: String::from_utf8(read("scenario.toml")).unwrap(),
        summary: read("summary.csv"),
        monthly: read("monthly.csv"),
        differences: read("differences.csv"),
        claims: read("claims.csv"),
    }
}

/// A change to one file's bytes: cut at a point, a byte replaced, a run of bytes removed.
fn damage(bytes: &mut Vec<u8>, kind: u8, at: usize, with: u8) {
    if bytes.is_empty() {
        return;
    }
    let i = at % bytes.len();
    match kind % 4 {
        0 => bytes.truncate(i),
        1 => bytes[i] = with,
        2 => {
            let end = (i + usize::from(with)).min(bytes.len());
            bytes.drain(i..end);
        }
        _ => bytes.insert(i, with),
    }
}

#[test]
fn the_results_reader_never_panics_on_a_damaged_folder() {
    let f = folder();
    let strategy = (0u8..6, any::<u8>(), any::<usize>(), any::<u8>());
    let (accepted, refused) = (AtomicU32::new(0), AtomicU32::new(0));
    runner(20261205)
        .run(&strategy, |(file, kind, at, with)| {
            let mut manifest = f.manifest.clone().into_bytes();
            let mut scenario = f.scenario.clone().into_bytes();
            let (mut s, mut m, mut d, mut c) = (
                f.summary.clone(),
                f.monthly.clone(),
                f.differences.clone(),
                f.claims.clone(),
            );
            let target = match file {
                0 => &mut manifest,
                1 => &mut scenario,
                2 => &mut s,
                3 => &mut m,
                4 => &mut d,
                _ => &mut c,
            };
            damage(target, kind, at, with);
            let manifest = String::from_utf8_lossy(&manifest).into_owned();
            let scenario = String::from_utf8_lossy(&scenario).into_owned();
            let files = Files {
                manifest: &manifest,
                scenario: &scenario,
                summary: &s,
                monthly: &m,
                differences: &d,
                claims: Some(&c),
            };
            let read = catch_unwind(AssertUnwindSafe(|| {
                Results::parse("fuzzed", &files).is_ok()
            }));
            prop_assert!(
                read.is_ok(),
                "the reader panicked (file {file}, kind {kind}, at {at})"
            );
            let counter = if matches!(read, Ok(true)) {
                &accepted
            } else {
                &refused
            };
            counter.fetch_add(1, Ordering::Relaxed);
            Ok(())
        })
        .unwrap();
    let (accepted, refused) = (accepted.into_inner(), refused.into_inner());
    eprintln!("folders: {accepted} read, {refused} refused");
    assert!(
        refused * 10 >= cases(),
        "{accepted} read, {refused} refused"
    );
}
