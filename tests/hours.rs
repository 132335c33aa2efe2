//! Leads and hours: a call that rings when nobody is on shift goes to the missed-call log
//! (or is lost "after hours"), callers redial, and staggered breaks keep the phone
//! covered at lunch. Traced by hand on `tests/fixtures/hours.toml`.

mod common;

use common::{at, fixture, fixture_text};
use salesim::engine::Time;
use salesim::sim::Simulation;

fn hours(edit: &[(&str, &str)]) -> salesim::scenario::Scenario {
    fixture("hours.toml", edit)
}

/// The trace of day 0, without shift starts.
fn day0(trace: &[String]) -> Vec<String> {
    trace
        .iter()
        .filter(|l| l.starts_with("day 0 ") && !l.contains("SegmentStarted"))
        .cloned()
        .collect()
}

#[test]
fn a_call_at_night_is_logged_and_called_back_at_the_first_working_minute() {
    // The call rings at 03:00 with nobody on shift: it goes to the log at once (no
    // patience runs out). At 09:00 the manager calls back (reached at the first
    // attempt) and talks for 6 minutes: the lead is qualified out at 09:06.
    let sc = hours(&[]);
    let sim = Simulation::new(&sc, 0, 0).with_arrivals(vec![at(0, 3, 0, 0)]);
    let (r, trace) = sim.run_traced();
    assert_eq!(
        day0(&trace),
        vec![
            "day 0 03:00:00.000 LeadArrived",
            "day 0 09:06:00.000 WorkFinished { employee: 0, task: 1 }",
        ]
    );
    let t = r.total();
    assert_eq!(
        (t.phone_missed, t.missed_logged, t.lost_after_hours),
        (1, 1, 0)
    );
    assert_eq!((t.phone_abandoned, t.lost_unanswered), (0, 0));
    assert_eq!((t.contacted, t.lost_non_target), (1, 1));
    // Speed to lead runs from the call: six hours.
    assert_eq!(Time(t.speed_to_lead_ms), Time::from_hours(6.0));
    // The call was not answered in working hours: it is no working-hours call.
    assert_eq!((t.phone_resolved, t.phone_resolved_open), (1, 0));
}

#[test]
fn a_logged_call_decays_from_when_it_rang() {
    // Interest falls from 1 to one in a million between 359 and 360 minutes after the
    // call: called back at 09:00, six hours after 03:00, the lead is lost late. Had the
    // decay counted from the callback, interest would be whole.
    let sc = hours(&[(
        "decay = \"none\"",
        "decay = [[0, 1.0], [359, 1.0], [360, 0.000001]]",
    )]);
    let sim = Simulation::new(&sc, 0, 0).with_arrivals(vec![at(0, 3, 0, 0)]);
    let t = sim.run().total();
    assert_eq!((t.missed_logged, t.lost_late_response), (1, 1));
    // At 08:59 the delay is 359 minutes: still interested (qualified out instead).
    let sim = Simulation::new(&sc, 0, 0).with_arrivals(vec![at(0, 3, 1, 0)]);
    let t = sim.run().total();
    assert_eq!((t.lost_late_response, t.lost_non_target), (0, 1));
}

#[test]
fn a_night_call_not_logged_is_lost_after_hours() {
    let sc = hours(&[("missed_call_log_share = 1.0", "missed_call_log_share = 0.0")]);
    let sim = Simulation::new(&sc, 0, 0).with_arrivals(vec![at(0, 3, 0, 0)]);
    let (r, trace) = sim.run_traced();
    assert_eq!(day0(&trace), vec!["day 0 03:00:00.000 LeadArrived"]);
    let t = r.total();
    assert_eq!(
        (t.phone_missed, t.missed_logged, t.lost_after_hours),
        (1, 0, 1)
    );
    assert_eq!((t.lost_unanswered, t.contacted), (0, 0));
    assert_eq!(t.leads_lost(), 1);
}

#[test]
fn without_a_log_a_night_call_rings_until_the_caller_gives_up() {
    // The old behaviour, kept when the scenario has no missed-call log.
    let sc = hours(&[("missed_call_log_share = 1.0\n", "")]);
    let sim = Simulation::new(&sc, 0, 0).with_arrivals(vec![at(0, 3, 0, 0)]);
    let (r, trace) = sim.run_traced();
    assert_eq!(
        day0(&trace),
        vec![
            "day 0 03:00:00.000 LeadArrived",
            "day 0 03:00:30.000 PatienceExpired { lead: Ref { idx: 0, gen: 0 } }",
        ]
    );
    let t = r.total();
    assert_eq!((t.phone_missed, t.lost_unanswered), (0, 1));
}

