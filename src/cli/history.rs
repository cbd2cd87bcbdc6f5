//! `hcp history <id>`: every event of a referral, in order.

use super::ctx::Ctx;
use super::view::load_referral;
use super::{output, Exit, Outcome};
use crate::domain::dates::{load_instant, show_instant};
use crate::store::events;
use serde_json::Value;

/// The audit log of one referral: who did what, when, with the values before and after.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  hcp history 12\n  hcp history 12 --json")]
pub struct Args {
    /// The referral id.
    pub id: i64,
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let json = ctx.json;
    let conn = &ctx.store()?.conn();
    load_referral(conn, args.id)?;
    let rows = events::for_referral(conn, args.id)?;
    if json {
        output::json(&rows);
        return Ok(Exit::Done);
    }
    let mut t = output::table(&["when", "who", "what", "details"]);
    for r in rows {
        output::row(
            &mut t,
            vec![load_instant(&r.at).map(show_instant).unwrap_or(r.at), r.user, r.event, describe(&r.details)],
        );
    }
    println!("{t}");
    Ok(Exit::Done)
}

/// An event's details for people: `key: value` for what was recorded, `field: before → after`
/// for what changed (at most eight changes; the JSON has them all).
fn describe(details: &Value) -> String {
    let Some(map) = details.as_object() else { return details.to_string() };
    fn show(v: &Value) -> String {
        match v {
            Value::String(s) if s.is_empty() => "-".into(),
            Value::String(s) => s.clone(),
            Value::Null => "-".into(),
            Value::Array(a) if a.is_empty() => "none".into(),
            Value::Array(a) => a.iter().map(show).collect::<Vec<_>>().join(", "),
            other => other.to_string(),
        }
    }
    let mut parts: Vec<String> = map
        .iter()
        .filter(|(k, v)| !matches!(k.as_str(), "before" | "after") && !v.is_null() && *v != &Value::Bool(false))
        .map(|(k, v)| format!("{}: {}", k.replace('_', " "), show(v)))
        .collect();
    if let (Some(Value::Object(before)), Some(Value::Object(after))) = (map.get("before"), map.get("after")) {
        for (k, a) in after.iter().take(8) {
            let b = before.get(k).unwrap_or(&Value::Null);
            parts.push(format!("{}: {} → {}", k.replace('_', " "), show(b), show(a)));
        }
        if after.len() > 8 {
            parts.push(format!("(+{} more changes; --json shows them)", after.len() - 8));
        }
    }
    parts.join("; ")
}
