//! Traps a valid scenario can hold are named: each warning has a scenario that triggers
//! it and one that does not (the default, which triggers none), and the commands print
//! them on stderr and still succeed.

mod common;

use assert_cmd::Command;
use common::{parse, scenario_text, SHIPPED};
use salesim::scenario::warnings;

fn paths(text: &str) -> Vec<String> {
    warnings(&parse(text))
        .into_iter()
        .map(|w| format!("{}: {}", w.path, w.message))
        .collect()
}

fn edited(from: &str, to: &str) -> String {
    let text = scenario_text("default.toml");
    assert!(text.contains(from), "{from}");
    text.replace(from, to)
}

#[test]
fn the_default_scenario_sets_no_trap() {
    assert_eq!(paths(&scenario_text("default.toml")), Vec::<String>::new());
}

#[test]
fn touches_spaced_beyond_the_gap_are_named_with_the_share_that_goes_cold() {
    // Small deals: 3 touches over a lognormal cycle of median 14 days (cv 0.6, so sigma
    // 0.555); a gap of 5 days sends the deals with a cycle of 15 days or more cold:
    // P(ln C >= ln 15) = 1 - Phi(ln(15/14) / 0.555) = 1 - Phi(0.124) = 45%. The warning's
    // figure comes from 20,000 draws: 45% +- 1 point.
    let got = paths(&edited(
        "max_gap_days = 21                                             # a quote",
        "max_gap_days = 5                                             # a quote",
    ));
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!(
        got[0].starts_with("segments[0]: small deals: "),
        "{}",
        got[0]
    );
    assert!(
        got[0].contains("for 45% of them")
            || got[0].contains("for 44% of them")
            || got[0].contains("for 46% of them"),
        "{}",
        got[0]
    );
}

#[test]
fn a_role_with_no_pay_is_named() {
    let got = paths(&edited(
        "salary_per_month = 585            # $450 x 1.3 (S1)",
        "salary_per_month = 0",
    ));
    assert_eq!(
        got,
        vec!["structures.assistant.roles.assistant: costs nothing (no salary, hourly or per-lead price): its people are free in payroll and profit"]
    );
}

#[test]
fn work_nobody_does_is_named() {
    let text = format!(
        "{}\n[structures.one_level.roles.manager]\nworks = [\"inbound_call\", \"client_call\", \"deal_touch\", \"lead_call\", \"collection\", \"contract\", \"order_entry\", \"care\", \"prospecting\"]\n",
        scenario_text("default.toml")
    );
    assert_eq!(
        paths(&text),
        vec!["structures.one_level: nobody does reactivation: clients go dormant and are never called back (clients.reactivation_attempts is above 0)"]
    );
}

#[test]
fn time_blocks_that_leave_the_phone_alone_are_named() {
    // b2b_equipment's batched hunters let a ringing call into their meetings and
    // documents blocks; without that, only their short calling blocks take calls.
    let text = scenario_text("b2b_equipment.toml");
    let alone = text.replace(", phone = \"interrupt\"", "");
    assert_ne!(alone, text);
    let got = paths(&alone);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!(
        got[0].starts_with("structures.two_level_batched: ")
            && got[0].contains("find nobody who may answer"),
        "{}",
        got[0]
    );
    // No shipped scenario has a structure that leaves the phone alone.
    for name in SHIPPED.iter().filter(|n| **n != "erlang_a.toml") {
        assert!(
            !paths(&scenario_text(name))
                .iter()
                .any(|w| w.contains("find nobody who may answer")),
            "{name}"
        );
    }
}

#[test]
fn commands_print_warnings_and_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    let text = edited(
        "max_gap_days = 21                                             # a quote",
        "max_gap_days = 5                                             # a quote",
    );
    let text = common::with_horizon(&text, 1);
    std::fs::write(&path, text).unwrap();
    for args in [
        vec!["validate"],
        vec!["run", "--out"],
        vec![
            "compare",
            "--replications",
            "1",
            "--quiet",
            "--no-report",
            "--out",
        ],
    ] {
        let mut cmd = Command::cargo_bin("salesim").unwrap();
        cmd.current_dir(dir.path()).args(&args);
        if args.last() == Some(&"--out") {
            cmd.arg(dir.path().join("out"));
        }
        let out = cmd.arg(&path).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {err}");
        assert!(
            err.contains("warning: segments[0]: small deals: "),
            "{args:?}: {err}"
        );
    }
}
