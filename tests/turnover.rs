//! Turnover: people leave, vacancies are filled after a time to fill (or by promotion),
//! new hires ramp up, and clients may leave with their owner.

mod common;

use common::{mean_se, parse, scenario_text, t999};
use salesim::scenario::Scenario;
use salesim::sim::{self, RunResult};

/// The default scenario with `extra` set in `[roles.manager]` (replacing the file's own
/// lines for the same keys).
fn with_manager(extra: &str) -> String {
    let keys: Vec<String> = extra
        .lines()
        .filter_map(|l| l.split_once('=').map(|(k, _)| format!("{} =", k.trim())))
        .collect();
    let mut out = String::new();
    let mut in_manager = false;
    // The schedules below are counted over one year.
    for line in common::with_horizon(&scenario_text("default.toml"), 12).lines() {
        if line.starts_with('[') {
            in_manager = line == "[roles.manager]";
            out.push_str(line);
            out.push('\n');
            if in_manager {
                out.push_str(extra);
                out.push('\n');
            }
            continue;
        }
        if in_manager && keys.iter().any(|k| line.starts_with(k.as_str())) {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn run(sc: &Scenario, structure: &str, rep: u64) -> RunResult {
    let s = sc
        .structure_names()
        .iter()
        .position(|&n| n == structure)
        .unwrap();
    sim::run(sc, s, rep)
}

/// Turnover fields with no one leaving change nothing: the same bytes as without them.
#[test]
fn without_attrition_results_are_unchanged() {
    let plain = parse(&common::with_horizon(&scenario_text("default.toml"), 12));
    let fields = parse(&with_manager(
        "annual_attrition = 0\ntakes_clients_share = 1\nhandover_cold_share = 1\nramp_months = 5\nhiring_cost = 1000",
    ));
    for structure in ["one_level", "assistant"] {
        let a = run(&plain, structure, 3);
        let b = run(&fields, structure, 3);
        assert_eq!(
            format!("{:?}", a.months),
            format!("{:?}", b.months),
            "{structure}"
        );
        assert!(!b.months[0].turnover, "no turnover columns");
    }
}

/// Every client is active, dormant, churned or gone with an owner; every planned
/// person-hour is full, ramping or vacant.
#[test]
fn clients_and_person_time_are_conserved() {
    let sc = parse(&with_manager(
        "annual_attrition = 0.8\ntakes_clients_share = 0.4\nhandover_cold_share = 0.2\ntime_to_fill_days = { dist = \"exponential\", mean = 30 }",
    ));
    for rep in 0..4 {
        let r = run(&sc, "one_level", rep);
        let t = r.total();
        let start = u64::from(sc.clients.initial_active);
        let last = r.months.last().unwrap();
        assert_eq!(
            start + t.clients_won,
            last.clients_active
                + last.clients_dormant
                + t.clients_churned
                + t.clients_left_with_owner,
            "replication {rep}: clients"
        );
        assert!(t.clients_left_with_owner > 0, "someone took clients along");
        let role = &sc.structure("one_level").unwrap().roles[0];
        for (m, ms) in r.months.iter().enumerate() {
            let rm = &ms.roles[0];
            let month_ms = (sc.calendar.month_start(m + 1) - sc.calendar.month_start(m)).0;
            assert_eq!(
                rm.plan_ms,
                u64::from(role.count[m]) * month_ms,
                "month {m}: plan"
            );
            assert_eq!(
                rm.full_ms + rm.ramp_ms + rm.vacant_ms,
                rm.plan_ms,
                "month {m}: split"
            );
            assert!(rm.effective_ms <= (rm.full_ms + rm.ramp_ms) as f64 + 1.0);
        }
        assert!(t.roles[0].leavers > 0 && t.roles[0].hires > 0);
    }
}

/// With `takes_clients_share = 0` nobody leaves with an owner.
#[test]
fn nobody_follows_an_owner_who_takes_no_one() {
    let sc = parse(&with_manager(
        "annual_attrition = 1.0\ntakes_clients_share = 0",
    ));
    for rep in 0..3 {
        let r = run(&sc, "one_level", rep);
        assert_eq!(r.total().clients_left_with_owner, 0);
        assert!(r.total().roles[0].leavers > 0);
    }
}

/// With every client following its owner and attrition of 100% a year, a client is
/// still on the books at the end of the year exactly when its first owner (tenure
/// exponential, mean 12 months; the clock restarts at the start, memoryless) has not
/// left: probability exp(-365 / 365.25). Nothing else moves the base: no leads, no
/// cold calls, no churn. Clients of one owner go together, so the surviving share of a
/// replication is a sixth of a binomial count: sd ~ 0.2; over 200 replications the mean
/// must lie within t(0.999) standard errors of the expectation.
#[test]
fn the_base_falls_by_the_expected_share() {
    let text = with_manager("annual_attrition = 1.0\ntakes_clients_share = 1.0")
        .replace("scale = 1.0 ", "scale = 0.0 ")
        .replace("dials_per_hour = 5.6 ", "dials_per_hour = 0.0 ")
        .replace("annual_churn = 0.25 ", "annual_churn = 0.0 ");
    let sc = parse(&text);
    assert_eq!(sc.demand.per_month.iter().sum::<f64>(), 0.0, "no leads");
    let n = f64::from(sc.clients.initial_active);
    let kept: Vec<f64> = (0..200)
        .map(|rep| {
            let r = run(&sc, "one_level", rep);
            let last = r.months.last().unwrap();
            (last.clients_active + last.clients_dormant) as f64 / n
        })
        .collect();
    let (mean, se) = mean_se(&kept);
    let expected = (-365.0f64 / 365.25).exp();
    let tol = t999(kept.len() - 1) * se;
    assert!(
        (mean - expected).abs() <= tol,
        "kept {mean:.4} vs expected {expected:.4} (tolerance {tol:.4})"
    );
}

/// Fixed tenure, time to fill and ramp make the schedule exact. Each of the 6 managers
/// leaves at 4 months (121.75 days), is replaced 10 days later, ramps from 50% over one
/// month (30.44 days), leaves again 121.75 days after the hire and is replaced again:
/// per slot 2 leavers, 2 hires, 20 days vacant, 2 full ramps each worth 75% of its time.
#[test]
fn time_to_fill_and_ramp_follow_the_schedule() {
    let sc = parse(&with_manager(
        "tenure_months = 4\ntime_to_fill_days = 10\nramp_months = 1\nramp_start = 0.5",
    ));
    let r = run(&sc, "one_level", 0);
    let t = r.total();
    let rm = &t.roles[0];
    let day = 86_400_000u64;
    let month = 365.25 / 12.0 * day as f64;
    assert_eq!((rm.leavers, rm.hires), (12, 12));
    assert_eq!(rm.vacant_ms, 6 * 20 * day);
    let ramp = 6.0 * 2.0 * month;
    assert!(
        (rm.ramp_ms as f64 - ramp).abs() < 1_000.0,
        "{} vs {ramp}",
        rm.ramp_ms
    );
    let effective_in_ramp = rm.effective_ms - rm.full_ms as f64;
    assert!(
        (effective_in_ramp - 0.75 * ramp).abs() < 1_000.0,
        "{effective_in_ramp} vs {}",
        0.75 * ramp
    );
}

/// A vacancy among managers is filled at once from the assistants who have served long
/// enough, and the assistant's place is hired for.
#[test]
fn promotion_fills_from_inside() {
    let text = with_manager("annual_attrition = 1.0").replacen(
        "[roles.assistant]\n",
        "[roles.assistant]\npromote_to = \"manager\"\npromote_after_months = 6\n",
        1,
    );
    let sc = parse(&text);
    let r = run(&sc, "assistant", 1);
    let t = r.total();
    let (manager, assistant) = (&t.roles[0], &t.roles[1]);
    assert!(manager.leavers > 0);
    assert!(assistant.leavers > 0, "assistants were promoted");
    assert!(assistant.hires > 0, "and their places hired for");
}

fn validate(text: &str) -> String {
    match Scenario::from_toml_str(text) {
        Ok(_) => panic!("accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn bad_turnover_fields_are_named() {
    let msg = validate(&with_manager("annual_attrition = 1.5"));
    assert!(msg.contains("roles.manager.annual_attrition"), "{msg}");
    let msg = validate(&with_manager("time_to_fill_days = -3"));
    assert!(msg.contains("roles.manager.time_to_fill_days"), "{msg}");
    let msg = validate(&with_manager("takes_clients_share = 2"));
    assert!(msg.contains("roles.manager.takes_clients_share"), "{msg}");
    let msg = validate(&with_manager("promote_to = \"ceo\""));
    assert!(
        msg.contains("promote_to") && msg.contains("no other role named \"ceo\""),
        "{msg}"
    );
    let msg = validate(&with_manager("annual_attrition = 0.3\ntenure_months = 20"));
    assert!(msg.contains("not both"), "{msg}");
}
