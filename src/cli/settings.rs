//! `hcp settings list|set`: thresholds that are local policy, not law.

use super::ctx::Ctx;
use super::{output, Exit, Outcome};
use crate::domain::settings::{self, SETTINGS};
use crate::error::UserError;
use crate::store::events::Event;
use serde_json::json;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List settings with their values.
    #[command(after_help = "Example:\n  hcp settings list")]
    List,
    /// Change a setting.
    #[command(after_help = "Example:\n  hcp settings set rag.red_days 10")]
    Set {
        /// The setting's name (`hcp settings list`).
        key: String,
        /// Its new value, a whole number within the setting's range.
        value: String,
    },
}

pub fn run(ctx: &mut Ctx, c: Command) -> Outcome {
    let (now_s, user, json) = (ctx.now_str(), ctx.user.clone(), ctx.json);
    let store = ctx.store()?;
    match c {
        Command::List => {
            let mut rows = Vec::new();
            for s in SETTINGS {
                let v = store.setting(s.key)?.unwrap_or_else(|| s.default.to_string());
                rows.push((s.key, v, s.meaning));
            }
            if json {
                output::json(
                    &rows.iter().map(|(k, v, w)| json!({"key": k, "value": v, "meaning": w})).collect::<Vec<_>>(),
                );
            } else {
                let mut t = output::table(&["setting", "value", "meaning"]);
                for (k, v, w) in rows {
                    output::row(&mut t, vec![k.to_string(), v, w.to_string()]);
                }
                println!("{t}");
            }
        }
        Command::Set { key, value } => {
            let Some(setting) = settings::find(&key) else {
                let names: Vec<&str> = SETTINGS.iter().map(|s| s.key).collect();
                return Err(UserError::usage(format!("unknown setting '{key}'"))
                    .hint(format!("settings: {}", names.join(", ")))
                    .into());
            };
            let n = value
                .trim()
                .parse::<i64>()
                .map_err(|_| setting.check(i64::MIN).unwrap_err())
                .and_then(|n| setting.check(n));
            let n =
                n.map_err(|range| UserError::usage(format!("setting {key} = '{value}' is out of range: {range}")))?;
            let value = n.to_string();
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
