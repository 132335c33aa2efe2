//! One replication: the exact trace of a tiny department, conservation of leads, Little's
//! law, determinism and common random numbers, and every shipped scenario.

mod common;

use common::{parse, scenario_text};
use proptest::prelude::*;
use salesim::engine::Time;
use salesim::report::csv::write_monthly;
use salesim::scenario::Scenario;
use salesim::sim::{self, RunResult, Simulation};

use common::SHIPPED;

fn tiny() -> Scenario {
    parse(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/tiny.toml"
        ))
        .unwrap(),
    )
}

#[test]
fn exact_trace_of_a_tiny_department() {
    // A answers at once (6 min call), B and C ring while the only person is busy and hang
    // up after their 60 s; A's deal gets its one 30-minute touch, is won, and the
    // 10-minute contract books the revenue.
    let sc = tiny();
    let at = |m: f64| Time::from_minutes(m);
    let sim = Simulation::new(&sc, 0, 0).with_arrivals(vec![at(10.0 / 60.0), at(1.0), at(20.0)]);
    let (r, trace) = sim.run_traced();
    let day0: Vec<&str> = trace
        .iter()
        .map(String::as_str)
        .take_while(|l| l.starts_with("day 0 "))
        .collect();
    assert_eq!(
        day0,
        vec![
            "day 0 00:00:00.000 SegmentStarted { role: 0 }",
            "day 0 00:00:10.000 LeadArrived",
            "day 0 00:01:00.000 LeadArrived",
            "day 0 00:02:00.000 PatienceExpired { lead: Ref { idx: 1, gen: 0 } }",
            "day 0 00:06:10.000 WorkFinished { employee: 0, task: 1 }",
            "day 0 00:20:00.000 LeadArrived",
            "day 0 00:21:00.000 PatienceExpired { lead: Ref { idx: 1, gen: 1 } }",
            "day 0 00:36:10.000 WorkFinished { employee: 0, task: 2 }",
            "day 0 00:46:10.000 WorkFinished { employee: 0, task: 3 }",
        ]
    );
    let t = r.total();
    assert_eq!((t.leads_phone, t.lost_unanswered, t.deals_won), (3, 2, 1));
    assert_eq!(t.revenue_new, 1000.0);
    assert_eq!(r.open_leads, 0);
    // Busy: 6 + 30 + 10 minutes.
    assert_eq!(t.roles[0].busy_ms, Time::from_minutes(46.0).0);
}

#[test]
fn work_in_progress_at_the_horizon_counts_as_busy() {
    // The tiny department's only person answers a call at 10 s that lasts longer than the
    // month (and than any horizon: 1e308 minutes). The call never ends, but the month was
    // worked: busy from 10 s to the end, on a 24/7 calendar.
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/tiny.toml"
    ))
    .unwrap()
    .replace("handle_minutes = 6", "handle_minutes = 1e308");
    let sc = parse(&text);
    let sim = Simulation::new(&sc, 0, 0).with_arrivals(vec![Time::from_secs(10.0)]);
    let r = sim.run();
    let role = &r.total().roles[0];
    assert_eq!(role.busy_ms, role.paid_ms - Time::from_secs(10.0).0);
    assert_eq!(r.open_leads, 1);
}

