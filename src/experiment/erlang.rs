//! Erlang A: the M/M/n+M queue (Poisson arrivals, exponential handling, exponential
//! patience) in steady state. Staffing starts from it, month by month, before the
//! simulation corrects it for everything the formula leaves out.

/// Steady-state figures of an M/M/n+M queue.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ErlangA {
    /// Share of arrivals who abandon before being answered.
    pub abandon: f64,
    /// Mean wait of all arrivals (abandoners until they leave), in the rates' time unit.
    pub mean_wait: f64,
    /// Share of arrivals answered within the service-level time.
    pub service_level: f64,
}

/// The queue with arrival rate `lambda`, service rate `mu` per agent, `n` agents and
/// abandonment rate `theta` (1 / mean patience), all per the same time unit; `sl` is the
/// service-level time in that unit.
pub fn erlang_a(lambda: f64, mu: f64, n: u32, theta: f64, sl: f64) -> ErlangA {
    let n = n as usize;
    let death = |k: usize| (k.min(n) as f64) * mu + (k.saturating_sub(n) as f64) * theta;
    // Birth-death chain, truncated once the tail is negligible (or at a hard cap when
    // nobody abandons and the load exceeds the agents: then everyone waits, unbounded).
    let mut p = vec![1.0f64];
    let cap = n + 20_000;
    while p.len() <= cap {
        let k = p.len();
        let next = p[k - 1] * lambda / death(k).max(f64::MIN_POSITIVE);
        p.push(next);
        if k > n + 10 && next < 1e-16 * p.iter().sum::<f64>() {
            break;
        }
    }
    let z: f64 = p.iter().sum();
    p.iter_mut().for_each(|x| *x /= z);
    let queue: f64 = p
        .iter()
        .enumerate()
        .map(|(k, x)| k.saturating_sub(n) as f64 * x)
        .sum();
    let answered_at_once: f64 = p.iter().take(n).sum();
    let waiting: Vec<f64> = p.iter().skip(n).copied().collect();
    ErlangA {
        abandon: if lambda > 0.0 {
            theta * queue / lambda
        } else {
            0.0
        },
        mean_wait: if lambda > 0.0 { queue / lambda } else { 0.0 },
        service_level: answered_at_once + served_within(&waiting, n as f64 * mu, theta, sl),
    }
}

/// The probability of being answered within `t` for an arrival who finds `i` people
/// queued ahead with probability `q[i]`: it passes stages of rate `n mu + j theta` (j = i
/// down to 0) while its own patience runs out at rate `theta`. Uniformisation of that
/// pure-forward chain: exact up to the truncated Poisson tail (below 1e-12).
fn served_within(q: &[f64], n_mu: f64, theta: f64, t: f64) -> f64 {
    let m = q.len();
    if m == 0 || n_mu <= 0.0 {
        return 0.0;
    }
    // Stage j: j people still ahead; leaving it forward at n mu + j theta, abandoning at
    // theta. The uniformisation rate bounds every stage's total rate.
    let big = n_mu + m as f64 * theta + theta;
    let mut state: Vec<f64> = q.to_vec();
    let mut served = 0.0; // mass already answered, after k jumps
    let mut weight = (-big * t).exp(); // Poisson(k; big t)
    let mut total = 0.0;
    let mut cum_weight = weight;
    let mut k = 0u32;
    loop {
        total += weight * served;
        if 1.0 - cum_weight < 1e-12 || k > 100_000 {
            // The remaining Poisson mass sees at least what has been served so far.
            total += (1.0 - cum_weight) * served;
            break;
        }
        // One jump of the uniformised chain.
        let mut next = vec![0.0; m];
        for j in 0..m {
            let fwd = (n_mu + j as f64 * theta) / big;
            let stay = 1.0 - fwd - theta / big;
            next[j] += state[j] * stay;
            if j == 0 {
                served += state[0] * fwd;
            } else {
                next[j - 1] += state[j] * fwd;
            }
        }
        state = next;
        k += 1;
        weight *= big * t / f64::from(k);
        cum_weight += weight;
    }
    total
}

/// The smallest headcount from `from` up to `max` whose queue satisfies `ok`, if any.
pub fn smallest(from: u32, max: u32, ok: impl Fn(u32) -> bool) -> Option<u32> {
    (from..=max).find(|&n| ok(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Erlang C's probability of waiting, for the M/M/n limit.
    fn erlang_c(a: f64, n: u32) -> f64 {
        let mut term = 1.0;
        let mut sum = 1.0;
        for k in 1..n {
            term *= a / f64::from(k);
            sum += term;
        }
        let last = term * a / f64::from(n) * f64::from(n) / (f64::from(n) - a);
        last / (sum + last)
    }

    #[test]
    fn without_patience_limits_it_is_erlang_c() {
        // 100 calls an hour, 5-minute calls (a = 8.33), 10 agents, SL 20 s; per hour.
        let (lambda, mu, n, t) = (100.0, 12.0, 10, 20.0 / 3600.0);
        let q = erlang_a(lambda, mu, n, 1e-9, t);
        let c = erlang_c(lambda / mu, n);
        let sl = 1.0 - c * (-(f64::from(n) * mu - lambda) * t).exp();
        let wait = c / (f64::from(n) * mu - lambda);
        assert!(
            (q.service_level - sl).abs() < 1e-6,
            "{} vs {sl}",
            q.service_level
        );
        assert!((q.mean_wait - wait).abs() < 1e-6 * wait.max(1.0));
        assert!(q.abandon < 1e-6);
    }

    #[test]
    fn one_agent_abandonment_matches_the_chain_by_hand() {
        // M/M/1+M with lambda = mu = theta = 1: p_k proportional to 1 / k! for k >= 1
        // (deaths 1, 2, 3, ... as 1 + (k-1) theta = k), so p_k = e^-1 / k!.
        let q = erlang_a(1.0, 1.0, 1, 1.0, 0.0);
        let e = std::f64::consts::E;
        // queue = sum (k - 1) p_k = (sum k p_k) - (1 - p_0) = 1 - (1 - 1/e) = 1/e.
        assert!((q.abandon - 1.0 / e).abs() < 1e-9, "{}", q.abandon);
        // With t = 0 only those answered at once count: p_0 = 1/e.
        assert!((q.service_level - 1.0 / e).abs() < 1e-9);
    }

    #[test]
    fn more_agents_lose_fewer_calls_and_answer_faster() {
        let per_min = |n| erlang_a(100.0 / 60.0, 1.0 / 5.0, n, 1.0, 1.0 / 3.0);
        let mut last = per_min(5);
        for n in 6..14 {
            let q = per_min(n);
            assert!(q.abandon < last.abandon && q.service_level > last.service_level);
            last = q;
        }
        // The chain summed independently (a short script): 10 agents lose 10.0%, 11 lose
        // 6.4%, 12 lose 3.9%.
        assert!((per_min(10).abandon - 0.10023).abs() < 1e-4);
        assert_eq!(smallest(1, 30, |n| per_min(n).abandon <= 0.05), Some(12));
    }
}
