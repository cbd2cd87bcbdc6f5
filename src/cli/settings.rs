//! `hcp settings list|set`: thresholds that are local policy, not law.

use super::ctx::Ctx;
use super::{output, Exit, Outcome};
use crate::error::UserError;
use crate::store::events::Event;
use serde_json::json;

/// The settings hcp knows, their defaults and meaning.
pub const KNOWN: &[(&str, &str, &str)] = &[
    ("rag.amber_days", "5", "working days waiting before a referral turns amber"),
    ("rag.red_days", "10", "working days waiting before a referral turns red"),
    ("rag.start_passed_red_days", "5", "working days past the requested start before red"),
    ("rag.handback_red_days", "5", "red when a handed-back package's care ends within this many days"),
    ("escalate.area_teleconference", "5", "referrals waiting in one area before an all-provider teleconference"),
    (
        "referral.keah_high_cost_pence",
        "50000",
        "KEaH weekly cost (pence) at which authorisation may follow the referral",
    ),
    ("referral.hours_tolerance_minutes", "15", "minutes a week hours may differ from calls × minutes × 7"),
    ("referral.self_funder_grace_days", "5", "KEaH self-funders' grace period in working days"),
];

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List settings with their values.
    #[command(after_help = "Example:\n  hcp settings list")]
    List,
    /// Change a setting.
    #[command(after_help = "Example:\n  hcp settings set rag.red_days 10")]
    Set { key: String, value: String },
}

pub fn run(ctx: &mut Ctx, c: Command) -> Outcome {
    let (now_s, user, json) = (ctx.now_str(), ctx.user.clone(), ctx.json);
    let store = ctx.store()?;
    match c {
        Command::List => {
            let mut rows = Vec::new();
            for (k, d, what) in KNOWN {
                let v = store.setting(k)?.unwrap_or_else(|| d.to_string());
                rows.push((k, v, what));
            }
            if json {
                output::json(
                    &rows.iter().map(|(k, v, w)| json!({"key": k, "value": v, "meaning": w})).collect::<Vec<_>>(),
                );
            } else {
                let mut t = output::table(&["setting", "value", "meaning"]);
                for (k, v, w) in rows {
                    t.add_row(vec![k.to_string(), v, w.to_string()]);
                }
                println!("{t}");
            }
        }
        Command::Set { key, value } => {
            if !KNOWN.iter().any(|(k, _, _)| *k == key) {
                let names: Vec<&str> = KNOWN.iter().map(|k| k.0).collect();
                return Err(UserError::usage(format!("unknown setting '{key}'"))
                    .hint(format!("settings: {}", names.join(", ")))
                    .into());
            }
            if value.trim().parse::<u32>().is_err() {
                return Err(UserError::usage(format!("setting {key} takes a whole number, not '{value}'")).into());
            }
            let value = value.trim().to_string();
            store.write(|tx| {
                let before = crate::store::reference::setting(tx, &key)?;
                crate::store::reference::set_setting(tx, &key, &value)?;
                Event::new("setting changed", "setting", &now_s, &now_s, &user)
                    .details(json!({ "key": key }))
                    .change(Some(json!({ key.clone(): before })), Some(json!({ key.clone(): value })))
                    .append(tx)?;
                Ok(())
            })?;
            if json {
                output::json(&json!({ "key": key, "value": value }));
            } else {
                println!("{key} = {value}");
            }
        }
    }
    Ok(Exit::Done)
}
