//! The shipped cases against their stories (DOMAIN.md): what each case's story says,
//! checked on common random numbers with the intervals the experiment itself gives.
//! Where the model does not reproduce a story, the test asserts what it does instead and
//! the README says why (the car dealer's reminders keep no client, the walk-outs).

mod common;

use common::scenario_text;
use salesim::experiment::{Difference, Summary, VariantResult};
use salesim::experiment::{Discard, Experiment, PointResult, Reference, Replications, Request};
use salesim::sim::Metric;

/// `reps` replications of `structures` on the scenario `text`, the first the baseline.
fn run(text: &str, structures: &[&str], reps: u64, reference: bool) -> PointResult {
    let request = Request {
        structures: Some(structures.iter().map(|s| s.to_string()).collect()),
        replications: Some(Replications::Fixed(reps)),
        baseline: Some(structures[0].to_string()),
        reference: reference.then_some(Reference::Unlimited),
        ..Request::default()
    };
    let exp = Experiment::new(text, &request).unwrap();
    let (acc, stop) = exp.run_point(0, None, &|_| {}, &mut Discard).unwrap();
    exp.result(0, &acc, stop)
}

fn variant<'a>(r: &'a PointResult, name: &str) -> &'a VariantResult {
    r.variants.iter().find(|v| v.name == name).unwrap()
}

/// The paired difference of `metric` (its column) between `name` and the baseline.
fn paired<'a>(r: &'a PointResult, name: &str, column: &str) -> &'a Difference {
    r.differences
        .iter()
        .find(|d| d.structure == name && d.metric == column)
        .unwrap_or_else(|| panic!("no difference {name} {column}"))
}

/// Month `m`'s statistics of `column`.
fn month<'a>(v: &'a VariantResult, column: &str, m: usize) -> &'a Summary {
    let i = v.metrics.iter().position(|c| c == column).unwrap();
    &v.monthly[m][i]
}

#[test]
fn cosmetics_one_assistant_per_three_managers_raises_selling_time_and_deals_won() {
    // S2, R8: the assistant takes the paperwork, and the managers sell more. Paired 95%
    // intervals on the same leads: both differences lie above zero.
    let r = run(
        &scenario_text("cosmetics_wholesale.toml"),
        &["one_level", "assistant"],
        40,
        false,
    );
    for column in ["time_manager_selling_share", Metric::DealsWon.name()] {
        let d = paired(&r, "assistant", column);
        assert!(
            d.paired.estimate - d.paired.half_width > 0.0,
            "{column}: {} ± {}",
            d.paired.estimate,
            d.paired.half_width
        );
    }
    // The managers' paperwork goes to the assistant, all of it.
    let with = variant(&r, "assistant");
    let i = with
        .metrics
        .iter()
        .position(|c| c == "time_manager_paperwork_share")
        .unwrap();
    assert_eq!(with.totals[i].mean, 0.0);
}

#[test]
fn roofing_one_level_meets_the_off_season_and_loses_the_season_a_seasonal_call_centre_cuts_it() {
    // DOMAIN.md's roofing case: five managers meet the plan off season and lose leads in
    // season; a call centre hired for the season (the conveyor's) cuts the peak's losses.
    // Capacity losses are against each structure's unlimited reference, by the month
    // the leads arrived; unpaired 95% intervals (conservative for a comparison of
    // months). The first year after the warm-up (months 12 to 23): a run cut after it
    // gives the same months as the whole horizon (nothing looks ahead).
    let r = run(
        &common::with_horizon(&scenario_text("roofing_seasonal.toml"), 24),
        &["one_level", "conveyor"],
        30,
        true,
    );
    let one = variant(&r, "one_level");
    let conveyor = variant(&r, "conveyor");
    let share = Metric::CapacityLossShare.name();
    let open = Metric::ServiceLevelOpen.name();
    for m in 12..14 {
        // January and February: a tenth or so of what unlimited staff would sell is
        // lost (measured 11-19%), and about half or more of the working-hours calls are
        // answered in time (measured 54-65%: less than the first year's 70%, whose
        // winter had no deals of the season before to carry).
        let s = month(one, share, m);
        assert!(s.mean + s.ci95_half < 0.25, "month {m}: {}", s.mean);
        let sl = month(one, open, m);
        assert!(sl.mean - sl.ci95_half > 0.45, "month {m}: {}", sl.mean);
    }
    for m in 16..20 {
        // May to August: one-level loses half or more of what unlimited staff would
        // sell; the conveyor, with its seasonal call centre, under a quarter.
        let (a, b) = (month(one, share, m), month(conveyor, share, m));
        assert!(a.mean - a.ci95_half > 0.45, "month {m}: {}", a.mean);
        assert!(b.mean + b.ci95_half < 0.25, "month {m}: {}", b.mean);
        let (la, lb) = (
            month(one, Metric::CapacityLoss.name(), m),
            month(conveyor, Metric::CapacityLoss.name(), m),
        );
        assert!(la.mean - la.ci95_half > lb.mean + lb.ci95_half);
    }
}

