//! "What the numbers say": plain sentences built from the results, each carrying the
//! interval that backs it. Nothing here is decided in advance: who ranks first, which
//! month is busiest and whether a difference is real all come from the numbers.

use crate::report::chart::month_label;
use crate::report::format::{money, percent1, with_half};
use crate::report::results::{Results, Stat};
use crate::sim::Metric;

use super::tables::by_profit;

/// `31.4% ± 1.9%`
fn share(s: Stat) -> String {
    with_half(s.mean, s.half, percent1)
}

/// `2 497 455 ± 27 087`
fn amount(s: Stat) -> String {
    with_half(s.mean, s.half, money)
}

/// The sentences for point `p`, most important first.
pub fn sentences(r: &Results, p: usize) -> Vec<String> {
    let mut out = vec![];
    let order = by_profit(r, p);
    let name = |v: usize| r.exp.variants[v].name.as_str();
    let c = r.exp.currency.to_uppercase();
    let counted = &r.exp.months[r.exp.counted()];
    let span = match (counted.first(), counted.last()) {
        (Some(a), Some(b)) if counted.len() < r.exp.months.len() => {
            format!("the {} months from {a} to {b}", counted.len())
        }
        _ => format!("{} months", counted.len()),
    };
    if let Some(s) = r.total(p, order[0], Metric::GrossProfit) {
        let mut line = format!(
            "Over {span}, {} earns the most gross profit: {} {c}",
            name(order[0]),
            amount(s)
        );
        if let (Some(&last), true) = (order.last(), order.len() > 1) {
            if let Some(w) = r.total(p, last, Metric::GrossProfit) {
                line += &format!("; {} the least: {} {c}", name(last), amount(w));
            }
        }
        out.push(line + ".");
    }
    out.extend(capacity(r, p));
    out.extend(versus_baseline(r, p, &c));
    out.extend(busiest_month(r, p));
    out.extend(spread(
        r,
        p,
        Metric::LostLeadsShare,
        "of arriving leads are lost in ways staff could prevent",
        "loses the fewest",
    ));
    out.extend(spread(
        r,
        p,
        Metric::ServiceLevelOpen,
        "of calls in working hours are answered in time",
        "answers the most in time",
    ));
    for claim in r.claims.iter().filter(|x| x.point == p) {
        let ratio = if claim.ratio.is_finite() {
            format!(
                " (ratio {:.3}, 95% CI {:.3} to {:.3})",
                claim.ratio, claim.ratio_low, claim.ratio_high
            )
        } else {
            String::new()
        };
        let source = if claim.source.is_empty() {
            String::new()
        } else {
            format!("“{}”: ", claim.source)
        };
        out.push(format!(
            "Claim {source}{} is {}{ratio}.",
            claim.claim, claim.verdict
        ));
    }
    out.extend(selling_time(r, p));
    out.extend(biggest_backlog(r, p, &c));
    out.extend(walkouts(r, p, &c));
    out.extend(precision(r, p));
    out
}

/// The largest backlog of desk work left at the end of the horizon, if a structure
/// leaves at least one item of a kind waiting on average.
fn biggest_backlog(r: &Results, p: usize, c: &str) -> Option<String> {
    use Metric as M;
    let kinds = [
        (
            M::BacklogContract,
            M::BacklogContractOldest,
            Some(M::BacklogContractRevenue),
            "contracts to draw up",
        ),
        (
            M::BacklogOrderEntry,
            M::BacklogOrderEntryOldest,
            Some(M::BacklogOrderEntryRevenue),
            "orders to enter",
        ),
        (
            M::BacklogCollection,
            M::BacklogCollectionOldest,
            Some(M::BacklogCollectionRevenue),
            "collection calls to make",
        ),
        (
            M::BacklogClientCall,
            M::BacklogClientCallOldest,
            None,
            "clients' calls to answer",
        ),
        (
            M::BacklogCare,
            M::BacklogCareOldest,
            None,
            "care contacts due",
        ),
        (
            M::BacklogReactivation,
            M::BacklogReactivationOldest,
            None,
            "reactivation calls due",
        ),
    ];
    let mut best: Option<(f64, String)> = None;
    for v in 0..r.exp.variants.len() {
        for (count, oldest, revenue, what) in kinds {
            let Some(n) = r.total(p, v, count) else {
                continue;
            };
            if n.mean < 1.0 || best.as_ref().is_some_and(|b| b.0 >= n.mean) {
                continue;
            }
            let age = r.total(p, v, oldest).map_or(0.0, |s| s.mean);
            let stake = revenue
                .and_then(|m| r.total(p, v, m))
                .filter(|s| s.mean > 0.0)
                .map(|s| format!(", {} {c} of revenue waiting on them", money(s.mean)))
                .unwrap_or_default();
            let line = format!(
                "The biggest backlog at the end of the horizon is {}'s {what}: {} waiting, the oldest {age:.1} days old{stake}.",
                r.exp.variants[v].name,
                with_half(n.mean, n.half, |x| format!("{x:.1}")),
            );
            best = Some((n.mean, line));
        }
    }
    best.map(|b| b.1)
}

