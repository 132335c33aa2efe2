//! The kinds of work a sales department does. Who does which is the structure.

use std::fmt;

/// A kind of work that takes a person's time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WorkKind {
    /// Answer a ringing inbound phone call (the caller hangs up after their patience).
    InboundCall,
    /// Call a web lead or a callback request (attempts until reached).
    LeadCall,
    /// A touch on an open deal: meeting, proposal, calculation, negotiation.
    DealTouch,
    /// Paperwork for a won deal: contract, invoice.
    Contract,
    /// Order entry for a client's repeat order.
    OrderEntry,
    /// A call to a client around their reorder date to take the order (the client's
    /// owner makes it; an order not collected in time goes to a competitor).
    Collection,
    /// A client's own call (a question, a complaint, an order by phone), for their owner.
    ClientCall,
    /// A care contact with an existing client.
    Care,
    /// A call to wake a dormant client.
    Reactivation,
    /// The preparation part of a deal touch (quotes, calculations), done by another role
    /// before the deal's owner sells (`segments.prep_share`).
    Preparation,
    /// Cold calling, done only when nothing else waits.
    Prospecting,
}

impl WorkKind {
    /// Every kind, in a fixed order.
    pub const ALL: [WorkKind; WorkKind::COUNT] = [
        WorkKind::InboundCall,
        WorkKind::LeadCall,
        WorkKind::DealTouch,
        WorkKind::Contract,
        WorkKind::OrderEntry,
        WorkKind::Collection,
        WorkKind::ClientCall,
        WorkKind::Care,
        WorkKind::Reactivation,
        WorkKind::Preparation,
        WorkKind::Prospecting,
    ];

    /// How many kinds there are.
    pub const COUNT: usize = 11;

    /// The kinds with a due time, whose work past due can jump a role's `works` list
    /// (`[work] overdue_first`) and is reported as a backlog when the horizon ends.
    pub const DESK: [WorkKind; 6] = [
        WorkKind::Contract,
        WorkKind::OrderEntry,
        WorkKind::Collection,
        WorkKind::ClientCall,
        WorkKind::Care,
        WorkKind::Reactivation,
    ];

    /// The name used in scenario files and output.
    pub fn name(self) -> &'static str {
        match self {
            WorkKind::InboundCall => "inbound_call",
            WorkKind::LeadCall => "lead_call",
            WorkKind::DealTouch => "deal_touch",
            WorkKind::Contract => "contract",
            WorkKind::OrderEntry => "order_entry",
            WorkKind::Collection => "collection",
            WorkKind::ClientCall => "client_call",
            WorkKind::Care => "care",
            WorkKind::Reactivation => "reactivation",
            WorkKind::Preparation => "preparation",
            WorkKind::Prospecting => "prospecting",
        }
    }

    /// Parses a name from a scenario file.
    pub fn parse(s: &str) -> Option<WorkKind> {
        WorkKind::ALL.into_iter().find(|k| k.name() == s)
    }

    /// Work on an item that belongs to one person (their deal, their client): only the
    /// owner does it. Every other kind waits in a queue shared by everyone who does it.
    pub fn is_owned(self) -> bool {
        matches!(
            self,
            WorkKind::DealTouch | WorkKind::Care | WorkKind::Collection | WorkKind::ClientCall
        )
    }

    /// 0..COUNT, for arrays indexed by kind.
    pub fn index(self) -> usize {
        self as usize
    }

    /// What the kind is, in a few words (for `salesim structures`).
    pub fn describe(self) -> &'static str {
        match self {
            WorkKind::InboundCall => "answer inbound calls",
            WorkKind::LeadCall => "call back web leads and callback requests",
            WorkKind::DealTouch => "work own deals (meetings, proposals)",
            WorkKind::Contract => "contracts and invoices for won deals",
            WorkKind::OrderEntry => "order entry for repeat orders",
            WorkKind::Collection => "call own clients to collect their orders",
            WorkKind::ClientCall => "take own clients' calls",
            WorkKind::Care => "care contacts with own clients",
            WorkKind::Reactivation => "wake dormant clients",
            WorkKind::Preparation => "prepare quotes and calculations for others' deals",
            WorkKind::Prospecting => "cold calling when idle",
        }
    }
}

impl fmt::Display for WorkKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of work kinds, as a bit mask.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct KindSet(pub u16);

impl KindSet {
    /// Every kind.
    pub const ALL: KindSet = KindSet(u16::MAX);

    /// Whether `k` is in the set.
    pub fn contains(self, k: WorkKind) -> bool {
        self.0 & (1 << k.index()) != 0
    }

    /// The set with `k` added.
    pub fn with(self, k: WorkKind) -> KindSet {
        KindSet(self.0 | (1 << k.index()))
    }
}

impl FromIterator<WorkKind> for KindSet {
    fn from_iter<I: IntoIterator<Item = WorkKind>>(iter: I) -> Self {
        iter.into_iter().fold(KindSet::default(), KindSet::with)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for k in WorkKind::ALL {
            assert_eq!(WorkKind::parse(k.name()), Some(k));
        }
        assert_eq!(WorkKind::parse("nap"), None);
    }

    #[test]
    fn kind_sets() {
        let s: KindSet = [WorkKind::Care, WorkKind::LeadCall].into_iter().collect();
        assert!(s.contains(WorkKind::Care));
        assert!(!s.contains(WorkKind::DealTouch));
        assert!(KindSet::ALL.contains(WorkKind::Prospecting));
    }
}
