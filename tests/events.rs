//! The event log (`salesim run --events FILE.csv`): a row per thing that happened to a
//! lead or deal. It is the simulator's ground truth for calibration, so it must agree
//! with the run's own counts to the event, and keeping it must change nothing.

mod common;

use std::collections::HashMap;

use assert_cmd::Command;
use salesim::sim::log::{Channel, LogKind, LogRow};
use salesim::sim::{RunResult, Simulation};

/// The default scenario over `months` months, one replication of `structure`, logged.
fn logged(structure: &str, months: u32) -> (salesim::scenario::Scenario, RunResult, Vec<LogRow>) {
    let sc = common::parse(&common::with_horizon(
        &common::scenario_text("default.toml"),
        months,
    ));
    let i = sc
        .structure_names()
        .iter()
        .position(|&n| n == structure)
        .unwrap();
    let (r, log) = Simulation::new(&sc, i, 0).run_logged();
    (sc, r, log)
}

/// Rows of `kind` (with `outcome`, when given) per month of the horizon.
fn per_month(
    sc: &salesim::scenario::Scenario,
    log: &[LogRow],
    kind: LogKind,
    outcome: Option<&str>,
) -> Vec<u64> {
    let mut n = vec![0; sc.calendar.months()];
    for row in log {
        if row.kind == kind && outcome.is_none_or(|o| o == row.outcome) {
            n[sc.calendar.month_of(row.at)] += 1;
        }
    }
    n
}

#[test]
fn the_log_counts_what_the_run_counts_month_by_month() {
    for structure in ["one_level", "conveyor", "lead_chopper"] {
        let (sc, r, log) = logged(structure, 3);
        let m = &r.months;
        let runs = |f: fn(&salesim::sim::MonthStats) -> u64| m.iter().map(f).collect::<Vec<u64>>();
        let lost = |cause| per_month(&sc, &log, LogKind::LeadLost, Some(cause));
        let ev = |kind| per_month(&sc, &log, kind, None);
        let checks: [(&str, Vec<u64>, Vec<u64>); 15] = [
            (
                "inbound leads",
                ev(LogKind::LeadArrived),
                runs(|s| s.leads_phone + s.leads_web),
            ),
            (
                "cold-calling leads",
                ev(LogKind::ProspectFound),
                runs(|s| s.leads_outbound),
            ),
            (
                "calls answered",
                ev(LogKind::CallAnswered),
                runs(|s| s.phone_answered),
            ),
            (
                "calls abandoned",
                ev(LogKind::CallAbandoned),
                runs(|s| s.phone_abandoned),
            ),
            (
                "calls missed",
                ev(LogKind::CallMissed),
                runs(|s| s.phone_missed),
            ),
            (
                "first contacts",
                ev(LogKind::Contacted),
                runs(|s| s.contacted),
            ),
            (
                "qualified",
                ev(LogKind::Qualified),
                runs(|s| s.qualified - s.leads_outbound),
            ),
            ("deals won", ev(LogKind::DealWon), runs(|s| s.deals_won)),
            (
                "repeat orders booked",
                ev(LogKind::OrderEntered),
                runs(|s| s.orders_entered),
            ),
            (
                "unanswered",
                lost("unanswered"),
                runs(|s| s.lost_unanswered),
            ),
            (
                "after hours",
                lost("after_hours"),
                runs(|s| s.lost_after_hours),
            ),
            (
                "not reached",
                lost("not_reached"),
                runs(|s| s.lost_not_reached),
            ),
            (
                "late response",
                lost("late_response"),
                runs(|s| s.lost_late_response),
            ),
            (
                "non-target",
                lost("non_target"),
                runs(|s| s.lost_non_target),
            ),
            (
                "deals lost",
                lost("decision_lost")
                    .iter()
                    .zip(lost("deal_cold"))
                    .map(|(a, b)| a + b)
                    .collect(),
                runs(|s| s.lost_deal_lost + s.lost_deal_cold),
            ),
        ];
        for (what, log_n, run_n) in checks {
            assert_eq!(log_n, run_n, "{structure}: {what}, log against run");
            assert!(
                what.contains("cold") || what.contains("after") || log_n.iter().sum::<u64>() > 0,
                "{structure}: no {what} at all: the check would be empty"
            );
        }
        assert!(
            log.iter().filter(|x| x.kind == LogKind::Nurtured).count() as u64
                == m.iter().map(|s| s.nurtured).sum::<u64>(),
            "{structure}: nurtured"
        );
    }
}