#[test]
fn default_assistants_free_managers_time_for_selling() {
    // DOMAIN.md's claim, checked on the time it is about: the managers' share of paid
    // hours spent selling, paired on the same leads.
    let r = run(
        &scenario_text("default.toml"),
        &["one_level", "assistant"],
        20,
        false,
    );
    let d = paired(&r, "assistant", "time_manager_selling_share");
    assert!(
        d.paired.estimate - d.paired.half_width > 0.05,
        "{} ± {}",
        d.paired.estimate,
        d.paired.half_width
    );
}

/// The mean of `column` over the counted months, with its 95% half-width.
fn total<'a>(v: &'a VariantResult, column: &str) -> &'a Summary {
    let i = v
        .metrics
        .iter()
        .position(|c| c == column)
        .unwrap_or_else(|| panic!("no column {column}"));
    &v.totals[i]
}

/// Asserts that the paired difference of `column` (`name` minus the baseline) is above
/// zero (`up`) or below it, with 95% confidence.
fn surely(r: &PointResult, name: &str, column: &str, up: bool) {
    let d = paired(r, name, column);
    let (e, h) = (d.paired.estimate, d.paired.half_width);
    if up {
        assert!(e - h > 0.0, "{name} {column}: {e} ± {h}");
    } else {
        assert!(e + h < 0.0, "{name} {column}: {e} ± {h}");
    }
}

#[test]
fn retail_one_qualifier_keeps_three_closers_busy_and_assistants_raise_sales() {
    // DOMAIN.md's retail case: one qualifier fed three closers, then an assistant per
    // closer took the calculations, and sales grew again. The first counted year (a run
    // cut after it: months 12-23); 30 replications, 95% intervals.
    let text = common::with_horizon(&scenario_text("retail_equipment.toml"), 24);
    let r = run(&text, &["one_level", "lead_chopper"], 30, false);
    // The qualifier keeps three closers busy: about 70% of their working time (measured
    // 71% over two years), and the department earns more than four universal managers.
    let closers = total(variant(&r, "lead_chopper"), "utilisation_closer_share");
    assert!(
        closers.mean - closers.ci95_half > 0.6,
        "closers busy {} ± {}",
        closers.mean,
        closers.ci95_half
    );
    surely(&r, "lead_chopper", "gross_profit_usd", true);
    // An assistant per closer who prepares the quotes: more deals and more new revenue
    // on the same leads (measured +5% and +5%).
    let r = run(&text, &["lead_chopper", "lead_chopper_assisted"], 30, false);
    surely(&r, "lead_chopper_assisted", Metric::DealsWon.name(), true);
    surely(&r, "lead_chopper_assisted", "revenue_new_usd", true);
}

