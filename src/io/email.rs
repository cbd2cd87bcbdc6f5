//! The messages Purchasing sends: the missing-information email to the referrer (Appendix 3),
//! the anonymised offer message to a provider, and the decline acknowledgement (Appendix 6).

use crate::domain::completeness::Missing;
use crate::domain::dates::show_instant;
use crate::domain::text::{postcode_district, show_hours};
use crate::store::referrals::Referral;
use chrono::{DateTime, Utc};

/// Appendix 3: back to the referrer with each missing item in plain words and room for free
/// text. The subject names the client id, never the name.
pub fn missing_information(r: &Referral, missing: &[Missing]) -> String {
    let mut s = String::new();
    s.push_str(&format!("To: {}\n", r.referrer_email.as_deref().unwrap_or("(no referrer email recorded)")));
    s.push_str(&format!("Subject: Purchasing referral for client {}: information needed\n\n", r.client_id));
    s.push_str(&format!("Dear {},\n\n", r.referrer));
    s.push_str(&format!(
        "Thank you for your referral for client {} (hcp referral {}). We cannot start sourcing care until we have:\n\n",
        r.client_id, r.id
    ));
    for m in missing {
        s.push_str(&format!("  - {}\n", m.sentence));
    }
    s.push_str("\nFurther information:\n\n  [free text]\n\n");
    s.push_str("Please send the missing items by secure email and we will add the client to the packages to be placed list.\n\n");
    s.push_str("Kind regards,\nPurchasing Team\n");
    s
}

/// What a provider is told about a package (SPEC §6): area, MSOA and its rurality, cluster, calls,
/// hours, double-handed, start, needs. Never the name, address, full postcode, date of birth or id.
pub struct OfferMessage<'a> {
    pub area: &'a str,
    pub cluster: &'a str,
    pub msoa: &'a str,
    pub msoa_name: &'a str,
    pub rurality: &'a str,
    pub postcode: Option<&'a str>,
    pub referral: &'a Referral,
    pub deadline: DateTime<Utc>,
    pub placement_type: &'a str,
    /// Where it goes: the provider's offers address.
    pub to: Option<&'a str>,
    pub provider: &'a str,
}

/// `Label:` padded so the values line up.
fn field(s: &mut String, label: &str, value: impl std::fmt::Display) {
    s.push_str(&format!("  {:<18} {}\n", format!("{label}:"), value));
}

pub fn offer_message(m: &OfferMessage) -> String {
    let r = m.referral;
    let mut needs = Vec::new();
    if r.double_handed {
        needs.push("double-handed calls");
    }
    if r.dementia {
        needs.push("dementia / cognitive impairment");
    }
    if r.lives_alone {
        needs.push("lives alone");
    }
    if r.hospital_discharge {
        needs.push("hospital discharge");
    }
    if r.time_critical.is_some() {
        needs.push("time-critical calls");
    }
    if r.risk.is_some() {
        needs.push("risk assessment available on request");
    }
    let mut s = String::new();
    s.push_str(&format!("To: {}\n", m.to.unwrap_or("(no email recorded for this provider)")));
    s.push_str(&format!("Subject: Package of care available: {} cluster, {}\n\n", m.cluster, m.area));
    s.push_str(&format!("Dear {},\n\nA package of care is available:\n\n", m.provider));
    field(&mut s, "Area", m.area);
    field(&mut s, "Cluster", m.cluster);
    field(&mut s, "MSOA", format!("{} {} ({})", m.msoa, m.msoa_name, m.rurality));
    if let Some(pc) = m.postcode {
        field(&mut s, "Postcode district", postcode_district(pc));
    }
    field(&mut s, "Calls", format!("{} a day × {} minutes", r.calls_per_day, r.minutes_per_call));
    if r.days_per_week < 7 {
        field(&mut s, "Days a week", r.days_per_week);
    }
    field(&mut s, "Hours per week", show_hours(r.weekly_minutes));
    field(&mut s, "Double-handed", if r.double_handed { "yes" } else { "no" });
    field(&mut s, "Requested start", r.start_date.format("%d/%m/%Y"));
    let needs = if needs.is_empty() { "personal care (details on request)".to_string() } else { needs.join(", ") };
    field(&mut s, "Needs", needs);
    if m.placement_type != "contract" {
        let contract = if m.placement_type == "exception" { "Exception" } else { "Indi (individual contract)" };
        field(&mut s, "Contract", contract);
    }
    s.push_str(&format!(
        "\nPlease reply by {} (2 hours). No reply by then counts as a decline.\nFull referral documents follow by secure email on request.\n",
        show_instant(m.deadline)
    ));
    s
}

/// Appendix 6: acknowledgement of a clustered provider's decline, copied to its senior representative.
pub fn decline_email(
    provider: &str,
    to: Option<&str>,
    cc: Option<&str>,
    offered: DateTime<Utc>,
    reason: &str,
    area: &str,
    cluster: &str,
) -> String {
    format!(
        "To:      {}\nCc:      {}\nSubject: Package of care declined ({area}, {cluster} cluster)\n\n\
Dear {provider},\n\n\
Thank you for considering the package of care offered on {} in the {cluster} cluster.\n\
We have recorded that you declined it (reason: {reason}).\n\n\
As a clustered provider you have agreed to accept packages in this cluster; declines are\n\
monitored and discussed at contract meetings. Please tell us as soon as capacity becomes available.\n\n\
Kind regards,\nPurchasing Team\n",
        to.unwrap_or("(no provider email recorded)"),
        cc.unwrap_or("(no senior representative email recorded)"),
        show_instant(offered),
    )
}
