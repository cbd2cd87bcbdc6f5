//! `hcp provider add NAME --type contracted|non-contracted`.

use crate::cli::ctx::Ctx;
use crate::cli::{output, Exit, Outcome};
use crate::domain::model::{CqcRating, ProviderType};
use crate::error::UserError;
use crate::store::events::Event;
use crate::store::{providers, reference};

/// Add a home care provider. Providers never ship with hcp: they are local and commercially sensitive.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:
  hcp provider add \"Alpha Care\" --type contracted --area \"Canterbury & Coastal\" --email alpha@example.org --senior-email boss@alpha.example.org
  hcp provider add \"Epsilon Homecare\" --type non-contracted --area Thanet --cqc-rating good --exceptions-list")]
pub struct Args {
    /// The provider's name (unique, any case).
    pub name: String,
    /// The provider's contract with KCC.
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: ProviderType,
    /// An area the provider covers (repeatable).
    #[arg(long = "area", value_name = "A")]
    pub areas: Vec<String>,
    /// The rating at the provider's most recent CQC inspection.
    #[arg(long, value_name = "RATING")]
    pub cqc_rating: Option<CqcRating>,
    /// On KCC's exceptions list (a non-contracted placement is then an Exception, not an Indi).
    #[arg(long)]
    pub exceptions_list: bool,
    /// Where offers go.
    #[arg(long, value_name = "E")]
    pub email: Option<String>,
    /// The senior representative copied on decline emails.
    #[arg(long, value_name = "E")]
    pub senior_email: Option<String>,
}

pub fn run(ctx: &mut Ctx, args: Args) -> Outcome {
    let (kind, cqc) = (args.kind, args.cqc_rating);
    let name = args.name.trim().to_string();
    if name.is_empty() {
        return Err(UserError::usage("the provider's name is empty").into());
    }
    if name.chars().any(char::is_control) {
        return Err(UserError::usage("the provider's name holds a control character").into());
    }
    for (flag, v) in [("--email", &args.email), ("--senior-email", &args.senior_email)] {
        if let Some(e) = v {
            crate::domain::text::check_email(e)
                .map_err(|why| UserError::usage(format!("{flag} '{}' {why}", crate::domain::text::visible(e))))?;
        }
    }
    let (now_s, user, json) = (ctx.now_str(), ctx.user.clone(), ctx.json);
    let store = ctx.store()?;
    let id = store.write(|tx| {
        // Names that differ only in case, spacing or punctuation are the same provider.
        let key = crate::domain::text::fold(&name);
        if let Some((id, existing)) =
            providers::names(tx)?.into_iter().find(|(_, n)| crate::domain::text::fold(n) == key)
        {
            return Err(UserError::new(format!("a provider named '{existing}' already exists (id {id})"))
                .hint(format!(
                    "'{name}' is the same name written differently; `hcp provider show \"{existing}\"` shows it"
                ))
                .into());
        }
        let mut area_ids = Vec::new();
        for a in &args.areas {
            area_ids.push(reference::find_area(tx, a)?.id);
        }
        let id = providers::insert(
            tx,
            &providers::NewProvider {
                name: &name,
                kind,
                area_ids: &area_ids,
                cqc,
                exceptions_list: args.exceptions_list,
                email: args.email.as_deref(),
                senior_email: args.senior_email.as_deref(),
                created_at: &now_s,
            },
        )?;
        let p = providers::get(tx, id)?;
        Event::new("provider added", "provider", &now_s, &now_s, &user)
            .on(Some(id), None)
            .change(None, Some(serde_json::to_value(&p)?))
            .append(tx)?;
        Ok(id)
    })?;
    let p = providers::get(store.conn(), id)?;
    if json {
        output::json(&p);
    } else {
        println!(
            "Provider {} added: {} ({}), areas: {}",
            p.id,
            p.name,
            p.kind,
            if p.areas.is_empty() { "none".into() } else { p.areas.join(", ") }
        );
    }
    Ok(Exit::Done)
}