/// With turnover: the clients and revenue that leave with departing people, in a mean
/// and in a bad year (the 95th percentile of replications).
fn walkouts(r: &Results, p: usize, c: &str) -> Vec<String> {
    let mut rows: Vec<(usize, Stat, Stat)> = (0..r.exp.variants.len())
        .filter_map(|v| {
            Some((
                v,
                r.total(p, v, Metric::ClientsLeftWithOwner)?,
                r.total(p, v, Metric::RevenueLeftWithOwner)?,
            ))
        })
        .collect();
    rows.sort_by(|a, b| b.2.mean.total_cmp(&a.2.mean).then(a.0.cmp(&b.0)));
    rows.iter()
        .map(|(v, clients, revenue)| {
            format!(
                "When people leave, {} loses {} clients with them on average ({} in a bad year, the 95th percentile), and with them {} {c} of expected orders ({} in a bad year).",
                r.exp.variants[*v].name,
                money(clients.mean),
                money(clients.p95),
                money(revenue.mean),
                money(revenue.p95)
            )
        })
        .collect()
}

/// Each structure against the baseline on the same leads.
fn versus_baseline(r: &Results, p: usize, c: &str) -> Vec<String> {
    let base = r.exp.baseline;
    let base_name = &r.exp.variants[base].name;
    let mut out = vec![];
    for v in 0..r.exp.variants.len() {
        if v == base {
            continue;
        }
        let Some(d) = r.diff(p, v, Metric::GrossProfit) else {
            continue;
        };
        let verdict = if d.mean - d.half > 0.0 {
            "more: a real difference at 95% confidence"
        } else if d.mean + d.half < 0.0 {
            "less: a real difference at 95% confidence"
        } else {
            "a difference the replications cannot tell from zero"
        };
        let sign = if d.mean > 0.0 { "+" } else { "" };
        out.push(format!(
            "On the same leads, {} makes {sign}{} ± {} {c} of gross profit against {base_name}, {verdict}.",
            r.exp.variants[v].name,
            money(d.mean),
            money(d.half)
        ));
    }
    out
}

/// Who loses how many calls in the month with the most inbound leads.
fn busiest_month(r: &Results, p: usize) -> Option<String> {
    let base = r.exp.baseline;
    let phone = r.monthly(p, base, Metric::LeadsPhone)?;
    let web = r.monthly(p, base, Metric::LeadsWeb)?;
    let inbound: Vec<f64> = phone
        .iter()
        .zip(web)
        .map(|(a, b)| a.mean + b.mean)
        .collect();
    // Among the counted months: the warm-up's are left out as the totals leave them.
    let (m, &top) = inbound
        .iter()
        .enumerate()
        .skip(r.exp.counted().start)
        .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)))?;
    let mut lost: Vec<(usize, Stat)> = (0..r.exp.variants.len())
        .filter_map(|v| Some((v, r.monthly(p, v, Metric::LostUnansweredShare)?[m])))
        .filter(|(_, s)| s.mean.is_finite())
        .collect();
    if lost.is_empty() {
        return None;
    }
    lost.sort_by(|a, b| b.1.mean.total_cmp(&a.1.mean).then(a.0.cmp(&b.0)));
    let parts: Vec<String> = lost
        .iter()
        .map(|(v, s)| format!("{} {}", r.exp.variants[*v].name, share(*s)))
        .collect();
    Some(format!(
        "In {}, the busiest month ({} inbound leads), the share of phone leads lost unanswered is: {}.",
        if r.exp.months.len() > 12 {
            r.exp.months[m].clone()
        } else {
            month_label(&r.exp.months, m)
        },
        money(top),
        parts.join("; ")
    ))
}

