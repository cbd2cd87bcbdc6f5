//! `hcp handback <id> …` and `hcp handback multiple …`: a provider gives packages back (SPEC §9).

use super::ctx::Ctx;
use super::output;
use super::record::record;
use super::view;
use super::{Exit, Outcome};
use crate::domain::dates::{json_instant, show_date, show_instant, store_instant};
use crate::domain::handback::{hand_back, multiple_notice, Notice};
use crate::domain::model::{ExitType, HandbackReason, ProviderStatus};
use crate::domain::waiting::Rule;
use crate::error::UserError;
use crate::store::escalations::{self, NewEscalation};
use crate::store::events::Event;
use crate::store::lifecycle::{apply, Stamp};
use crate::store::{exits, providers, reference, referrals};
use serde::Serialize;
use serde_json::json;

/// Record a provider handing a package back. The ASM is told at once (`handback` escalation).
/// The package goes back on the list from the notice, unless the reason is the client's choice
/// or preference of call times: then it is not re-added and ends when care ends.
#[derive(Debug, clap::Args)]
#[command(
    args_conflicts_with_subcommands = true,
    after_help = "Example:
  hcp handback 12 --reason capacity --end 2026-11-27 --notified \"2026-11-23 08:45\"
  hcp handback 14 --reason client-choice --end 2026-11-30
  hcp handback multiple --provider \"Alpha Care\" --notified \"2026-11-23 09:30\" --end 2026-11-27 --all --exit planned"
)]
pub struct Args {
    #[command(subcommand)]
    pub multiple: Option<Sub>,
    /// The referral handed back.
    pub id: Option<i64>,
    /// Why the provider hands it back.
    #[arg(long, value_name = "R", requires = "id")]
    pub reason: Option<HandbackReason>,
    /// The last day the provider gives care.
    #[arg(long, value_name = "D", requires = "id")]
    pub end: Option<String>,
    /// When the provider gave notice (default: now).
    #[arg(long, value_name = "T")]
    pub notified: Option<String>,
    /// Anything the provider said.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

#[derive(Debug, clap::Subcommand)]
pub enum Sub {
    /// A provider's notice covering several clients, or its exit from the market.
    Multiple(MultipleArgs),
}

/// A multiple handback (or a provider exit with --exit): every package goes back on the list;
/// the ASM's teleconference with the provider is due within 24 hours; with --exit the provider
/// is suspended at once and the exit tracker opens.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:
  hcp handback multiple --provider \"Alpha Care\" --notified \"2026-11-23 09:30\" --end 2026-11-27 --clients 100234,100235
  hcp handback multiple --provider \"Alpha Care\" --notified \"2026-11-23 09:30\" --end 2026-11-27 --all --exit planned")]
pub struct MultipleArgs {
    /// The provider giving notice.
    #[arg(long, value_name = "P")]
    pub provider: String,
    /// When the notice came.
    #[arg(long, value_name = "T")]
    pub notified: String,
    /// The last day the provider gives care.
    #[arg(long, value_name = "D")]
    pub end: String,
    /// The clients' Swift ids (comma-separated).
    #[arg(long, value_name = "IDS", value_delimiter = ',', required_unless_present = "all", conflicts_with = "all")]
    pub clients: Vec<String>,
    /// Every package placed with the provider.
    #[arg(long)]
    pub all: bool,
    /// The provider is leaving the market: suspended at once, the exit tracker opens.
    #[arg(long, value_name = "TYPE")]
    pub exit: Option<ExitType>,
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    if let Some(Sub::Multiple(m)) = args.multiple {
        return multiple(ctx, m);
    }
    let id = args.id.ok_or_else(|| UserError::usage("give the referral id, or `hcp handback multiple`"))?;
    let reason = args.reason.ok_or_else(|| UserError::usage("a handback needs --reason"))?;
    let end = super::ctx::parse_date_arg(
        "--end",
        args.end.as_deref().ok_or_else(|| UserError::usage("a handback needs --end D"))?,
    )?;
    let notified = ctx.at(args.notified.as_deref())?;
    let (r, _) = record(ctx, id, args.notified.as_deref(), |v, _, _| {
        let provider = v.provider.clone().unwrap_or_else(|| "the provider".into());
        hand_back(&v.r, v.state, &Notice { reason, notified, end, note: args.note.clone(), provider })
    })?;
    let rules = ctx.rules()?;
    let now = ctx.now;
    let v = view::load(ctx.store()?.conn(), &rules, now, r.id)?;
    if ctx.json {
        output::json(&v.to_json(now));
    } else if reason.re_added() {
        println!(
            "Referral {id} handed back ({reason}): care ends {}; back on the list, RAG {}.",
            show_date(end),
            v.rag.map(|g| g.as_str()).unwrap_or("-")
        );
        println!("The ASM is told (`hcp escalate list --open`). Next: hcp offer {id}");
    } else {
        println!("Referral {id} handed back ({reason}): not re-added; the package ends on {}.", show_date(end));
    }
    Ok(Exit::Done)
}

/// SPEC §17 multiple-handback JSON.
#[derive(Debug, Serialize)]
struct MultipleJson {
    provider: String,
    notified: String,
    end: chrono::NaiveDate,
    notice_days: i64,
    short_notice: bool,
    teleconference_due: String,
    provider_teleconference_due: String,
    referrals: Vec<i64>,
    clients: usize,
    exit_type: Option<ExitType>,
    reminders: Vec<&'static str>,
}

