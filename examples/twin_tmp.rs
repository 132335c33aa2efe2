use salesim::{scenario::Scenario, sim};
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let sc = Scenario::load(std::path::Path::new(&a[1])).unwrap();
    let s = sc
        .structure_names()
        .iter()
        .position(|&n| n == a[2])
        .unwrap();
    for (label, scn) in [
        ("base", sc.clone()),
        ("x10", sc.reference(s)),
        ("x20", {
            let mut t = sc.reference(s);
            for r in &mut t.structures[s].roles {
                for c in &mut r.count {
                    *c *= 2;
                }
            }
            t
        }),
    ] {
        let mut tot = sim::MonthStats::new(scn.structures[s].roles.len());
        for rep in 0..10 {
            let r = sim::run(&scn, s, rep);
            for m in &r.months {
                tot.accumulate(m);
            }
        }
        let d = 10.0;
        println!("{label}: unans {:.0} after_hrs {:.0} late {:.0} cold {:.0} contract_late {:.0} | nontarget {:.0} notreached {:.0} dlost {:.0} | won {:.0} inbound_lost {:.0} arrived {:.0}",
          tot.lost_unanswered as f64/d, tot.lost_after_hours as f64/d, tot.lost_late_response as f64/d, tot.lost_deal_cold as f64/d, tot.contracts_lost_late as f64/d,
          tot.lost_non_target as f64/d, tot.lost_not_reached as f64/d, tot.lost_deal_lost as f64/d, tot.deals_won as f64/d, tot.lost_inbound() as f64/d, tot.leads_inbound() as f64/d);
    }
}