/// Every lead has exactly one outcome or is open, month by month and in total; time in
/// system adds up (the sample-path form of Little's law).
fn assert_conserved(r: &RunResult, label: &str) {
    let t = r.total();
    assert_eq!(
        t.leads_arrived(),
        t.deals_kept() + t.leads_lost() + r.open_leads,
        "{label}: leads"
    );
    // Inbound leads by the month they arrived: each lost, kept or still open; the
    // losses and keeps are among all of them (cold-called leads are the rest).
    assert!(
        t.cohort_lost + t.cohort_kept <= t.leads_inbound(),
        "{label}: cohorts"
    );
    assert!(t.cohort_lost <= t.leads_lost(), "{label}: inbound losses");
    assert!(
        t.cohort_kept <= t.deals_kept(),
        "{label}: inbound deals kept"
    );
    let mut open = 0i64;
    for (i, m) in r.months.iter().enumerate() {
        // Avoidable and unavoidable losses part every cause of loss, each once.
        let causes = m.lost_unanswered
            + m.lost_after_hours
            + m.lost_not_reached
            + m.lost_late_response
            + m.lost_non_target
            + m.lost_deal_cold
            + m.lost_deal_lost
            + m.contracts_lost_late;
        assert_eq!(
            m.lost_leads() + m.lost_unavoidable(),
            causes,
            "{label}: causes of loss in month {}",
            i + 1
        );
        // Time by activity: busy time is time on each kind of work, cold calling and
        // switching, to the millisecond; with breaks it fits in the paid hours, and the
        // rest is idle, so the shares of paid time sum to 1.
        for (j, rm) in m.roles.iter().enumerate() {
            let parts = rm.work_ms.iter().sum::<u64>() + rm.prospecting_ms + rm.switch_ms;
            assert_eq!(
                parts,
                rm.busy_ms,
                "{label}: role {j}'s busy time in month {}",
                i + 1
            );
            assert!(
                rm.busy_ms + rm.break_ms <= rm.paid_ms,
                "{label}: role {j} works and rests {} ms more than it is paid in month {}",
                rm.busy_ms + rm.break_ms - rm.paid_ms,
                i + 1
            );
            assert_eq!(parts + rm.break_ms + rm.idle_ms(), rm.paid_ms);
        }
        // A lead leaves the open count at its decision; a contract lost later does not.
        open += m.leads_arrived() as i64
            - m.deals_won as i64
            - (m.leads_lost() - m.contracts_lost_late) as i64;
        assert_eq!(
            open,
            m.open_leads as i64,
            "{label}: open leads at the end of month {}",
            i + 1
        );
    }
    // Every order ends entered, cancelled late, lost uncollected or in the backlog
    // (order entry and collection calls, in progress included); every won decision ends
    // with a signed contract, a late loss or in the contract backlog. Month by month: the
    // backlog at a month's end is what came in minus what went out so far.
    let (mut orders, mut contracts) = (0i64, 0i64);
    for (i, m) in r.months.iter().enumerate() {
        let placed_alone = m.repeat_orders - m.orders_collected;
        orders += (placed_alone + m.collections_due) as i64
            - (m.orders_entered + m.orders_cancelled_late + m.orders_lost_uncollected) as i64;
        let waiting = m.backlog[1].count + m.backlog[2].count;
        assert_eq!(orders, waiting as i64, "{label}: orders in month {}", i + 1);
        contracts += m.deals_won as i64 - (m.contracts_signed + m.contracts_lost_late) as i64;
        assert_eq!(
            contracts,
            m.backlog[0].count as i64,
            "{label}: contracts in month {}",
            i + 1
        );
    }
    let by_lead = r.finished_lead_ms + r.open_lead_ms;
    assert!(
        (r.lead_ms_in_system - by_lead).abs() <= 1e-9 * by_lead.max(1.0),
        "{label}: integral of open leads {} != sum of times in system {by_lead}",
        r.lead_ms_in_system
    );
    for m in &r.months {
        assert!(
            m.phone_resolved == m.phone_answered + m.phone_abandoned + m.phone_missed,
            "{label}: calls"
        );
        assert!(m.missed_logged <= m.phone_missed, "{label}: missed calls");
        assert!(
            m.phone_answered_in_sl <= m.phone_answered,
            "{label}: service level"
        );
        assert!(
            m.payroll() >= 0.0 && m.outsourcing() >= 0.0 && m.commissions() >= 0.0,
            "{label}: costs"
        );
    }
}

