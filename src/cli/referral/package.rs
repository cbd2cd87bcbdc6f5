//! The referral's details on the command line: every flag of `referral add`, all optional so
//! `update` can reuse them, and how they are copied onto a referral (checked, bounded, trimmed).

use super::place;
use crate::cli::ctx::{parse_date_arg, parse_time_arg};
use crate::domain::completeness::planned_weekly_minutes;
use crate::domain::model::{Funding, Item, Team};
use crate::domain::record::Referral;
use crate::domain::text::{normalise_postcode, parse_hours_to_minutes, parse_pence};
use crate::error::UserError;
use crate::store::reference;
use anyhow::Result;
use rusqlite::Connection;

/// The referral's details: every flag of `referral add`, all optional so `update` can reuse them.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PackageArgs {
    /// The client's Swift/AIS id (kept as text: leading zeros stay).
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
    /// The client's name, exactly as it should be shown.
    #[arg(long)]
    pub name: Option<String>,
    /// The client's postcode (any spacing or case); it places the client in an MSOA, cluster and area.
    #[arg(long, value_name = "PC")]
    pub postcode: Option<String>,
    /// The referring team.
    #[arg(long)]
    pub team: Option<Team>,
    /// The referrer's name.
    #[arg(long, value_name = "NAME")]
    pub referrer: Option<String>,
    /// Where the missing-information email goes.
    #[arg(long, value_name = "E")]
    pub referrer_email: Option<String>,
    /// When the referral arrived (default: now).
    #[arg(long, value_name = "T")]
    pub received: Option<String>,
    /// The requested start date.
    #[arg(long, value_name = "D")]
    pub start: Option<String>,
    /// Calls per day (1 to 12).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(1..=12))]
    pub calls_per_day: Option<i64>,
    /// Minutes per call (5 to 240).
    #[arg(long, value_name = "M", value_parser = clap::value_parser!(i64).range(5..=240))]
    pub minutes: Option<i64>,
    /// Days a week the calls run (1 to 7; default 7).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(1..=7))]
    pub days_per_week: Option<i64>,
    /// Hours per week as 12.5 or 12:30 (default: calls × minutes × days); for double-handed
    /// calls the client's hours or the carer hours (twice as many).
    #[arg(long, value_name = "H")]
    pub hours_per_week: Option<String>,
    /// Calls need two carers.
    #[arg(long)]
    pub double_handed: bool,
    /// The client lives alone.
    #[arg(long)]
    pub lives_alone: bool,
    /// The client is known to ACT (a BICA is then required).
    #[arg(long)]
    pub known_to_act: bool,
    /// Dementia or cognitive impairment.
    #[arg(long)]
    pub dementia: bool,
    /// Who pays.
    #[arg(long)]
    pub funding: Option<Funding>,
    /// Discharge from hospital: red on the list from day one.
    #[arg(long)]
    pub hospital_discharge: bool,
    /// Currently in KEaH waiting for an ongoing package (an overstayer: red on the list).
    #[arg(long)]
    pub in_keah: bool,
    /// Had a recent KEaH episode (the Final Review Form is then required).
    #[arg(long)]
    pub recent_keah: bool,
    /// The client bypasses KEaH (Team Manager approval is then required).
    #[arg(long)]
    pub bypass_keah: bool,
    /// KEaH self-funders: the day enablement ended (starts the 5-working-day grace period).
    #[arg(long, value_name = "D")]
    pub enablement_ended: Option<String>,
    /// A risk to flag (a risk assessment is then required).
    #[arg(long, value_name = "TEXT")]
    pub risk: Option<String>,
    /// Time-critical calls and why (Team Manager approval is then required).
    #[arg(long, value_name = "TEXT")]
    pub time_critical: Option<String>,
    /// Documents received (repeatable or comma-separated): financial-authorisation, referral-form,
    /// charging-letter, ais-updated, bica, final-review, risk-assessment, tm-approval.
    #[arg(long = "doc", value_name = "ITEM", value_delimiter = ',')]
    pub docs: Vec<String>,
    /// The weekly amount authorised, e.g. £400 or 1,234.50.
    #[arg(long, value_name = "AMOUNT")]
    pub authorised_weekly: Option<String>,
    /// The estimated weekly cost.
    #[arg(long, value_name = "AMOUNT")]
    pub estimated_weekly: Option<String>,
    /// Place the client in this cluster by hand (e.g. when the postcode is not in Kent's table).
    #[arg(long, value_name = "C")]
    pub cluster: Option<String>,
    /// Free notes for the team (never sent to providers).
    #[arg(long, value_name = "TEXT")]
    pub notes: Option<String>,
    /// Date of birth (never shown to providers).
    #[arg(long, value_name = "D")]
    pub dob: Option<String>,
    /// Address (never shown to providers).
    #[arg(long)]
    pub address: Option<String>,
    /// Next of kin: name and how to reach them (never shown to providers).
    #[arg(long, value_name = "TEXT")]
    pub next_of_kin: Option<String>,
    /// A minor change to an existing package (no new PIR needed).
    #[arg(long)]
    pub minor_change: bool,
    /// The client group (flexible care is open to older people and physical disability).
    #[arg(long, value_name = "GROUP")]
    pub client_group: Option<crate::domain::model::ClientGroup>,
    /// The service the package belongs to.
    #[arg(long, value_name = "SERVICE")]
    pub service: Option<crate::domain::model::Service>,
    /// The client receives direct payments.
    #[arg(long)]
    pub direct_payment: bool,
    /// The client is eligible for enablement.
    #[arg(long)]
    pub enablement_eligible: bool,
    /// The package type for its rate (complex needs funding-panel approval).
    #[arg(long, value_name = "TYPE")]
    pub rate_type: Option<crate::domain::model::RateType>,
    /// Sleep-in nights a week (0 to 7).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(0..=7))]
    pub sleep_nights: Option<i64>,
    /// Waking nights a week (0 to 7).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(0..=7))]
    pub wake_nights: Option<i64>,
    /// When this entry was made (default: now); the list date follows --received.
    #[arg(long, value_name = "T")]
    pub at: Option<String>,
    /// Add it even though the client already has an open referral.
    #[arg(long)]
    pub allow_duplicate: bool,
    /// Write the missing-information email to FILE instead of printing it.
    #[arg(long, value_name = "FILE")]
    pub email_to: Option<std::path::PathBuf>,
    /// Replace the --email-to file if it exists.
    #[arg(long, requires = "email_to")]
    pub force: bool,
}

