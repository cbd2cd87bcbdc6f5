//! A referral's life during a period, rebuilt from the audit log.
//!
//! Every change to a referral is an event carrying the changed fields before and after (the
//! creation event carries the whole record). Walking back from the referral as it is now and
//! undoing each event's `before` gives the record as it was at any time, and only the events
//! from the start of the period onwards are needed: a report for a past week is computed from
//! that week's events, so events after the week cannot change it (they are undone first).

use crate::domain::model::{Item, PlacementType, State, Team};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value};

/// One audit event about a referral, as stored.
#[derive(Debug, Clone)]
pub struct RawEvent {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub event: String,
    pub details: Value,
    /// The changed fields before the event; None for the event that created the referral.
    pub before: Option<Map<String, Value>>,
}

/// What the reports need of a referral at one moment.
#[derive(Debug, Clone, PartialEq)]
pub struct Snap {
    pub state: State,
    pub team: Team,
    pub client_id: String,
    pub cluster_id: Option<i64>,
    pub list_date: Option<DateTime<Utc>>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub start: NaiveDate,
    pub weekly_minutes: i64,
    pub hospital_discharge: bool,
    pub in_keah: bool,
    pub handback: bool,
    pub handback_end: Option<NaiveDate>,
    pub provider_id: Option<i64>,
    pub placement_type: Option<PlacementType>,
    pub missing: Vec<Item>,
}

/// One change inside the period: when, what, and the referral just after it.
#[derive(Debug, Clone)]
pub struct Change {
    pub at: DateTime<Utc>,
    pub event: String,
    pub details: Value,
    /// The referral before the change; None when this event created it.
    pub before: Option<Snap>,
    pub after: Snap,
}

/// A referral over the period: as it was at the start (None if it did not exist yet) and each
/// change in the period, oldest first.
#[derive(Debug, Clone)]
pub struct History {
    pub referral: i64,
    pub at_start: Option<Snap>,
    pub changes: Vec<Change>,
}

impl History {
    /// The referral as it was at `t` (within the period), or None if it did not exist yet.
    pub fn at(&self, t: DateTime<Utc>) -> Option<&Snap> {
        let mut s = self.at_start.as_ref();
        for c in &self.changes {
            if c.at >= t {
                break;
            }
            s = Some(&c.after);
        }
        s
    }

    /// The referral at the end of the period.
    pub fn at_end(&self) -> Option<&Snap> {
        self.changes.last().map(|c| &c.after).or(self.at_start.as_ref())
    }
}

/// Read the fields the reports use from a whole referral record; None if it does not read.
pub fn snap(v: &Map<String, Value>) -> Option<Snap> {
    let text = |k: &str| v.get(k).and_then(Value::as_str);
    let time = |k: &str| text(k).and_then(crate::domain::dates::load_instant);
    let date = |k: &str| text(k).and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok());
    let flag = |k: &str| v.get(k).and_then(Value::as_bool).unwrap_or(false);
    Some(Snap {
        state: State::parse(text("state")?)?,
        team: Team::parse(text("team")?)?,
        client_id: text("client_id").unwrap_or_default().to_string(),
        cluster_id: v.get("cluster_id").and_then(Value::as_i64),
        list_date: time("list_date"),
        accepted_at: time("accepted_at"),
        start: date("start_date")?,
        weekly_minutes: v.get("weekly_minutes").and_then(Value::as_i64).unwrap_or(0),
        hospital_discharge: flag("hospital_discharge"),
        in_keah: flag("in_keah"),
        handback: flag("handback"),
        handback_end: date("handback_end"),
        provider_id: v.get("provider_id").and_then(Value::as_i64),
        placement_type: text("placement_type").and_then(PlacementType::parse),
        missing: v
            .get("missing")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|x| x.as_str().and_then(Item::parse)).collect())
            .unwrap_or_default(),
    })
}

/// Rebuild a referral's period from its record now and its events from the period's start on
/// (any order; the store loads those dated or recorded from the start). Events at or after `end` are undone and not reported. `created` is when the
/// referral was created (a referral created by a bulk import has no creation event of its own).
pub fn replay(
    referral: i64,
    now: &Map<String, Value>,
    created: DateTime<Utc>,
    mut events: Vec<RawEvent>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> History {
    let none = History { referral, at_start: None, changes: Vec::new() };
    if created >= end {
        return none;
    }
    // Undone in the order they were recorded (an event may be dated earlier with --at).
    events.sort_by_key(|e| std::cmp::Reverse(e.id));
    let mut record = now.clone();
    let mut changes = Vec::new();
    let mut created_by_event = false;
    for e in events {
        let after = snap(&record);
        let Some(b) = &e.before else {
            // The creation: nothing earlier exists.
            if e.at >= end {
                return none;
            }
            if let Some(after) = after {
                changes.push(Change { at: e.at, event: e.event, details: e.details, before: None, after });
            }
            created_by_event = true;
            break;
        };
        for (k, v) in b {
            record.insert(k.clone(), v.clone());
        }
        if e.at < end {
            if let Some(after) = after {
                changes.push(Change { at: e.at, event: e.event, details: e.details, before: snap(&record), after });
            }
        }
    }
    let at_start = if created_by_event {
        None
    } else if created >= start {
        // Imported in the period: its first state counts from when it was created.
        if let Some(s) = snap(&record) {
            changes.push(Change {
                at: created,
                event: "referral imported".into(),
                details: Value::Null,
                before: None,
                after: s,
            });
        }
        None
    } else {
        snap(&record)
    };
    changes.reverse();
    changes.sort_by_key(|c| c.at);
    History { referral, at_start, changes }
}