#[test]
fn a_caller_who_hangs_up_redials() {
    // Two callers at 10:00:00 and 10:00:10 and one person busy to 10:06:00: the second
    // caller gives up at 10:00:40 (patience 30 s) and redials (share 1) 5 minutes later,
    // at 10:05:40. The line is free at 10:06:00, within the caller's patience: answered
    // after 20 s, to 10:12:00. The second call's patience, at 10:06:10, finds them
    // talking (a stale event).
    let sc = hours(&[(
        "callback_share = 0.0",
        "callback_share = 0.0\nredial_share = 1.0\nredial_minutes = 5",
    )]);
    let sim = Simulation::new(&sc, 0, 0).with_arrivals(vec![at(0, 10, 0, 0), at(0, 10, 0, 10)]);
    let (r, trace) = sim.run_traced();
    assert_eq!(
        day0(&trace),
        vec![
            "day 0 10:00:00.000 LeadArrived",
            "day 0 10:00:10.000 LeadArrived",
            "day 0 10:00:40.000 PatienceExpired { lead: Ref { idx: 1, gen: 0 } }",
            "day 0 10:05:40.000 Redialed { lead: Ref { idx: 1, gen: 0 } }",
            "day 0 10:06:00.000 WorkFinished { employee: 0, task: 1 }",
            "day 0 10:06:10.000 PatienceExpired { lead: Ref { idx: 1, gen: 0 } }",
            "day 0 10:12:00.000 WorkFinished { employee: 0, task: 2 }",
        ]
    );
    let t = r.total();
    assert_eq!((t.redials, t.phone_abandoned, t.phone_answered), (1, 1, 2));
    // Two calls by one caller, one by the other: three resolved, no lead lost unanswered.
    assert_eq!(
        (t.phone_resolved, t.lost_unanswered, t.leads_phone),
        (3, 0, 2)
    );
}

/// Calls at 30 seconds past every minute of the working day 09:00-18:00 of day 0.
fn every_minute() -> Vec<Time> {
    (9 * 60..18 * 60)
        .map(|m| at(0, m / 60, m % 60, 30))
        .collect()
}

/// Two people who answer 6-second calls and take a 30-minute break in `window`; a call
/// nobody is there for is lost.
fn two_lunching_in(window: &str) -> salesim::scenario::Scenario {
    let breaks =
        format!("hours = [\"09:00-18:00\"]\nbreak_minutes = 30\nbreak_window = \"{window}\"");
    hours(&[
        ("count = 1", "count = 2"),
        ("handle_minutes = 6", "handle_minutes = 0.1"),
        ("missed_call_log_share = 1.0", "missed_call_log_share = 0.0"),
        ("hours = [\"09:00-18:00\"]", &breaks),
    ])
}

#[test]
fn staggered_breaks_keep_the_phone_covered() {
    // Two people, a 30-minute break each in the window 12:00-13:00: one goes at 12:00,
    // the other at 12:30. A 6-second call rings at every minute of the day, and every
    // one is answered the moment it rings (service level 0 s).
    let sc = two_lunching_in("12:00-13:00");
    let calls = every_minute();
    let n = calls.len() as u64;
    let (r, trace) = Simulation::new(&sc, 0, 0).with_arrivals(calls).run_traced();
    let t = r.total();
    assert_eq!((t.phone_answered_in_sl, t.phone_missed), (n, 0));
    let breaks: Vec<&String> = trace
        .iter()
        .filter(|l| l.starts_with("day 0 ") && l.contains("Break"))
        .collect();
    assert_eq!(
        breaks,
        vec![
            "day 0 12:00:00.000 BreakDue { role: 0, slot: 0 }",
            "day 0 12:30:00.000 BreakDue { role: 0, slot: 1 }",
            "day 0 12:30:00.000 BreakOver { employee: 0, task: 91 }",
            "day 0 13:00:00.000 BreakOver { employee: 1, task: 121 }",
        ]
    );
    // The 180 calls before noon alternate between the two (the longest idle answers):
    // person 0 goes on their 91st task count; the 30 calls of 12:00-12:30 all go to
    // person 1, who goes on their 121st.
    // Two half-hour breaks on each of February's 28 days; utilisation counts the time
    // left for work.
    let role = &t.roles[0];
    assert_eq!(Time(role.break_ms), Time::from_minutes(28.0 * 2.0 * 30.0));
    assert_eq!(role.available_ms(), role.paid_ms - role.break_ms);

    // The same two people lunching together leave the phone to nobody for half an hour:
    // the 30 calls that ring then are missed.
    let sc = two_lunching_in("12:00-12:30");
    let t = Simulation::new(&sc, 0, 0)
        .with_arrivals(every_minute())
        .run()
        .total();
    assert_eq!((t.phone_missed, t.lost_after_hours), (30, 30));
    assert_eq!(t.phone_answered_in_sl, n - 30);
}

