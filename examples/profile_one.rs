//! Runs replications of one scenario and structure in a loop, for profilers:
//! `cargo run --release --example profile_one -- FILE STRUCTURE REPS`.
use salesim::{scenario::Scenario, sim};
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let sc = Scenario::load(std::path::Path::new(&a[1])).expect("scenario");
    let s = sc
        .structure_names()
        .iter()
        .position(|&n| n == a[2])
        .expect("structure");
    let reps: u64 = a[3].parse().expect("reps");
    let mut events = 0;
    for r in 0..reps {
        events += sim::run(&sc, s, r).events;
    }
    println!("{events} events");
}