#[test]
fn property_launch_bursts_go_unanswered_and_operators_fix_them() {
    // DOMAIN.md's property case: "nobody picks up the phone" in the launch months (March
    // and September: 2.5 times the base), and operators booking viewings fix it. The
    // first counted year (months 12-23 of a run cut after it), unpaired 95% intervals.
    let text = common::with_horizon(&scenario_text("property_developer.toml"), 24);
    let r = run(&text, &["one_level", "conveyor"], 30, false);
    let (one, conveyor) = (variant(&r, "one_level"), variant(&r, "conveyor"));
    let share = Metric::LostUnansweredShare.name();
    let july = month(one, share, 18).mean;
    for m in [14, 20] {
        // Three managers lose a fifth or more of the launch's calls unanswered (measured
        // 24%), over twice July's share; two operators lose under 5% (measured 3%).
        let (a, b) = (month(one, share, m), month(conveyor, share, m));
        assert!(a.mean - a.ci95_half > 0.15, "month {m}: {}", a.mean);
        assert!(a.mean > 2.0 * july, "month {m}: {} vs July {july}", a.mean);
        assert!(b.mean + b.ci95_half < 0.05, "month {m}: {}", b.mean);
    }
}

#[test]
fn car_dealer_reminders_grow_orders_and_a_short_service_team_loses_clients() {
    // DOMAIN.md's car dealer: the service manager keeps the client with maintenance
    // reminders. On paired replications of the first counted year (95% intervals):
    let text = common::with_horizon(&scenario_text("car_dealer.toml"), 24);
    // - the reminders grow the clients' orders (a care contact may grow a client's
    //   orders, T7: measured +5% repeat revenue), but they keep no client the model would
    //   lose without them: with no care cadence no client counts as neglected, so the
    //   lapses are the same (the README says why);
    let r = run(&text, &["conveyor_no_reminders", "conveyor"], 30, false);
    surely(&r, "conveyor", "revenue_repeat_usd", true);
    let lapsed = paired(&r, "conveyor", Metric::ClientsLapsed.name());
    assert!(
        lapsed.paired.estimate.abs() <= lapsed.paired.half_width,
        "lapsed: {} ± {}",
        lapsed.paired.estimate,
        lapsed.paired.half_width
    );
    // - one service manager for the reminders of two falls behind, and the base shrinks:
    //   fewer active clients and less repeat revenue (measured 1,557 against 1,955
    //   clients at the end of the third year).
    let r = run(
        &text,
        &["conveyor", "conveyor_one_service_manager"],
        30,
        false,
    );
    for column in [Metric::ClientsActiveEnd.name(), "revenue_repeat_usd"] {
        surely(&r, "conveyor_one_service_manager", column, false);
    }
}

#[test]
fn walk_outs_follow_the_share_a_role_takes_not_the_structure() {
    // DOMAIN.md: a leaving manager who owned the whole relationship can take clients.
    // The research note gives attrition (R4: about 25% a year) but no share of clients
    // who leave with a person, so every role gets the same share (0.3) here: with it,
    // one-level and the conveyor lose about as many clients with their leavers (measured
    // 253 and 247 over the two counted years, 200 replications). Each person holds their share of the base and leaves
    // at the same rate, whoever they are: the structure alone does not make one-level's
    // walk-outs larger. A leaver takes a lump of clients (one-level's about 75, the
    // conveyor's farmers about 225), so the counts swing widely between replications:
    // 200 replications of the whole horizon put the paired 95% interval of the
    // difference within 30% of one-level's count (measured -5 ± 32: 13%).
    let text = scenario_text("default.toml")
        .replace("annual_attrition = 0 ", "annual_attrition = 0.25 ")
        .replace("takes_clients_share = 0.1 ", "takes_clients_share = 0.3 ");
    let r = run(&text, &["one_level", "conveyor"], 200, false);
    let column = Metric::ClientsLeftWithOwner.name();
    let base = total(variant(&r, "one_level"), column).mean;
    assert!(base > 50.0, "one-level's leavers take {base} clients");
    let d = paired(&r, "conveyor", column);
    let (e, h) = (d.paired.estimate, d.paired.half_width);
    assert!(
        e - h > -0.3 * base && e + h < 0.3 * base,
        "conveyor minus one-level: {e} ± {h} against {base}"
    );
}