#[test]
fn a_break_put_off_by_a_task_is_taken_when_it_ends() {
    // One person, a 30-minute break from 12:00 in the window 12:00-13:00. A call at
    // 11:58 lasts 6 minutes: the break starts when it ends, at 12:04, and lasts to 12:34.
    let sc = hours(&[(
        "hours = [\"09:00-18:00\"]",
        "hours = [\"09:00-18:00\"]\nbreak_minutes = 30\nbreak_window = \"12:00-13:00\"",
    )]);
    let sim = Simulation::new(&sc, 0, 0).with_arrivals(vec![at(0, 11, 58, 0), at(0, 12, 10, 0)]);
    let (r, trace) = sim.run_traced();
    assert_eq!(
        day0(&trace),
        vec![
            "day 0 11:58:00.000 LeadArrived",
            "day 0 12:00:00.000 BreakDue { role: 0, slot: 0 }",
            "day 0 12:04:00.000 WorkFinished { employee: 0, task: 1 }",
            "day 0 12:10:00.000 LeadArrived",
            "day 0 12:34:00.000 BreakOver { employee: 0, task: 2 }",
            "day 0 12:40:00.000 WorkFinished { employee: 0, task: 3 }",
        ]
    );
    // The call at 12:10 found nobody at work and went to the log; it was called back
    // when the break ended.
    let t = r.total();
    assert_eq!((t.phone_missed, t.missed_logged, t.contacted), (1, 1, 2));
}

/// The hours fixture with the manager's day as one block of `block` (TOML fields), and
/// `switch` minutes lost per change of work.
fn blocked(block: &str, switch: f64) -> salesim::scenario::Scenario {
    let line = format!(
        "switch_minutes = {switch}\nblocks = [{{ from = \"09:00\", to = \"18:00\", {block} }}]\nsalary_per_month = 100"
    );
    hours(&[("salary_per_month = 100", &line)])
}

#[test]
fn a_batch_goes_at_its_focus_with_no_switch() {
    // The manager loses 10 minutes per change of work. A call logged at 03:00 is called
    // back at 09:00 (a lead call, 6 minutes) and a call rings at 10:00 (an answered
    // call, 6 minutes, another kind). In a batch at focus 2 both take 3 minutes and the
    // change costs nothing: 09:03 and 10:03, 6 minutes busy. In a plain block: 09:06, and
    // 10:16 after the switch, 22 minutes busy.
    let calls = vec![at(0, 3, 0, 0), at(0, 10, 0, 0)];
    let work = "work = [\"inbound_call\", \"lead_call\"]";
    let finishes = |sc: &salesim::scenario::Scenario| {
        let (r, trace) = Simulation::new(sc, 0, 0)
            .with_arrivals(calls.clone())
            .run_traced();
        let ends: Vec<String> = day0(&trace)
            .into_iter()
            .filter(|l| l.contains("WorkFinished"))
            .map(|l| l[6..11].to_string())
            .collect();
        (ends, Time(r.total().roles[0].busy_ms))
    };
    let batch = blocked(&format!("{work}, focus = 2.0"), 10.0);
    assert_eq!(
        finishes(&batch),
        (
            vec!["09:03".into(), "10:03".into()],
            Time::from_minutes(6.0)
        )
    );
    let plain = blocked(work, 10.0);
    assert_eq!(
        finishes(&plain),
        (
            vec!["09:06".into(), "10:16".into()],
            Time::from_minutes(22.0)
        )
    );
}

#[test]
fn a_block_lets_a_ringing_call_in_between_its_tasks_or_leaves_it_to_nobody() {
    // A block for deal touches only: a call at 10:00 finds nobody who may answer and goes
    // to the log. With phone = "interrupt" it is answered at once.
    let t = Simulation::new(&blocked("work = [\"deal_touch\"]", 0.0), 0, 0)
        .with_arrivals(vec![at(0, 10, 0, 0)])
        .run()
        .total();
    assert_eq!((t.phone_missed, t.phone_answered), (1, 0));
    let sc = blocked("work = [\"deal_touch\"], phone = \"interrupt\"", 0.0);
    let t = Simulation::new(&sc, 0, 0)
        .with_arrivals(vec![at(0, 10, 0, 0)])
        .run()
        .total();
    assert_eq!(
        (t.phone_missed, t.phone_answered, t.phone_answered_in_sl),
        (0, 1, 1)
    );
}

