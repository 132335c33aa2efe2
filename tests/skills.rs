//! Hand-offs and skills act by their definitions: a hand-off's time is the giver's, its
//! win factor multiplies the receiver's win probability, a role's win and expansion
//! skills multiply theirs. On fixed draws, each is checked against the same probability
//! reached another way, which must give identical results.

mod common;

use common::{fixture, fixture_text, parse, scenario_text};
use salesim::engine::Time;
use salesim::scenario::Scenario;
use salesim::sim::{MonthStats, Simulation};

fn index(sc: &Scenario, name: &str) -> usize {
    sc.structures.iter().position(|s| s.name == name).unwrap()
}

/// `text` with `line` first in its table `[header]` (added at the end when absent), and
/// no other line setting the same key in that table.
fn set_in(text: &str, header: &str, line: &str) -> String {
    let head = format!("[{header}]\n");
    let key = line.split('=').next().unwrap().trim();
    match text.find(&head) {
        Some(i) => {
            let body = i + head.len();
            let end = text[body..]
                .find("\n[")
                .map_or(text.len(), |j| body + j + 1);
            let kept: String = text[body..end]
                .lines()
                .filter(|l| l.split('=').next().unwrap().trim() != key)
                .map(|l| format!("{l}\n"))
                .collect();
            format!("{}{head}{line}\n{kept}{}", &text[..i], &text[end..])
        }
        None => format!("{text}\n{head}{line}\n"),
    }
}

fn total(text: &str, structure: &str) -> MonthStats {
    let sc = parse(text);
    salesim::sim::run(&sc, index(&sc, structure), 3).total()
}

/// The default scenario without cold calling (cold deals are nobody's hand-off), with
/// the segments' win probabilities multiplied by `k`.
fn default_with_win(k: f64) -> String {
    let mut text =
        scenario_text("default.toml").replace("dials_per_hour = 5.6 ", "dials_per_hour = 0 ");
    for p in ["0.30", "0.25"] {
        let from = format!("win_probability = {p} ");
        let x: f64 = p.parse().unwrap();
        text = text.replace(&from, &format!("win_probability = {} ", x * k));
    }
    text
}

#[test]
fn a_hand_off_win_factor_is_a_lower_win_probability_for_handed_off_deals() {
    // In the lead-chopper every inbound deal is handed from a qualifier to a closer, so a
    // factor of 0.5 on the hand-off is the same as halving every segment's win
    // probability: byte-identical totals.
    let lossy = set_in(
        &default_with_win(1.0),
        "structures.lead_chopper",
        "handoff_win_factor = 0.5",
    );
    let halved = set_in(
        &default_with_win(0.5),
        "structures.lead_chopper",
        "handoff_win_factor = 1.0",
    );
    let (a, b) = (
        total(&lossy, "lead_chopper"),
        total(&halved, "lead_chopper"),
    );
    assert_eq!(a, b);
    assert!(a.deals_won > 0);
    // In one-level nobody hands a lead off: the factor changes nothing.
    let one = set_in(
        &default_with_win(1.0),
        "structures.one_level",
        "handoff_win_factor = 0.5",
    );
    assert_eq!(
        total(&one, "one_level"),
        total(&default_with_win(1.0), "one_level")
    );
    // And it lowers what the lead-chopper wins.
    let whole = set_in(
        &default_with_win(1.0),
        "structures.lead_chopper",
        "handoff_win_factor = 1.0",
    );
    assert!(a.deals_won < total(&whole, "lead_chopper").deals_won);
}

#[test]
fn a_role_win_skill_multiplies_the_win_probability() {
    // Closers twice as good at closing, on half the win probability: identical.
    let skilled = set_in(
        &default_with_win(0.5),
        "structures.lead_chopper.roles.closer",
        "win = 2.0",
    );
    let plain = set_in(
        &default_with_win(1.0),
        "structures.lead_chopper.roles.closer",
        "win = 1.0",
    );
    assert_eq!(
        total(&skilled, "lead_chopper"),
        total(&plain, "lead_chopper")
    );
}

#[test]
fn an_expansion_skill_multiplies_the_chance_a_care_contact_grows_a_client() {
    let base = scenario_text("default.toml");
    let doubled = base.replace(
        "expansion_probability = 0.05 ",
        "expansion_probability = 0.1 ",
    );
    assert_ne!(doubled, base);
    let skilled = set_in(
        &base,
        "structures.two_level.roles.farmer",
        "expansion = 2.0",
    );
    let plain = set_in(
        &doubled,
        "structures.two_level.roles.farmer",
        "expansion = 1.0",
    );
    let (a, b) = (total(&skilled, "two_level"), total(&plain, "two_level"));
    assert_eq!(a, b);
    let once = set_in(
        &base,
        "structures.two_level.roles.farmer",
        "expansion = 1.0",
    );
    assert!(a.revenue_repeat > total(&once, "two_level").revenue_repeat);
}

