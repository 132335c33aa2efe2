//! The hot path allocates nothing per event, and memory follows the live leads, deals and
//! clients, not the horizon: checked by counting this thread's allocations while one
//! replication runs. (This file is its own test binary, so its counting allocator sees
//! only these tests; the counts are per thread, so tests running side by side do not mix.)

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use salesim::scenario::Scenario;
use salesim::sim::{self, MonthStats};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
    static LIVE: Cell<i64> = const { Cell::new(0) };
    static PEAK: Cell<i64> = const { Cell::new(0) };
}

fn grew(bytes: i64) {
    let _ = LIVE.try_with(|live| {
        let now = live.get() + bytes;
        live.set(now);
        let _ = PEAK.try_with(|p| p.set(p.get().max(now)));
    });
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        grew(layout.size() as i64);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        grew(-(layout.size() as i64));
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        grew(new_size as i64 - layout.size() as i64);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// What one replication cost in memory: allocations made, the peak of bytes held above
/// what was held at the start, and the events it ran.
struct Cost {
    allocations: u64,
    peak_bytes: i64,
    events: u64,
}

fn measure(sc: &Scenario, structure: usize) -> Cost {
    let start_allocations = ALLOCATIONS.with(Cell::get);
    let start_live = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(start_live));
    let r = sim::run(sc, structure, 0);
    let cost = Cost {
        allocations: ALLOCATIONS.with(Cell::get) - start_allocations,
        peak_bytes: PEAK.with(Cell::get) - start_live,
        events: r.events,
    };
    drop(r);
    cost
}

fn shipped(name: &str, months: u32) -> Scenario {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name);
    let text = std::fs::read_to_string(path).expect("shipped scenario");
    let line = text
        .lines()
        .find(|l| l.starts_with("horizon_months"))
        .expect("a horizon line");
    let text = text.replace(line, &format!("horizon_months = {months}"));
    Scenario::from_toml_str(&text).expect("valid")
}

/// Bytes one month of results holds (its counters, its speed-to-lead histogram and its
/// per-role rows), measured the same way.
fn month_bytes(roles: usize) -> i64 {
    let start = LIVE.with(Cell::get);
    let m = MonthStats::new(roles);
    let bytes = LIVE.with(Cell::get) - start + std::mem::size_of::<MonthStats>() as i64;
    drop(m);
    bytes
}

#[test]
fn the_pure_queue_allocates_nothing_per_event_and_holds_no_more_for_a_longer_horizon() {
    let one = shipped("erlang_a.toml", 1);
    let year = shipped("erlang_a.toml", 12);
    let a = measure(&one, 0);
    let b = measure(&year, 0);
    // A year runs about twelve times the events of a month (~160 thousand a month).
    assert!(
        b.events > 11 * a.events,
        "{} vs {} events",
        b.events,
        a.events
    );
    // Allocations come from setting up (the structure, the months' results) and from
    // the few containers that grow to their working size; none from events. Eleven more
    // months of results are allowed a handful each; a thousandth of an allocation per
    // extra event would already be ~1,800.
    let extra = b.allocations.saturating_sub(a.allocations);
    assert!(
        extra <= 11 * 8,
        "{extra} more allocations for {} more events ({} vs {})",
        b.events - a.events,
        b.allocations,
        a.allocations
    );
    // The peak grows by the eleven extra months of results (and the slack of the vector
    // holding them), not with the 1.8 million extra events or the leads they bring.
    let months = 11 * month_bytes(1);
    let grown = b.peak_bytes - a.peak_bytes;
    assert!(
        grown <= 2 * months,
        "peak {} vs {} bytes: {grown} more, eleven months of results being {months}",
        b.peak_bytes,
        a.peak_bytes
    );
}

#[test]
fn a_department_holds_its_live_clients_not_its_history() {
    // The default department (conveyor) over three years and over ten. The containers
    // reach their working size in the first year or so (the event queue's ring of day
    // buckets spans 512 days); after that, a month adds its results and nothing per event.
    // The client base keeps growing (clients are live records), so the peak may grow by
    // what the run itself reports as more live records, and by the months' results.
    let three = shipped("default.toml", 36);
    let ten = shipped("default.toml", 120);
    let s = three
        .structure_names()
        .iter()
        .position(|&n| n == "conveyor")
        .expect("preset");
    let roles = three.structures[s].roles.len();
    let a = measure(&three, s);
    let b = measure(&ten, s);
    assert!(
        b.events > 3 * a.events,
        "{} vs {} events",
        b.events,
        a.events
    );
    let months = 120 - 36;
    // A month's results take a handful of allocations, and tidying the idle lines one
    // now and then (~7 a month in all, measured); one allocation per thousand extra
    // events would be ~750.
    let extra = b.allocations.saturating_sub(a.allocations);
    assert!(
        extra <= 12 * months,
        "{extra} more allocations for {} more events ({} vs {})",
        b.events - a.events,
        b.allocations,
        a.allocations
    );
    let live = |sc: &Scenario| sim::run(sc, s, 0).peak_live_records as i64;
    let (live_a, live_b) = (live(&three), live(&ten));
    // The records' containers may scale with the live records, and a slab or queue that
    // grows doubles its capacity: from one run to the other, what the shorter run held
    // may double once and then follow the ratio of live records. History kept per event
    // (1.8 million more, at 8 bytes or more each) would be far beyond that.
    let follow = a.peak_bytes as f64 * (2.0 * live_b as f64 / live_a as f64 - 1.0);
    let allowed = (months as i64) * month_bytes(roles) + follow as i64;
    let grown = b.peak_bytes - a.peak_bytes;
    assert!(
        grown <= allowed,
        "peak {} vs {} bytes: {grown} more for {live_b} vs {live_a} live records, allowed {allowed}",
        b.peak_bytes,
        a.peak_bytes
    );
}
