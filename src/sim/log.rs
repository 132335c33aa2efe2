//! The event log of one replication (`salesim run --events FILE.csv`): what happened to
//! every lead and deal, and each repeat order a client placed, one row per event, in
//! the shape a company's own CRM export and call log take: the simulator's ground truth
//! for calibration, and a record a client can check by hand. Kept only when asked for: a run without it pays one test of an
//! `Option` per logged event and allocates nothing.

use crate::engine::Time;

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogKind {
    /// An inbound lead arrived (a call rang, or a written lead came in).
    LeadArrived,
    /// A ringing call was answered, after `wait`.
    CallAnswered,
    /// A caller hung up after `wait`; the outcome says what they did next.
    CallAbandoned,
    /// A call rang with nobody at work: logged to be called back, or lost.
    CallMissed,
    /// The first conversation with a lead, `wait` after it arrived (speed to lead).
    Contacted,
    /// Qualified as a target lead: a deal opens.
    Qualified,
    /// A deal found by cold calling opened.
    ProspectFound,
    /// The lead was lost; the outcome is the cause.
    LeadLost,
    /// A non-target lead was put in nurture.
    Nurtured,
    /// A deal's touch (a quote, a follow-up, a meeting) was done by its owner; the
    /// last one brings the decision.
    DealTouch,
    /// A deal was won, worth `amount`.
    DealWon,
    /// A client's repeat order was booked, worth `amount` (the id is the client's).
    OrderEntered,
}

impl LogKind {
    /// Its name in the log.
    pub fn name(self) -> &'static str {
        match self {
            LogKind::LeadArrived => "lead_arrived",
            LogKind::CallAnswered => "call_answered",
            LogKind::CallAbandoned => "call_abandoned",
            LogKind::CallMissed => "call_missed",
            LogKind::Contacted => "contacted",
            LogKind::Qualified => "qualified",
            LogKind::ProspectFound => "prospect_found",
            LogKind::LeadLost => "lead_lost",
            LogKind::Nurtured => "nurtured",
            LogKind::DealTouch => "deal_touch",
            LogKind::DealWon => "deal_won",
            LogKind::OrderEntered => "order_entered",
        }
    }
}

/// A lead's channel, as its id carries it; or a client on the books, whose orders are
/// logged under ids of their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    /// An inbound call.
    Phone,
    /// An inbound written lead (web form, e-mail).
    Web,
    /// Found by cold calling.
    Outbound,
    /// Not a lead: a client on the books (its orders).
    Client,
}

impl Channel {
    /// Its name in the log.
    pub fn name(self) -> &'static str {
        match self {
            Channel::Phone => "phone",
            Channel::Web => "web",
            Channel::Outbound => "outbound",
            Channel::Client => "client",
        }
    }

    /// The id of lead (or client) number `n` of this channel: the channel in the top
    /// byte.
    pub fn id(self, n: u64) -> u64 {
        (self as u64) << 56 | n
    }

    /// The channel and number of a lead id.
    pub fn of(id: u64) -> (Channel, u64) {
        let c = match id >> 56 {
            0 => Channel::Phone,
            1 => Channel::Web,
            2 => Channel::Outbound,
            _ => Channel::Client,
        };
        (c, id & ((1 << 56) - 1))
    }
}

/// One row of the log.
#[derive(Clone, Debug, PartialEq)]
pub struct LogRow {
    /// When, from the start of the horizon.
    pub at: Time,
    /// The lead's id (its channel and its number in that channel).
    pub lead: u64,
    /// What happened.
    pub kind: LogKind,
    /// Who did it: role and person (index among all staff), when someone did.
    pub who: Option<(u32, u32)>,
    /// How it ended (`callback`, `redial`, `lost`, a loss's cause...), or empty.
    pub outcome: &'static str,
    /// Money involved (a won deal's value), or zero.
    pub amount: f64,
    /// A wait: in the queue before an answer or hanging up; from arrival to contact.
    pub wait: Option<Time>,
    /// The deal's segment (index among the scenario's), on the rows of a lead with an
    /// open deal: qualified or found by cold calling, won, lost at the decision or gone
    /// cold.
    pub segment: Option<u8>,
}