#[test]
fn every_shipped_scenario_runs_under_every_structure() {
    for name in SHIPPED {
        let sc =
            Scenario::load(&common::scenario_path(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        for (i, s) in sc.structures.iter().enumerate() {
            let r = sim::run(&sc, i, 0);
            let label = format!("{name} / {}", s.name);
            assert_conserved(&r, &label);
            assert!(r.total().leads_arrived() > 0, "{label}: no leads");
        }
    }
}

#[test]
fn littles_law_on_the_default_scenario() {
    // L = lambda W, with W over every lead (the open ones counted to the end): the
    // integral of open leads over time and the per-lead times in system are computed
    // independently, so their agreement checks arrivals, outcomes and the clock.
    let sc = Scenario::default_scenario();
    let r = sim::run(&sc, 4, 0);
    let horizon = sc.calendar.end().0 as f64;
    let arrivals = r.total().leads_arrived() as f64;
    let l = r.lead_ms_in_system / horizon;
    let w = (r.finished_lead_ms + r.open_lead_ms) / arrivals;
    let lambda = arrivals / horizon;
    assert!(
        (l - lambda * w).abs() / l < 1e-9,
        "L {l} vs lambda W {}",
        lambda * w
    );
}

#[test]
fn memory_follows_live_work_not_the_horizon() {
    // Flat demand: a ten-year run holds no more pending events or records than a
    // one-year run beyond the random swing between months (a 30% margin) and the growth
    // of its client base (the clients and the open deals dominate both). The conveyor
    // gets four farmers: with the shipped two, client calls and reactivations wait
    // longer every month (an unstable queue, which no memory bound should hide).
    let flat = scenario_text("default.toml").replace(
        "seasonality = [1.0, 1.0, 1.5, 2.5, 3.0, 3.0, 2.75, 2.5, 2.5, 2.0, 1.25, 1.0]",
        "seasonality = [1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5]",
    ) + "\n[structures.conveyor.roles.farmer]\ncount = 4\n";
    let year = sim::run(&parse(&common::with_horizon(&flat, 12)), 4, 0);
    let decade = sim::run(&parse(&common::with_horizon(&flat, 120)), 4, 0);
    assert!(decade.total().leads_arrived() > 9 * year.total().leads_arrived());
    // The client base moves towards its steady state over the decade (more clients won
    // than lost at first): live work grows with it, and so may the bound. Dormant clients
    // count: each keeps its write-off pending and may wait in the reactivation queue.
    let clients = |r: &RunResult| (r.total().clients_active + r.total().clients_dormant) as f64;
    let growth = (clients(&decade) / clients(&year)).max(1.0);
    for (what, one, ten) in [
        (
            "pending events",
            year.peak_pending_events,
            decade.peak_pending_events,
        ),
        (
            "live records",
            year.peak_live_records,
            decade.peak_live_records,
        ),
    ] {
        assert!(
            ten as f64 <= 1.3 * growth * one as f64,
            "{what}: {one} in a year, {ten} in ten years (client base x{growth:.2}, dormant {} -> {})",
            year.total().clients_dormant,
            decade.total().clients_dormant
        );
    }
}

fn csv(r: &RunResult) -> Vec<u8> {
    let mut v = vec![];
    write_monthly(r, 0, &mut v).unwrap();
    v
}

#[test]
fn same_seed_gives_identical_bytes() {
    let sc = Scenario::default_scenario();
    for s in 0..sc.structures.len() {
        assert_eq!(csv(&sim::run(&sc, s, 3)), csv(&sim::run(&sc, s, 3)));
    }
    assert_ne!(csv(&sim::run(&sc, 0, 3)), csv(&sim::run(&sc, 0, 4)));
}

fn inbound(r: &RunResult) -> Vec<(u64, u64)> {
    r.months
        .iter()
        .map(|m| (m.leads_phone, m.leads_web))
        .collect()
}

#[test]
fn every_structure_sees_the_same_inbound_leads() {
    let sc = Scenario::default_scenario();
    let first = inbound(&sim::run(&sc, 0, 0));
    for s in 1..sc.structures.len() {
        assert_eq!(
            inbound(&sim::run(&sc, s, 0)),
            first,
            "{}",
            sc.structures[s].name
        );
    }
}

#[test]
fn adding_a_closer_leaves_the_arrival_stream_unchanged() {
    let base = scenario_text("default.toml");
    let more = format!("{base}\n[structures.lead_chopper.roles.closer]\ncount = 6\n");
    let (a, b) = (parse(&base), parse(&more));
    let s = a
        .structure_names()
        .iter()
        .position(|&n| n == "lead_chopper")
        .unwrap();
    let (ra, rb) = (sim::run(&a, s, 0), sim::run(&b, s, 0));
    assert_eq!(inbound(&ra), inbound(&rb));
    assert_ne!(
        csv(&ra),
        csv(&rb),
        "the extra closer changed nothing at all"
    );
}

#[test]
fn more_call_centre_operators_lose_fewer_calls_on_common_numbers() {
    // Same leads (common random numbers), same patience draws: with four operators
    // instead of two, fewer callers hang up. A mechanism, not a constant.
    let base = scenario_text("default.toml");
    let four = format!("{base}\n[structures.conveyor.roles.call_centre]\ncount = 4\n");
    let s = 4;
    let two = sim::run(&parse(&base), s, 0).total();
    let four = sim::run(&parse(&four), s, 0).total();
    assert!(
        four.lost_unanswered < two.lost_unanswered,
        "{} vs {}",
        four.lost_unanswered,
        two.lost_unanswered
    );
    assert!(four.service_level() > two.service_level());
}

/// A random valid variation of the default scenario: small, constant headcounts.
fn variant() -> impl Strategy<Value = String> {
    (
        (0.0..=1.0f64, 10.0..300.0f64, 0.0..=1.0f64, 0.0..=1.0f64),
        (1u32..4, 20.0..400.0f64, 0.0..10.0f64, 0u32..5),
        (1u32..6, 1u32..4, 0u32..400, 0usize..5),
    )
        .prop_map(
            |(
                (phone, patience, callback, target),
                (months, base, switch, cc),
                (managers, farmers, clients, _),
            )| {
                let text = common::with_horizon(&scenario_text("default.toml"), months)
                    .replace(
                        "base_per_month = 600",
                        &format!("base_per_month = {base:.1}"),
                    )
                    .replace("phone_share = 0.5", &format!("phone_share = {phone:.3}"))
                    .replace("mean = 60 }", &format!("mean = {patience:.1} }}"))
                    .replace(
                        "callback_share = 0.25",
                        &format!("callback_share = {callback:.3}"),
                    )
                    .replace(
                        "target_share = 0.30",
                        &format!("target_share = {target:.3}"),
                    )
                    .replace(
                        "switch_minutes = 3",
                        &format!("switch_minutes = {switch:.2}"),
                    )
                    .replace(
                        "initial_active = 1500",
                        &format!("initial_active = {clients}"),
                    );
                format!(
                    "{text}\n[structures.one_level.roles.manager]\ncount = {managers}\n\
                 [structures.conveyor.roles.call_centre]\ncount = {cc}\n\
                 [structures.conveyor.roles.farmer]\ncount = {farmers}\n"
                )
            },
        )
}

proptest! {
    // A fixed seed: the same 24 cases on every run (failures found are kept in
    // simulation.proptest-regressions and replayed first).
    #![proptest_config(ProptestConfig {
        cases: 24,
        rng_seed: proptest::test_runner::RngSeed::Fixed(20261123),
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_scenarios_conserve_leads_and_time(text in variant(), structure in 0usize..5, rep in 0u64..1000) {
        let sc = parse(&text);
        let r = sim::run(&sc, structure, rep);
        assert_conserved(&r, "variant");
        for m in &r.months {
            for (name, rm) in r.role_names.iter().zip(&m.roles) {
                // Headcounts are constant, so nobody works unpaid: busy time <= paid time.
                prop_assert!(rm.busy_ms <= rm.paid_ms, "{name}: busy {} > paid {}", rm.busy_ms, rm.paid_ms);
                prop_assert!(rm.switch_ms <= rm.busy_ms);
                prop_assert!(rm.prospecting_ms + rm.switch_ms <= rm.busy_ms, "{name}: cold calling beyond busy time");
            }
        }
    }
}
