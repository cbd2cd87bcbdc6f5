//! An audit event in a purchasing officer's words: "Offered to Beta Care (clustered); answer due
//! 11:45", "Start date moved 07/12/2026 → 14/12/2026" — dates in UK style and London time,
//! fields by their names on the referral card, hcp's bookkeeping left out. The JSON keeps the
//! raw record.

use crate::domain::dates::{load_instant, show_instant};
use chrono::NaiveDate;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Fields hcp keeps for itself: not shown as changes.
const QUIET: &[&str] = &["updated_at", "created_at", "hours_given", "cluster_by_hand", "msoa_code", "provider_id"];

/// A field as the referral card names it.
fn field(k: &str) -> String {
    match k {
        "start_date" => "Start date".into(),
        "received_at" => "Received".into(),
        "list_date" => "Listed".into(),
        "weekly_minutes" => "Minutes a week".into(),
        "calls_per_day" => "Calls a day".into(),
        "minutes_per_call" => "Minutes a call".into(),
        "days_per_week" => "Days a week".into(),
        "docs" => "Documents".into(),
        "missing" => "Missing".into(),
        "fa_due" => "Financial assessment due".into(),
        "fa_done_at" => "Financial assessment done".into(),
        "sdo_due" => "SDO due".into(),
        "sdo_sent_at" => "SDO sent".into(),
        "accepted_at" => "Accepted".into(),
        "confirmed_at" => "Confirmed".into(),
        "confirmed_start" => "Care starts".into(),
        "form_sent_at" => "Confirmation form sent".into(),
        "authorised_weekly_pence" | "estimated_weekly_pence" => "Amount (see --show-rates)".into(),
        k => {
            let mut s = k.replace('_', " ");
            if let Some(first) = s.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            s
        }
    }
}

/// A value as people read it: UK dates, London times, words for lists.
fn value(v: &Value) -> String {
    match v {
        Value::Null => "-".into(),
        Value::Bool(true) => "yes".into(),
        Value::Bool(false) => "no".into(),
        Value::String(s) if s.is_empty() => "-".into(),
        Value::String(s) => {
            if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                return d.format("%d/%m/%Y").to_string();
            }
            if s.len() >= 19 && s.as_bytes().get(10) == Some(&b'T') {
                if let Some(t) = load_instant(s) {
                    return show_instant(t);
                }
            }
            // hcp's own words (`no-capacity`) read as words; free text stays as typed.
            let vocabulary = s.chars().all(|c| c.is_ascii_lowercase() || c == '-' || c == '_' || c.is_ascii_digit());
            if vocabulary {
                s.replace(['-', '_'], " ")
            } else {
                s.clone()
            }
        }
        Value::Array(a) if a.is_empty() => "none".into(),
        Value::Array(a) => a.iter().map(value).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

fn get<'a>(d: &'a Map<String, Value>, k: &str) -> Option<&'a Value> {
    d.get(k).filter(|v| !v.is_null())
}

fn text(d: &Map<String, Value>, k: &str) -> String {
    get(d, k).map(value).unwrap_or_default()
}

/// London time only (HH:MM) of an instant in the details.
fn time(d: &Map<String, Value>, k: &str) -> String {
    get(d, k)
        .and_then(Value::as_str)
        .and_then(load_instant)
        .map(|t| t.with_timezone(&chrono_tz::Europe::London).format("%H:%M").to_string())
        .unwrap_or_default()
}

/// The changes an event made, "Field before → after", each on its own; at most eight.
fn changes(d: &Map<String, Value>) -> Vec<String> {
    let (Some(Value::Object(before)), Some(Value::Object(after))) = (d.get("before"), d.get("after")) else {
        return Vec::new();
    };
    let mut out: Vec<String> = after
        .iter()
        .filter(|(k, _)| !QUIET.contains(&k.as_str()))
        .map(|(k, a)| format!("{} {} → {}", field(k), value(before.get(k).unwrap_or(&Value::Null)), value(a)))
        .collect();
    if out.len() > 8 {
        let more = out.len() - 8;
        out.truncate(8);
        out.push(format!("(+{more} more; --json shows them)"));
    }
    out
}