/// A weekly amount in pence: £0 up to (not including) £100,000 a week.
fn weekly_amount(flag: &str, value: &str) -> Result<i64> {
    let pence = parse_pence(value)
        .ok_or_else(|| UserError::usage(format!("--{flag} '{value}' is not an amount such as £400 or 1,234.50")))?;
    if !(0..10_000_000).contains(&pence) {
        return Err(UserError::usage(format!("--{flag} '{value}' is out of range: £0 up to £99,999.99 a week")).into());
    }
    Ok(pence)
}

impl PackageArgs {
    /// Check the --email-to file before anything is saved (never the database, never over a file
    /// without --force).
    pub fn check_email_to(&self, db: &std::path::Path) -> Result<()> {
        match &self.email_to {
            Some(p) => crate::io::files::check(&crate::io::files::Target { path: p.clone(), force: self.force }, db),
            None => Ok(()),
        }
    }
}

/// Copy the given flags onto a referral. Text is stored exactly as typed (trimmed).
pub fn apply(conn: &Connection, r: &mut Referral, a: &PackageArgs) -> Result<()> {
    apply_client(r, a)?;
    apply_package(r, a)?;
    apply_flags(r, a);
    apply_documents(r, a)?;
    apply_details(r, a)?;
    if let Some(v) = &a.postcode {
        let pc = normalise_postcode(v).unwrap_or_else(|| v.trim().to_string());
        r.postcode = Some(pc).filter(|s| !s.is_empty());
        place(conn, r)?;
    }
    if let Some(c) = &a.cluster {
        let cluster = reference::find_cluster(conn, c)?;
        r.cluster_id = Some(cluster.id);
        r.cluster_by_hand = true;
    }
    Ok(())
}

/// Who the client is, who referred them, when.
fn apply_client(r: &mut Referral, a: &PackageArgs) -> Result<()> {
    for (flag, v) in [("--client-id", &a.client_id), ("--name", &a.name), ("--referrer", &a.referrer)] {
        if v.as_deref().is_some_and(|v| v.chars().any(char::is_control)) {
            return Err(UserError::usage(format!("{flag} holds a control character"))
                .hint("type it again as plain text")
                .into());
        }
    }
    for (flag, v) in [("--referrer-email", &a.referrer_email)] {
        if let Some(e) = v {
            crate::domain::text::check_email(e)
                .map_err(|why| UserError::usage(format!("{flag} '{}' {why}", crate::domain::text::visible(e))))?;
        }
    }
    if let Some(v) = &a.client_id {
        let v = v.trim();
        if v.is_empty() {
            return Err(UserError::usage("--client-id is empty").hint("give the client's Swift/AIS id").into());
        }
        r.client_id = v.to_string();
    }
    if let Some(v) = &a.name {
        if v.trim().is_empty() {
            return Err(UserError::usage("--name is empty").into());
        }
        r.name = v.trim().to_string();
    }
    if let Some(v) = a.team {
        r.team = v;
    }
    if let Some(v) = &a.referrer {
        r.referrer = v.trim().to_string();
    }
    if let Some(v) = &a.referrer_email {
        r.referrer_email = Some(v.trim().to_string()).filter(|s| !s.is_empty());
    }
    if let Some(v) = &a.received {
        r.received_at = parse_time_arg("--received", v)?;
    }
    if let Some(v) = &a.start {
        r.start_date = parse_date_arg("--start", v)?;
    }
    Ok(())
}