/// The range of a share across structures.
fn spread(r: &Results, p: usize, metric: Metric, what: &str, best_word: &str) -> Option<String> {
    let mut v: Vec<(usize, Stat)> = (0..r.exp.variants.len())
        .filter_map(|i| Some((i, r.total(p, i, metric)?)))
        .filter(|(_, s)| s.mean.is_finite())
        .collect();
    if v.len() < 2 {
        return None;
    }
    v.sort_by(|a, b| a.1.mean.total_cmp(&b.1.mean).then(a.0.cmp(&b.0)));
    let lowest_is_best = metric.name().starts_with("lost");
    let (best, worst) = if lowest_is_best {
        (v[0], v[v.len() - 1])
    } else {
        (v[v.len() - 1], v[0])
    };
    Some(format!(
        "Over the counted months, {} {best_word}: {} {what}; {}: {}.",
        r.exp.variants[best.0].name,
        share(best.1),
        r.exp.variants[worst.0].name,
        share(worst.1)
    ))
}

/// The leads each structure loses for want of staff, against its unlimited reference:
/// the most and the fewest.
fn capacity(r: &Results, p: usize) -> Option<String> {
    let mut v: Vec<(usize, Stat, Option<Stat>)> = (0..r.exp.variants.len())
        .filter_map(|i| {
            let s = r.total(p, i, Metric::CapacityLoss)?;
            Some((i, s, r.total(p, i, Metric::CapacityLossShare)))
        })
        .filter(|(_, s, _)| s.mean.is_finite())
        .collect();
    v.sort_by(|a, b| a.1.mean.total_cmp(&b.1.mean).then(a.0.cmp(&b.0)));
    let (first, last) = (v.first()?, v.last()?);
    let one = |(i, s, per): &(usize, Stat, Option<Stat>)| {
        let per = per
            .filter(|x| x.mean.is_finite())
            .map(|x| format!(" ({} of the deals it would keep)", share(x)))
            .unwrap_or_default();
        format!(
            "{} loses {} leads{per}",
            r.exp.variants[*i].name,
            with_half(s.mean, s.half, money)
        )
    };
    let mut line = format!(
        "For want of staff (beyond the same structure with unlimited staff on the same leads), {}",
        one(last)
    );
    if v.len() > 1 {
        line += &format!("; {}", one(first));
    }
    Some(line + ".")
}

/// For each role held in more than one structure, where it spends the most and the
/// least of its paid hours selling (`assistant · manager` 38.9% against 31.0%).
fn selling_time(r: &Results, p: usize) -> Vec<String> {
    use crate::report::chart::time;
    let mut roles: Vec<String> = vec![];
    for v in 0..r.exp.variants.len() {
        for role in time::roles(r, v) {
            if !roles.contains(&role) {
                roles.push(role);
            }
        }
    }
    let mut out = vec![];
    for role in roles {
        let name = time::column(&role, "selling");
        let mut v: Vec<(usize, Stat)> = (0..r.exp.variants.len())
            .filter_map(|i| Some((i, r.total_named(p, i, &name)?)))
            .filter(|(_, s)| s.mean.is_finite())
            .collect();
        if v.len() < 2 {
            continue;
        }
        v.sort_by(|a, b| b.1.mean.total_cmp(&a.1.mean).then(a.0.cmp(&b.0)));
        let (most, least) = (v[0], v[v.len() - 1]);
        if most.1.mean <= 0.0 {
            continue;
        }
        out.push(format!(
            "A {role} spends {} of paid hours selling in {}, {} in {}.",
            share(most.1),
            r.exp.variants[most.0].name,
            share(least.1),
            r.exp.variants[least.0].name
        ));
    }
    out
}

/// How precise the totals are.
fn precision(r: &Results, p: usize) -> Option<String> {
    let worst = (0..r.exp.variants.len())
        .filter_map(|v| r.total(p, v, Metric::GrossProfit))
        .map(|s| (s.half / s.mean.abs()).abs())
        .filter(|x| x.is_finite())
        .fold(f64::NAN, f64::max);
    if !worst.is_finite() {
        return None;
    }
    Some(format!(
        "With {} replications per structure, the 95% interval of every structure's gross profit is within ±{:.2}% of its mean.",
        r.manifest.points[p].replications,
        worst * 100.0
    ))
}