#[test]
fn every_lead_starts_with_its_arrival_and_ends_at_most_once() {
    let (sc, r, log) = logged("one_level", 2);
    let mut first: HashMap<u64, LogKind> = HashMap::new();
    let mut ends: HashMap<u64, u32> = HashMap::new();
    let mut touches: HashMap<u64, u32> = HashMap::new();
    let mut decided = 0;
    let mut last_at = salesim::engine::Time::ZERO;
    for row in &log {
        assert!(row.at >= last_at, "the log is in time order");
        last_at = row.at;
        if Channel::of(row.lead).0 == Channel::Client {
            // A client's rows: its orders, each with its value and segment.
            assert_eq!(row.kind, LogKind::OrderEntered);
            assert!(row.amount > 0.0 && row.segment.is_some());
            continue;
        }
        first.entry(row.lead).or_insert(row.kind);
        if matches!(row.kind, LogKind::LeadLost | LogKind::DealWon) {
            *ends.entry(row.lead).or_default() += 1;
        }
        if row.kind == LogKind::DealTouch {
            assert!(row.who.is_some() && row.segment.is_some(), "{row:?}");
            *touches.entry(row.lead).or_default() += 1;
        }
        // A deal is decided at its last touch: it has had exactly its segment's.
        if row.kind == LogKind::DealWon || row.outcome == "decision_lost" {
            let segment = &sc.segments[usize::from(row.segment.unwrap())];
            assert_eq!(touches.get(&row.lead), Some(&segment.touches), "{row:?}");
            decided += 1;
        }
        if row.kind == LogKind::DealWon {
            assert!(row.amount > 0.0, "a won deal has its value");
            assert!(row.who.is_some(), "a deal is won by someone");
        }
        if matches!(row.kind, LogKind::CallAnswered | LogKind::CallAbandoned) {
            assert!(row.wait.is_some(), "a call's wait is logged");
        }
    }
    for (id, kind) in &first {
        let want = match Channel::of(*id).0 {
            Channel::Outbound => LogKind::ProspectFound,
            _ => LogKind::LeadArrived,
        };
        assert_eq!(*kind, want, "lead {id:x} starts with its arrival");
    }
    assert!(ends.values().all(|&n| n == 1), "a lead ends once");
    assert!(decided > 100, "{decided} deals decided");
    // Leads that ended are the leads that arrived less those still open.
    let arrived = first.len() as u64;
    assert_eq!(arrived - ends.len() as u64, r.open_leads, "open at the end");
}

#[test]
fn keeping_the_log_changes_no_result() {
    let sc = common::parse(&common::with_horizon(
        &common::scenario_text("default.toml"),
        2,
    ));
    let plain = Simulation::new(&sc, 0, 3).run();
    let (with_log, log) = Simulation::new(&sc, 0, 3).run_logged();
    assert!(!log.is_empty());
    let csv = |r: &RunResult| {
        let mut b = vec![];
        salesim::report::csv::write_monthly(r, 0, &mut b).unwrap();
        b
    };
    assert_eq!(csv(&plain), csv(&with_log));
    assert_eq!(plain.events, with_log.events);
}

#[test]
fn run_writes_the_log_as_csv_beside_its_table() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = tmp.path().join("s.toml");
    std::fs::write(
        &scenario,
        common::with_horizon(&common::scenario_text("default.toml"), 1),
    )
    .unwrap();
    let file = tmp.path().join("events.csv");
    Command::cargo_bin("salesim")
        .unwrap()
        .arg("run")
        .arg(&scenario)
        .arg("--events")
        .arg(&file)
        .arg("--out")
        .arg(tmp.path())
        .assert()
        .success();
    let text = std::fs::read_to_string(&file).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("time,lead_id,channel,event,role,person,outcome,amount,wait_s,segment")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert!(rows.len() > 1000, "{} rows", rows.len());
    assert!(rows.iter().all(|r| r.len() == 10));
    // A deal's rows name its segment, and only a deal's rows do.
    assert!(rows
        .iter()
        .filter(|r| ["qualified", "deal_won", "prospect_found"].contains(&r[3]))
        .all(|r| ["small", "large", "project"].contains(&r[9])));
    assert!(rows
        .iter()
        .filter(|r| ["lead_arrived", "call_answered", "contacted"].contains(&r[3]))
        .all(|r| r[9].is_empty()));
    // A date and a time of day on the scenario's calendar; ids by channel.
    assert!(rows[0][0].starts_with("2026-01-01 "), "{:?}", rows[0]);
    assert!(rows.iter().any(|r| r[3] == "deal_won" && r[4] == "manager"));
    assert!(rows.iter().all(|r| r[1].starts_with(['P', 'W', 'O', 'K'])
        && ["phone", "web", "outbound", "client"].contains(&r[2])));
    // An unwritable path is a clear failure naming it.
    let o = Command::cargo_bin("salesim")
        .unwrap()
        .arg("run")
        .arg(&scenario)
        .arg("--events")
        .arg(scenario.join("events.csv"))
        .arg("--out")
        .arg(tmp.path().join("second"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("cannot create folder")
            && String::from_utf8_lossy(&o.stderr).contains("s.toml"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