#[test]
fn a_colleague_named_to_take_the_phone_must_answer_it_then() {
    let text = fixture_text(
        "hours.toml",
        &[(
            "salary_per_month = 100",
            "blocks = [{ from = \"09:00\", to = \"18:00\", work = [\"deal_touch\"], phone = \"nobody\" }]\nsalary_per_month = 100",
        )],
    );
    let err = salesim::scenario::Scenario::from_toml_str(&text)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("structures.desk.roles.manager.blocks[0].phone: expected \"interrupt\" or a role of this structure to take the calls (manager), found \"nobody\""),
        "{err}"
    );
    let own = text.replace("phone = \"nobody\"", "phone = \"manager\"");
    let err = salesim::scenario::Scenario::from_toml_str(&own)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "blocks[0].phone: manager does not answer the phone on mon at 09:00, inside the block"
        ),
        "{err}"
    );
}

#[test]
fn a_finite_prospect_base_rests_its_prospects() {
    // The manager cold-calls 10 numbers an hour, 9 hours a day, every day of February:
    // 90 dials a day, 2,520 in all. With 100 prospects, 2 dials each, resting 7 days
    // after a call: day 0 takes 45 prospects (90 dials), day 1 45 more, day 2 the last 10
    // (20 dials), days 3-6 none; day 7 finds day 0's 45 back, and so on: 200 dials a
    // week, 800 in four weeks, and 80 hours of dialling (the rest of the time is idle).
    let outbound = "[outbound]\ndials_per_hour = 10\nconnect_rate = 1.0\nlead_per_connect = 0.0\n";
    let works = "works = [\"inbound_call\", \"lead_call\", \"deal_touch\", \"contract\", \"order_entry\", \"care\", \"reactivation\", \"prospecting\"]";
    let open = hours(&[
        ("[economics]", &format!("{outbound}\n[economics]")),
        (
            "works = [\"inbound_call\", \"lead_call\", \"deal_touch\", \"contract\", \"order_entry\", \"care\", \"reactivation\"]",
            works,
        ),
    ]);
    let t = Simulation::new(&open, 0, 0).run().total();
    assert_eq!(t.dials, 2520);
    let base = format!("{outbound}prospect_base = 100\ndials_per_prospect = 2\nrecall_days = 7\n");
    let finite = hours(&[
        ("[economics]", &format!("{base}\n[economics]")),
        (
            "works = [\"inbound_call\", \"lead_call\", \"deal_touch\", \"contract\", \"order_entry\", \"care\", \"reactivation\"]",
            works,
        ),
    ]);
    let t = Simulation::new(&finite, 0, 0).run().total();
    assert_eq!(t.dials, 800);
    assert_eq!(Time(t.roles[0].prospecting_ms), Time::from_hours(80.0));
    assert_eq!(Time(t.roles[0].busy_ms), Time::from_hours(80.0));
}

#[test]
fn with_unlimited_staff_the_default_loses_only_what_no_staffing_could_win() {
    // Sixty universal managers (ten times the shipped team, 16% busy): what they lose
    // is what the hours, the market and the reach of a phone decide, not their capacity:
    // calls after hours not logged, leads never reached after every attempt, interest
    // gone over a night or between attempts, non-target leads, deals lost at the
    // decision. Checked over 3 replications (fixed seeds):
    // - losses to capacity are zero or nearly: no contract or order waits past due, no
    //   client's call is returned late but one in ten thousand (measured: 1 of about
    //   54,000, when a call reaches a client's own manager deep in a long deal touch),
    //   no deal goes cold but a handful (under 1% of
    //   those opened); calls abandoned are under 1% of calls: on Monday at 09:00 every
    //   manager calls back the weekend's log while new calls ring (measured 0.4%);
    // - the causes no staffing removes make 98% or more of the leads lost.
    let text = format!(
        "{}\n[structures.one_level.roles.manager]\ncount = 60\n",
        common::scenario_text("default.toml")
    );
    let sc = common::parse(&text);
    for rep in 0..3 {
        let t = salesim::sim::run(&sc, 0, rep).total();
        assert!(
            t.lost_unanswered * 100 <= t.leads_phone,
            "rep {rep}: {}",
            t.lost_unanswered
        );
        assert!(
            t.lost_deal_cold * 100 <= t.qualified,
            "rep {rep}: {}",
            t.lost_deal_cold
        );
        assert!(
            t.client_calls_late * 10_000 <= t.client_calls,
            "rep {rep}: {} of {}",
            t.client_calls_late,
            t.client_calls
        );
        assert_eq!(
            (t.contracts_lost_late, t.orders_cancelled_late),
            (0, 0),
            "rep {rep}"
        );
        assert!(
            t.orders_lost_uncollected * 1000 <= t.collections_due,
            "rep {rep}"
        );
        let unavoidable =
            t.lost_after_hours + t.lost_not_reached + t.lost_late_response + t.lost_deal_lost;
        assert!(
            unavoidable as f64 >= 0.98 * t.lost_leads() as f64,
            "rep {rep}: {unavoidable} of {}",
            t.lost_leads()
        );
    }
}
