//! Which column is which: a mapping names, for every field a calibration reads, the
//! columns that may hold it (the first one found in the header wins), and the values
//! that mean won, lost, a phone lead, a lost reason. Built-in mappings cover the common
//! exports (`assets/mappings/*.toml`); a consultant writes their own for anything else.

use serde::Deserialize;

/// A mapping: how to read a company's files.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// What it reads ("amoCRM / Kommo leads export").
    pub name: String,
    /// Where its column names come from.
    #[serde(default)]
    pub source: String,
    /// Whether the file is salesim's own event log (`run --events`), read as events
    /// rather than one row per lead.
    #[serde(default)]
    pub events: bool,
    /// An encoding label; recognised from the file when absent.
    pub encoding: Option<String>,
    /// `,`, `;` or `tab`; recognised when absent.
    pub separator: Option<String>,
    /// `.` or `,`; a `;`-separated file writes decimal commas unless this says otherwise.
    pub decimal: Option<String>,
    /// `dmy` (the default) or `mdy`, for dates that do not start with the year.
    pub date_order: Option<String>,
    /// The leads (or deals) export: one row per lead.
    #[serde(default)]
    pub leads: LeadColumns,
    /// The call log: one row per call.
    #[serde(default)]
    pub calls: CallColumns,
    /// The orders of clients on the books: one row per repeat order.
    #[serde(default)]
    pub orders: OrderColumns,
    /// A stage history: one row per stage a lead (or deal) entered.
    #[serde(default)]
    pub stages: StageColumns,
}

/// The columns of a stage history.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageColumns {
    /// The lead's (or deal's) id, as the leads export writes it (required).
    pub lead: Option<Names>,
    /// When it entered the stage (required).
    pub entered: Option<Names>,
    /// The stage.
    pub stage: Option<Names>,
    /// What the values mean.
    #[serde(default)]
    pub values: StageValues,
}

/// The values of a stage history's columns.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageValues {
    /// Stages entered without a sales contact (set by a robot, a re-assignment): not
    /// counted as touches.
    #[serde(default)]
    pub not_a_touch: Vec<String>,
}

/// The columns of an orders export.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderColumns {
    /// The client (company or contact) the order is from (required).
    pub client: Option<Names>,
    /// When it was booked (required).
    pub date: Option<Names>,
    /// Its amount.
    pub amount: Option<Names>,
    /// The client's segment, as the template names them.
    pub segment: Option<Names>,
}

/// One column name, or several a file may use.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum Names {
    /// One name.
    One(String),
    /// Any of these.
    Many(Vec<String>),
}

impl Names {
    /// The names, as a list.
    pub fn list(&self) -> Vec<String> {
        match self {
            Names::One(s) => vec![s.clone()],
            Names::Many(v) => v.clone(),
        }
    }
}

/// The columns of a leads export.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeadColumns {
    /// The lead's id (duplicates are reported and skipped).
    pub id: Option<Names>,
    /// When it came in (required).
    pub created: Option<Names>,
    /// Its channel or source.
    pub channel: Option<Names>,
    /// Who owned it.
    pub owner: Option<Names>,
    /// When someone first talked to it.
    pub first_contact: Option<Names>,
    /// When it was qualified (a deal opened); the sales cycle starts there.
    pub qualified: Option<Names>,
    /// Its stage or status: won, lost, or (any other value) still open.
    pub outcome: Option<Names>,
    /// Why it was lost.
    pub loss_reason: Option<Names>,
    /// The deal's amount.
    pub amount: Option<Names>,
    /// When it was won or lost.
    pub closed: Option<Names>,
    /// The segment (pipeline, customer size) as the template scenario names them.
    pub segment: Option<Names>,
    /// What the values mean.
    #[serde(default)]
    pub values: LeadValues,
}

/// The values of a leads export's columns (compared without case).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeadValues {
    /// Outcomes that mean won.
    #[serde(default)]
    pub won: Vec<String>,
    /// Outcomes that mean lost.
    #[serde(default)]
    pub lost: Vec<String>,
    /// Channels that mean an inbound call (others are written leads).
    #[serde(default)]
    pub phone: Vec<String>,
    /// Channels that mean found by cold calling.
    #[serde(default)]
    pub outbound: Vec<String>,
    /// Loss reasons: not a buyer (wrong product, no budget, private person...).
    #[serde(default)]
    pub non_target: Vec<String>,
    /// Loss reasons: never reached.
    #[serde(default)]
    pub not_reached: Vec<String>,
    /// Loss reasons: answered too late (bought elsewhere before we called).
    #[serde(default)]
    pub late_response: Vec<String>,
    /// Loss reasons: the client decided against us (price, competitor, postponed).
    #[serde(default)]
    pub decision_lost: Vec<String>,
    /// Loss reasons: the deal went cold (no follow-up).
    #[serde(default)]
    pub deal_cold: Vec<String>,
}

