use salesim::{scenario::Scenario, sim};
fn main() {
    let sc = match std::env::args().nth(1) {
        Some(p) => Scenario::load(std::path::Path::new(&p)).unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(2)
        }),
        None => Scenario::default_scenario(),
    };
    for (i, s) in sc.structures.iter().enumerate() {
        let t0 = std::time::Instant::now();
        let r = sim::run(&sc, i, 0);
        let el = t0.elapsed();
        let t = r.total();
        println!("{:<13} {:>7.1}ms ev={} arrived={} won={} lost={} open={} unans={} notr={} late={} nont={} cold={} dlost={} rev={:.0} payroll={:.0} gp={:.0} sl={:.2} stl={:.1} act={} dorm={}",
          s.name, el.as_secs_f64()*1e3, r.events, t.leads_arrived(), t.deals_won, t.leads_lost(), r.open_leads, t.lost_unanswered, t.lost_not_reached, t.lost_late_response, t.lost_non_target, t.lost_deal_cold, t.lost_deal_lost, t.revenue(), t.payroll(), t.gross_profit(r.gross_margin), t.service_level(), t.speed_to_lead_mean_min(), t.clients_active, t.clients_dormant);
        for (n, rm) in r.role_names.iter().zip(&t.roles) {
            print!(
                "  {n}: util={:.2} sw={:.2}",
                rm.busy_ms as f64 / rm.paid_ms as f64,
                rm.switch_ms as f64 / rm.paid_ms as f64
            );
        }
        println!();
    }
}