/// One event in words.
pub fn describe(event: &str, details: &Value, providers: &HashMap<i64, String>) -> String {
    let empty = Map::new();
    let d = details.as_object().unwrap_or(&empty);
    let provider = || {
        get(d, "provider")
            .and_then(Value::as_str)
            .map(str::to_string)
            .or_else(|| get(d, "provider_id").and_then(Value::as_i64).and_then(|p| providers.get(&p).cloned()))
            .unwrap_or_else(|| "the provider".into())
    };
    let late = if get(d, "late") == Some(&Value::Bool(true)) { " (late)" } else { "" };
    let mut line = match event {
        "referral added" => match text(d, "state").as_str() {
            "waiting" => "Referral added, complete: on the list".to_string(),
            _ => format!("Referral added, incomplete: missing {}", text(d, "missing")),
        },
        "referral complete: listed" => "Complete: joined the packages-to-be-placed list".into(),
        "referral updated" | "referral updated by import" => "Referral updated".into(),
        "offer made" => {
            let mut s = format!("Offered to {} ({}); answer due {}", provider(), text(d, "tier"), time(d, "deadline"));
            if let Some(r) = get(d, "override_reason") {
                s.push_str(&format!("; chosen out of order: {}", value(r)));
            }
            return s;
        }
        "response: accept" => format!("{} accepted{late}", provider()),
        "response: tentative" => format!("{} accepted tentatively{late}", provider()),
        "response: partial" => format!("{} accepted {} calls a day{late}", provider(), text(d, "calls")),
        "response: considering" => format!("{} is considering until {}", provider(), text(d, "until")),
        "response: decline" => format!("{} declined: {}{late}", provider(), text(d, "reason")),
        "response amended" => {
            format!("{}'s answer corrected to {} (was: {})", provider(), text(d, "response"), text(d, "amends"))
        }
        "placement confirmed" => {
            let sdo = get(d, "sdo_due").map(value).unwrap_or_else(|| "after the Indi contract".into());
            return format!(
                "Confirmation form returned: care starts {}; SDO due {sdo}; financial assessment due {}",
                text(d, "start"),
                text(d, "financial_assessment_due")
            );
        }
        "SDO sent" => return format!("SDO sent{}", if late.is_empty() { "" } else { " (after its due date)" }),
        "financial assessment done" => return "Financial assessment done".into(),
        "Indi contract completed" => return format!("Indi contract completed; SDO due {}", text(d, "sdo_due")),
        "courtesy call made and confirmation form sent" => {
            format!("Courtesy call made and confirmation form sent{late}")
        }
        "escalation raised" => format!("Escalated to the {}: {}", text(d, "to").to_uppercase(), text(d, "note")),
        "escalation resolved" => {
            format!("Escalation {} ({}) decided: {}", text(d, "escalation"), text(d, "rule"), text(d, "decision"))
        }
        "referral cancelled" => format!("Cancelled: {}", text(d, "reason")),
        "referral split: remainder listed" => {
            format!("Remaining calls listed as this referral (from referral {})", text(d, "parent"))
        }
        "referral imported" | "packages imported" => format!("Imported from {}", text(d, "file")),
        other => {
            let mut s = other.to_string();
            if let Some(first) = s.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            s
        }
    };
    // Recognised events say what happened; for the others the fields that changed are listed.
    let sentence_only = !matches!(event, "referral updated" | "referral updated by import" | "requested start moved")
        && !line.eq_ignore_ascii_case(event);
    let ch = if sentence_only { Vec::new() } else { changes(d) };
    if !ch.is_empty() {
        line.push_str(": ");
        line.push_str(&ch.join("; "));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn events_read_as_sentences_with_uk_dates() {
        let p = HashMap::new();
        let offer = json!({ "provider": "Beta Care", "tier": "clustered", "deadline": "2026-11-23T11:45:00Z" });
        assert_eq!(describe("offer made", &offer, &p), "Offered to Beta Care (clustered); answer due 11:45");
        let moved = json!({ "before": { "start_date": "2026-12-07", "updated_at": "x" }, "after": { "start_date": "2026-12-14", "updated_at": "y" } });
        assert_eq!(
            describe("requested start moved", &moved, &p),
            "Requested start moved: Start date 07/12/2026 → 14/12/2026"
        );
        let decline = json!({ "provider": "Alpha Care", "reason": "no-capacity", "late": false });
        assert_eq!(describe("response: decline", &decline, &p), "Alpha Care declined: no capacity");
        let cancel = json!({ "reason": "moved to Cornwall-on-sea" });
        assert_eq!(describe("referral cancelled", &cancel, &p), "Cancelled: moved to Cornwall-on-sea");
    }
}
