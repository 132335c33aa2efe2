//! "What the numbers say": plain sentences built from the results, each carrying the
//! interval that backs it. Nothing here is decided in advance: who ranks first, which
//! month is busiest and whether a difference is real all come from the numbers.

use crate::report::chart::month_label;
use crate::report::format::with_half;
use crate::report::lang::Words;
use crate::report::results::{Results, Stat};
use crate::sim::Metric;

use super::tables::by_profit;

/// `31.4% ± 1.9%`
fn share(w: &Words, s: Stat) -> String {
    with_half(s.mean, s.half, |x| w.percent1(x))
}

/// `2 497 455 ± 27 087`
fn amount(w: &Words, s: Stat) -> String {
    with_half(s.mean, s.half, |x| w.money(x))
}

/// The label of variant `v` in the results' language.
fn name(r: &Results, v: usize) -> &str {
    r.words.label("structure", &r.exp.variants[v].name)
}

/// The sentences for point `p`, most important first.
pub fn sentences(r: &Results, p: usize) -> Vec<String> {
    let w = r.words;
    let mut out = vec![];
    let order = by_profit(r, p);
    let c = r.exp.currency.to_uppercase();
    let counted = &r.exp.months[r.exp.counted()];
    let span = match (counted.first(), counted.last()) {
        (Some(a), Some(b)) if counted.len() < r.exp.months.len() => w.n(
            "reading.span_from",
            counted.len() as u64,
            &[("from", a), ("to", b)],
        ),
        _ => w.n("reading.span", counted.len() as u64, &[]),
    };
    if let Some(s) = r.total(p, order[0], Metric::GrossProfit) {
        let mut line = w.f(
            "reading.most_profit",
            &[
                ("span", &span),
                ("name", &name(r, order[0])),
                ("amount", &amount(w, s)),
                ("c", &c),
            ],
        );
        if let (Some(&last), true) = (order.last(), order.len() > 1) {
            if let Some(x) = r.total(p, last, Metric::GrossProfit) {
                line += &w.f(
                    "reading.least_profit",
                    &[
                        ("name", &name(r, last)),
                        ("amount", &amount(w, x)),
                        ("c", &c),
                    ],
                );
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
        "reading.lost_share",
        "reading.loses_fewest",
    ));
    out.extend(spread(
        r,
        p,
        Metric::ServiceLevelOpen,
        "reading.service_share",
        "reading.answers_most",
    ));
    for claim in r.claims.iter().filter(|x| x.point == p) {
        let ratio = if claim.ratio.is_finite() {
            w.f(
                "reading.claim_ratio",
                &[
                    ("ratio", &w.decimal(claim.ratio, 3)),
                    ("low", &w.decimal(claim.ratio_low, 3)),
                    ("high", &w.decimal(claim.ratio_high, 3)),
                ],
            )
        } else {
            String::new()
        };
        let source = if claim.source.is_empty() {
            String::new()
        } else {
            format!("“{}”: ", claim.source)
        };
        out.push(w.f(
            "reading.claim",
            &[
                ("source", &source),
                ("claim", &claim.claim),
                ("verdict", &w.t(&format!("verdict.{}", claim.verdict))),
                ("ratio", &ratio),
            ],
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
    let w = r.words;
    let kinds = [
        (
            M::BacklogContract,
            M::BacklogContractOldest,
            Some(M::BacklogContractRevenue),
            "backlog.contract",
        ),
        (
            M::BacklogOrderEntry,
            M::BacklogOrderEntryOldest,
            Some(M::BacklogOrderEntryRevenue),
            "backlog.order_entry",
        ),
        (
            M::BacklogCollection,
            M::BacklogCollectionOldest,
            Some(M::BacklogCollectionRevenue),
            "backlog.collection",
        ),
        (
            M::BacklogClientCall,
            M::BacklogClientCallOldest,
            None,
            "backlog.client_call",
        ),
        (M::BacklogCare, M::BacklogCareOldest, None, "backlog.care"),
        (
            M::BacklogReactivation,
            M::BacklogReactivationOldest,
            None,
            "backlog.reactivation",
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
                .map(|s| {
                    w.f(
                        "reading.backlog_stake",
                        &[("amount", &w.money(s.mean)), ("c", &c)],
                    )
                })
                .unwrap_or_default();
            let line = w.f(
                "reading.backlog",
                &[
                    ("name", &name(r, v)),
                    ("what", &w.t(what)),
                    ("count", &with_half(n.mean, n.half, |x| w.decimal(x, 1))),
                    ("age", &w.decimal(age, 1)),
                    ("stake", &stake),
                ],
            );
            best = Some((n.mean, line));
        }
    }
    best.map(|b| b.1)
}

/// With turnover: the clients and revenue that leave with departing people, in a mean
/// and in a bad year (the 95th percentile of replications).
fn walkouts(r: &Results, p: usize, c: &str) -> Vec<String> {
    let w = r.words;
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
            w.f(
                "reading.walkouts",
                &[
                    ("name", &name(r, *v)),
                    ("clients", &w.money(clients.mean)),
                    ("clients_p95", &w.money(clients.p95)),
                    ("revenue", &w.money(revenue.mean)),
                    ("revenue_p95", &w.money(revenue.p95)),
                    ("c", &c),
                ],
            )
        })
        .collect()
}

/// Each structure against the baseline on the same leads.
fn versus_baseline(r: &Results, p: usize, c: &str) -> Vec<String> {
    let w = r.words;
    let base = r.exp.baseline;
    let base_name = name(r, base);
    let mut out = vec![];
    for v in 0..r.exp.variants.len() {
        if v == base {
            continue;
        }
        let Some(d) = r.diff(p, v, Metric::GrossProfit) else {
            continue;
        };
        let verdict = if d.mean - d.half > 0.0 {
            "reading.real_more"
        } else if d.mean + d.half < 0.0 {
            "reading.real_less"
        } else {
            "reading.not_real"
        };
        let sign = if d.mean > 0.0 { "+" } else { "" };
        out.push(w.f(
            "reading.versus",
            &[
                ("name", &name(r, v)),
                (
                    "amount",
                    &format!("{sign}{} ± {}", w.money(d.mean), w.money(d.half)),
                ),
                ("c", &c),
                ("base", &base_name),
                ("verdict", &w.t(verdict)),
            ],
        ));
    }
    out
}

/// Who loses how many calls in the month with the most inbound leads.
fn busiest_month(r: &Results, p: usize) -> Option<String> {
    let w = r.words;
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
        .map(|(v, s)| format!("{} {}", name(r, *v), share(w, *s)))
        .collect();
    Some(w.f(
        "reading.busiest",
        &[
            (
                "month",
                &if r.exp.months.len() > 12 {
                    r.exp.months[m].clone()
                } else {
                    month_label(&r.exp.months, m, w)
                },
            ),
            ("leads", &w.money(top)),
            ("shares", &parts.join("; ")),
        ],
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
    let w = r.words;
    Some(w.f(
        "reading.spread",
        &[
            ("best", &name(r, best.0)),
            ("best_word", &w.t(best_word)),
            ("best_share", &share(w, best.1)),
            ("what", &w.t(what)),
            ("worst", &name(r, worst.0)),
            ("worst_share", &share(w, worst.1)),
        ],
    ))
}

/// The leads each structure loses for want of staff, against its unlimited reference:
/// the most and the fewest.
fn capacity(r: &Results, p: usize) -> Option<String> {
    let w = r.words;
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
            .map(|x| w.f("reading.capacity_share", &[("share", &share(w, x))]))
            .unwrap_or_default();
        w.f(
            "reading.capacity_one",
            &[
                ("name", &name(r, *i)),
                ("leads", &amount(w, *s)),
                ("share", &per),
            ],
        )
    };
    let mut line = w.f("reading.capacity", &[("first", &one(last))]);
    if v.len() > 1 {
        line += &format!("; {}", one(first));
    }
    Some(line + ".")
}

/// For each role held in more than one structure, where it spends the most and the
/// least of its paid hours selling (`assistant · manager` 38.9% against 31.0%).
fn selling_time(r: &Results, p: usize) -> Vec<String> {
    use crate::report::chart::time;
    let w = r.words;
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
        let column = time::column(&role, "selling");
        let mut v: Vec<(usize, Stat)> = (0..r.exp.variants.len())
            .filter_map(|i| Some((i, r.total_named(p, i, &column)?)))
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
        out.push(w.f(
            "reading.selling",
            &[
                ("role", &w.label("role", &role)),
                ("most", &share(w, most.1)),
                ("most_name", &name(r, most.0)),
                ("least", &share(w, least.1)),
                ("least_name", &name(r, least.0)),
            ],
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
    let w = r.words;
    Some(w.n(
        "reading.precision",
        r.manifest.points[p].replications,
        &[("within", &w.decimal(worst * 100.0, 2))],
    ))
}