/// The columns of a call log.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallColumns {
    /// When the call rang (required).
    pub start: Option<Names>,
    /// Seconds in the queue before an answer or hanging up.
    pub wait: Option<Names>,
    /// Answered, abandoned or missed.
    pub status: Option<Names>,
    /// Seconds of conversation.
    pub talk: Option<Names>,
    /// What an abandoned caller did next (callback request, redial).
    pub next: Option<Names>,
    /// What the values mean.
    #[serde(default)]
    pub values: CallValues,
}

/// The values of a call log's columns.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallValues {
    /// Statuses of an answered call.
    #[serde(default)]
    pub answered: Vec<String>,
    /// Statuses of a call the caller hung up in the queue.
    #[serde(default)]
    pub abandoned: Vec<String>,
    /// Statuses of a call that rang when nobody was at work.
    #[serde(default)]
    pub missed: Vec<String>,
    /// Values of `next`: the caller left a callback request.
    #[serde(default)]
    pub callback: Vec<String>,
    /// Values of `next`: the caller called again.
    #[serde(default)]
    pub redial: Vec<String>,
}

/// The built-in mappings: name and text.
pub const BUILT_IN: [(&str, &str); 5] = [
    (
        "salesim",
        include_str!("../../assets/mappings/salesim.toml"),
    ),
    (
        "generic",
        include_str!("../../assets/mappings/generic.toml"),
    ),
    ("amocrm", include_str!("../../assets/mappings/amocrm.toml")),
    (
        "bitrix24",
        include_str!("../../assets/mappings/bitrix24.toml"),
    ),
    (
        "hubspot",
        include_str!("../../assets/mappings/hubspot.toml"),
    ),
];

/// The names of the built-in mappings, for messages.
pub fn built_in_names() -> String {
    BUILT_IN.map(|(n, _)| n).join(", ")
}

impl Mapping {
    /// Reads a mapping's TOML; an error names the field and the rule.
    pub fn from_toml(text: &str) -> Result<Mapping, String> {
        toml::from_str(text).map_err(|e| e.to_string().trim().to_string())
    }

    /// A built-in mapping by name (`kommo` is amoCRM's international name).
    pub fn built_in(name: &str) -> Option<Mapping> {
        let name = if name.eq_ignore_ascii_case("kommo") {
            "amocrm"
        } else {
            name
        };
        BUILT_IN
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, text)| Mapping::from_toml(text).expect("built-in mappings parse (tested)"))
    }

    /// The built-in mapping whose columns best match a header: salesim's event log by
    /// its exact columns, else the one with the created-time column and the most other
    /// columns found.
    pub fn recognise(header: &[String]) -> Option<(String, Mapping)> {
        let has = |names: &Option<Names>| {
            names.as_ref().is_some_and(|n| {
                n.list()
                    .iter()
                    .any(|c| header.iter().any(|h| same_name(h, c)))
            })
        };
        let mut best: Option<(usize, String, Mapping)> = None;
        for (name, _) in BUILT_IN {
            let m = Mapping::built_in(name)?;
            if m.events {
                if header.first().map(String::as_str) == Some("time")
                    && header.iter().any(|h| h == "lead_id")
                    && header.iter().any(|h| h == "event")
                {
                    return Some((name.to_string(), m));
                }
                continue;
            }
            let l = &m.leads;
            if !has(&l.created) {
                continue;
            }
            let score = [
                &l.id,
                &l.channel,
                &l.owner,
                &l.first_contact,
                &l.qualified,
                &l.outcome,
                &l.loss_reason,
                &l.amount,
                &l.closed,
                &l.segment,
            ]
            .into_iter()
            .filter(|c| has(c))
            .count();
            if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
                best = Some((score, name.to_string(), m));
            }
        }
        best.map(|(_, n, m)| (n, m))
    }

    /// What it forces of the files' dialect.
    pub fn forced(&self) -> super::input::Forced {
        super::input::Forced {
            encoding: self.encoding.clone(),
            separator: self.separator.clone(),
            decimal: self.decimal.clone(),
            date_order: self.date_order.clone(),
        }
    }
}

/// Whether `value` is one of `list`, case and surrounding spaces ignored.
pub fn is_one_of(value: &str, list: &[String]) -> bool {
    list.iter().any(|x| same_name(x, value))
}

/// Whether two names (a column's, a value's) are the same, case and surrounding spaces
/// ignored.
pub fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    a.eq_ignore_ascii_case(b) || (!a.is_ascii() && a.to_lowercase() == b.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_mappings_parse_and_name_their_source() {
        for (name, text) in BUILT_IN {
            let m = Mapping::from_toml(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(
                !m.source.is_empty(),
                "{name} says where its columns come from"
            );
            assert!(m.events || m.leads.created.is_some(), "{name}");
        }
        assert!(Mapping::built_in("Kommo").is_some());
        assert!(Mapping::built_in("excel").is_none());
    }

    #[test]
    fn an_unknown_field_is_named() {
        let e =
            Mapping::from_toml("name = \"x\"\n[leads]\ncreated_at = \"Created\"\n").unwrap_err();
        assert!(e.contains("created_at"), "{e}");
    }
}