/// The package: calls, minutes, days, hours (client or carer hours), nights, rate type.
fn apply_package(r: &mut Referral, a: &PackageArgs) -> Result<()> {
    if let Some(v) = a.calls_per_day {
        r.calls_per_day = v;
    }
    if let Some(v) = a.minutes {
        r.minutes_per_call = v;
    }
    if let Some(v) = a.days_per_week {
        r.days_per_week = v;
    }
    r.double_handed |= a.double_handed;
    if let Some(v) = &a.hours_per_week {
        let minutes = parse_hours_to_minutes(v).ok_or_else(|| {
            UserError::usage(format!("--hours-per-week '{v}' is not a number of hours"))
                .hint("write hours as 12.5 or 12:30")
        })?;
        let carers = if r.double_handed { 2 } else { 1 };
        if minutes <= 0 || minutes > 168 * 60 * carers {
            return Err(UserError::usage(format!(
                "--hours-per-week '{v}' is out of range: more than 0 and at most {} hours a week",
                168 * carers
            ))
            .into());
        }
        r.weekly_minutes = minutes;
        r.hours_given = true;
    } else if !r.hours_given {
        r.weekly_minutes = planned_weekly_minutes(r.calls_per_day, r.minutes_per_call, r.days_per_week);
    }
    if let Some(t) = a.rate_type {
        r.rate_type = t;
    }
    if let Some(n) = a.sleep_nights {
        r.sleep_nights = n;
    }
    if let Some(n) = a.wake_nights {
        r.wake_nights = n;
    }
    Ok(())
}

/// Flags only ever set here (`referral update --clear` unsets them), and the client's groups.
fn apply_flags(r: &mut Referral, a: &PackageArgs) {
    r.lives_alone |= a.lives_alone;
    r.known_to_act |= a.known_to_act;
    r.dementia |= a.dementia;
    r.hospital_discharge |= a.hospital_discharge;
    r.in_keah |= a.in_keah;
    r.recent_keah |= a.recent_keah;
    r.bypass_keah |= a.bypass_keah;
    r.minor_change |= a.minor_change;
    r.direct_payment |= a.direct_payment;
    r.enablement_eligible |= a.enablement_eligible;
    if a.client_group.is_some() {
        r.client_group = a.client_group;
    }
    if a.service.is_some() {
        r.service = a.service;
    }
    if a.funding.is_some() {
        r.funding = a.funding;
    }
}

/// Documents received and the amounts authorised and estimated.
fn apply_documents(r: &mut Referral, a: &PackageArgs) -> Result<()> {
    for d in a.docs.iter().map(|d| d.trim()).filter(|d| !d.is_empty()) {
        let item = Item::parse(d).filter(|i| i.is_document()).ok_or_else(|| {
            UserError::usage(format!("--doc '{d}' is not a document hcp knows"))
                .hint(format!("use one of: {}", Item::document_names()))
        })?;
        r.add_doc(item);
        r.docs_assumed = false;
    }
    if let Some(v) = &a.authorised_weekly {
        r.authorised_weekly_pence = Some(weekly_amount("authorised-weekly", v)?);
    }
    if let Some(v) = &a.estimated_weekly {
        r.estimated_weekly_pence = Some(weekly_amount("estimated-weekly", v)?);
    }
    Ok(())
}

/// Free text and personal details (never shown to providers).
fn apply_details(r: &mut Referral, a: &PackageArgs) -> Result<()> {
    if let Some(v) = &a.enablement_ended {
        r.enablement_ended = Some(parse_date_arg("--enablement-ended", v)?);
    }
    if let Some(v) = &a.risk {
        r.risk = Some(v.trim().to_string()).filter(|s| !s.is_empty());
    }
    if let Some(v) = &a.time_critical {
        r.time_critical = Some(v.trim().to_string()).filter(|s| !s.is_empty());
    }
    if let Some(v) = &a.notes {
        r.notes = Some(v.clone());
    }
    if let Some(v) = &a.dob {
        r.date_of_birth = Some(parse_date_arg("--dob", v)?);
    }
    if let Some(v) = &a.address {
        r.address = Some(v.trim().to_string());
    }
    if let Some(v) = &a.next_of_kin {
        r.next_of_kin = Some(v.trim().to_string());
    }
    Ok(())
}