#[test]
fn a_hand_off_takes_the_givers_time() {
    // One qualifier and one closer; the qualifier's 6-minute call with a target lead
    // ends 5 minutes later with a hand-off of 5 minutes.
    let sc = fixture(
        "hours.toml",
        &[
            ("target_share = 0.0", "target_share = 1.0"),
            (
                "deal_owner = \"manager\"",
                "deal_owner = \"closer\"\nhandoff_minutes = 5",
            ),
            ("client_owner = \"manager\"", "client_owner = \"closer\""),
            (
                "works = [\"inbound_call\", \"lead_call\", \"deal_touch\", \"contract\", \"order_entry\", \"care\", \"reactivation\"]",
                "works = [\"inbound_call\", \"lead_call\"]\nsalary_per_month = 100\n\n[structures.desk.roles.closer]\ncount = 1\nworks = [\"deal_touch\", \"contract\", \"order_entry\", \"care\", \"reactivation\"]",
            ),
        ],
    );
    let at = Time::at_day(0) + Time::from_hours(10.0);
    let (r, trace) = Simulation::new(&sc, 0, 0)
        .with_arrivals(vec![at])
        .run_traced();
    assert!(
        trace.contains(&"day 0 10:11:00.000 WorkFinished { employee: 0, task: 1 }".to_string()),
        "{trace:#?}"
    );
    let t = r.total();
    assert_eq!(Time(t.roles[0].busy_ms), Time::from_minutes(11.0));
    assert_eq!(t.qualified, 1);
}

#[test]
fn an_assistant_prepares_half_of_each_touch_and_the_owner_sells_the_rest() {
    // One manager and one assistant who does preparation. A lead calls at 10:00: the
    // manager qualifies it (6 minutes, to 10:06); its one 60-minute touch is half
    // preparation: the assistant prepares from 10:06 to 10:36, the manager sells from
    // 10:36 to 11:06, then draws up the contract (10 minutes, to 11:16). Without the
    // assistant the manager does the whole touch, 10:06 to 11:06: the deal ends at the
    // same time, and the manager has 30 minutes more of it.
    let fixture = |assistant: bool| {
        let mut text = fixture_text(
            "hours.toml",
            &[
                ("target_share = 0.0", "target_share = 1.0"),
                ("touch_minutes = 60", "touch_minutes = 60\nprep_share = 0.5"),
            ],
        );
        if assistant {
            text.push_str("\n[structures.desk.roles.assistant]\ncount = 1\nworks = [\"preparation\"]\nsalary_per_month = 50\n");
        }
        parse(&text)
    };
    let at = Time::at_day(0) + Time::from_hours(10.0);
    let ends = |sc: &Scenario| {
        let (r, trace) = Simulation::new(sc, 0, 0)
            .with_arrivals(vec![at])
            .run_traced();
        let ends: Vec<String> = trace
            .iter()
            .filter(|l| l.starts_with("day 0 ") && l.contains("WorkFinished"))
            .map(|l| format!("{} {}", &l[6..11], &l[l.find("employee").unwrap()..]))
            .collect();
        (ends, r.total())
    };
    let (with, t) = ends(&fixture(true));
    assert_eq!(
        with,
        vec![
            "10:06 employee: 0, task: 1 }",
            "10:36 employee: 1, task: 1 }",
            "11:06 employee: 0, task: 2 }",
            "11:16 employee: 0, task: 3 }",
        ]
    );
    assert_eq!(
        Time(t.roles[0].busy_ms),
        Time::from_minutes(6.0 + 30.0 + 10.0)
    );
    assert_eq!(Time(t.roles[1].busy_ms), Time::from_minutes(30.0));
    let (alone, t) = ends(&fixture(false));
    assert_eq!(
        alone,
        vec![
            "10:06 employee: 0, task: 1 }",
            "11:06 employee: 0, task: 2 }",
            "11:16 employee: 0, task: 3 }",
        ]
    );
    assert_eq!(
        Time(t.roles[0].busy_ms),
        Time::from_minutes(6.0 + 60.0 + 10.0)
    );
}