/// The packages a notice covers: every one placed with the provider, or the clients named.
fn chosen_clients(
    tx: &rusqlite::Connection,
    p: &providers::Provider,
    m: &MultipleArgs,
) -> anyhow::Result<Vec<crate::domain::record::Referral>> {
    let placed = referrals::placed_with(tx, p.id)?;
    if m.all {
        return Ok(placed);
    }
    let mut out = Vec::new();
    for c in &m.clients {
        let found = placed.iter().find(|r| r.client_id == c.trim()).cloned().ok_or_else(|| {
            UserError::new(format!("client {} has no package placed with {}", c.trim(), p.name))
                .hint(format!("`hcp referral find {}` shows their referrals", c.trim()))
        })?;
        out.push(found);
    }
    Ok(out)
}

fn multiple(ctx: &mut Ctx, m: MultipleArgs) -> Outcome {
    let notified = ctx.at(Some(&m.notified))?;
    let end = super::ctx::parse_date_arg("--end", &m.end)?;
    let rules = ctx.rules()?;
    let (now, user, json) = (ctx.now, ctx.user.clone(), ctx.json);
    let stamp = Stamp { at: notified, now, user: &user };
    let (now_s, at_s) = (store_instant(now), store_instant(notified));
    let notice = multiple_notice(notified, end);
    let (provider, ids) = ctx.store()?.write(|tx| {
        let p = providers::get(tx, reference::find_provider(tx, &m.provider)?.id)?;
        let chosen = chosen_clients(tx, &p, &m)?;
        if chosen.is_empty() {
            return Err(UserError::new(format!("{} has no placed packages to hand back", p.name)).into());
        }
        let exit_id = match m.exit {
            Some(t) => Some(exits::open(tx, p.id, t, notified, end, &now_s, &user)?),
            None => None,
        };
        let mut ids = Vec::new();
        for r in &chosen {
            let v = view::load(tx, &rules, now, r.id)?;
            let n = Notice { reason: HandbackReason::Notice, notified, end, note: None, provider: p.name.clone() };
            let t = hand_back(&v.r, v.state, &n)?;
            apply(tx, &v.r, t, &stamp)?;
            if let Some(x) = exit_id {
                exits::add_client(tx, x, r.id)?;
            }
            ids.push(r.id);
        }
        let trigger = format!("notice-{}-{at_s}", p.id);
        let raise = |rule: Rule, note: String| -> anyhow::Result<()> {
            let e = NewEscalation {
                referral_id: None,
                area_id: None,
                provider_id: Some(p.id),
                rule,
                to: rule.recipient(),
                trigger_key: &trigger,
                note: &note,
                raised_at: &at_s,
                raised_by: &user,
            };
            escalations::raise_once(tx, &e, &now_s)?;
            Ok(())
        };
        raise(
            Rule::MultipleHandbackTeleconference,
            format!("{} hands back {} packages ({} days' notice): teleconference with the provider by {}", p.name, ids.len(), notice.notice_days, show_instant(notice.teleconference_due)),
        )?;
        raise(
            Rule::ProviderTeleconference,
            format!("if {}'s handback goes ahead: urgent teleconference with clustered and other contracted providers and POs by {}", p.name, show_instant(notice.provider_teleconference_due)),
        )?;
        if let (Some(t), Some(x)) = (m.exit, exit_id) {
            let mut after = p.clone();
            after.status = ProviderStatus::Suspended;
            providers::update(tx, &after)?;
            Event::new("provider suspended: exit", "provider", &at_s, &now_s, &user)
                .on(Some(p.id), None)
                .details(json!({ "exit": x, "exit_type": t, "end": end }))
                .change(Some(json!({ "status": p.status })), Some(json!({ "status": after.status })))
                .append(tx)?;
            raise(Rule::ExitDebrief, format!("{} exits ({t}): debrief within two weeks; CQC to be informed; SWIFT contract review 3 months after {}", p.name, show_date(end)))?;
        }
        Ok((p.name, ids))
    })?;
    let reminders = vec![
        "inform the KEaH operational manager and the AD",
        "clients at risk go to the Team Manager; respite needs the AD's agreement; KEaH is the last resort",
    ];
    if json {
        output::json(&MultipleJson {
            provider,
            notified: json_instant(notified),
            end,
            notice_days: notice.notice_days,
            short_notice: notice.short_notice,
            teleconference_due: json_instant(notice.teleconference_due),
            provider_teleconference_due: json_instant(notice.provider_teleconference_due),
            clients: ids.len(),
            referrals: ids,
            exit_type: m.exit,
            reminders,
        });
        return Ok(Exit::Done);
    }
    print_multiple(&provider, &ids, end, &notice, m.exit.is_some(), &reminders);
    Ok(Exit::Done)
}

fn print_multiple(
    provider: &str,
    ids: &[i64],
    end: chrono::NaiveDate,
    notice: &crate::domain::handback::MultipleNotice,
    exit: bool,
    reminders: &[&str],
) {
    println!(
        "{provider} hands back {} packages: care ends {} ({} days' notice{}).",
        ids.len(),
        show_date(end),
        notice.notice_days,
        if notice.short_notice { ", SHORT NOTICE: under 5 days" } else { "" }
    );
    println!("  Referrals back on the list: {}", ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", "));
    println!("  ASM teleconference with the provider by {}.", show_instant(notice.teleconference_due));
    println!(
        "  If it goes ahead: teleconference with the other providers and POs by {}.",
        show_instant(notice.provider_teleconference_due)
    );
    for r in reminders {
        println!("  Remember: {r}.");
    }
    if exit {
        println!("  {provider} is suspended (no new offers). The exit tracker: hcp exit status \"{provider}\"");
    }
}
