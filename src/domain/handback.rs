//! Handbacks and provider exits (SPEC §9, Guidance handbacks, seed 001): a provider gives a
//! package back; the ASM is told at once; the package goes back on the list unless the client
//! chose to end it; a notice covering several clients sets the ASM's teleconference within 24
//! hours; an exit opens the tracker, whose clients are rated by risk.

use super::dates::{london_date, show_date, store_instant};
use super::model::{HandbackReason, Rag, State};
use super::record::Referral;
use super::transition::{Raise, Transition};
use super::waiting::Rule;
use crate::error::UserError;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::json;

/// A provider's notice about one package.
#[derive(Debug, Clone)]
pub struct Notice {
    pub reason: HandbackReason,
    pub notified: DateTime<Utc>,
    /// The last day the provider gives care.
    pub end: NaiveDate,
    pub note: Option<String>,
    pub provider: String,
}

/// `hcp handback`: one package handed back. Refused unless the package is placed (confirmed or
/// active) or when care would end before the notice came.
pub fn hand_back(r: &Referral, state: State, n: &Notice) -> Result<Transition, UserError> {
    if !matches!(state, State::Active | State::Confirmed) {
        return Err(UserError::new(format!("referral {} is {state}; only a placed package can be handed back", r.id))
            .hint("a package not yet placed is simply offered again or cancelled"));
    }
    if n.end < london_date(n.notified) {
        return Err(UserError::usage(format!(
            "--end {} is before the notice ({})",
            show_date(n.end),
            show_date(london_date(n.notified))
        )));
    }
    let mut after = r.clone();
    after.handback = true;
    after.handback_reason = Some(n.reason);
    after.handback_notified = Some(n.notified);
    after.handback_end = Some(n.end);
    after.handback_provider_id = r.provider_id;
    let re_added = n.reason.re_added();
    if re_added {
        // Back on the list from the notice: the ladder walks again, the provider that handed it
        // back is skipped (its offer stands as accepted); what belonged to that placement goes.
        after.state = State::Waiting;
        after.list_date = Some(n.notified);
        after.provider_id = None;
        after.placement_type = None;
        after.accepted_at = None;
        after.form_sent_at = None;
        after.confirmed_at = None;
        after.confirmed_start = None;
        after.provider_ref = None;
        after.indi_completed_at = None;
        after.sdo_due = None;
        after.sdo_sent_at = None;
    }
    let what = if re_added {
        "back on the packages-to-be-placed list".to_string()
    } else {
        format!("not re-added: the package ends on {} ({})", show_date(n.end), n.reason)
    };
    let note =
        format!("{} hands back referral {}: {}; care ends {}; {what}", n.provider, r.id, n.reason, show_date(n.end));
    let mut t = Transition::new(if re_added { "handed back: re-listed" } else { "handed back: ends" }, after).details(
        json!({ "provider": n.provider, "reason": n.reason, "end": n.end, "notified": store_instant(n.notified),
                "re_added": re_added, "note": n.note }),
    );
    // Guidance: the PO tells the ASM at once.
    t.raise.push(Raise {
        rule: Rule::Handback,
        provider_id: r.provider_id,
        trigger: format!("handback-{}", store_instant(n.notified)),
        note,
    });
    Ok(t)
}

/// A package handed back for the client's choice or call times ends when care ends.
pub fn ended_by_handback(r: &Referral, today: NaiveDate) -> bool {
    r.handback && r.handback_reason.is_some_and(|h| !h.re_added()) && r.handback_end.is_some_and(|e| e < today)
}

/// What a notice covering several clients means for the ASM (Guidance handbacks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultipleNotice {
    pub notice_days: i64,
    /// Under the 5 days' notice a provider must give.
    pub short_notice: bool,
    /// The ASM's teleconference with the provider: within 24 hours of the notice.
    pub teleconference_due: DateTime<Utc>,
    /// If the handback goes ahead: the urgent teleconference with the clustered and other
    /// contracted providers and the POs (hcp sets it a day after the first).
    pub provider_teleconference_due: DateTime<Utc>,
}

pub fn multiple_notice(notified: DateTime<Utc>, end: NaiveDate) -> MultipleNotice {
    let notice_days = (end - london_date(notified)).num_days();
    MultipleNotice {
        notice_days,
        short_notice: notice_days < 5,
        teleconference_due: notified + Duration::hours(24),
        provider_teleconference_due: notified + Duration::hours(48),
    }
}

/// The exit tracker's RAG for a client (seed 001, Appendix Two): red for two or more of living
/// alone, high hours, dementia; amber for one.
pub fn exit_rag(lives_alone: bool, weekly_minutes: i64, dementia: bool, high_hours_minutes: i64) -> Rag {
    match [lives_alone, weekly_minutes >= high_hours_minutes, dementia].iter().filter(|b| **b).count() {
        0 => Rag::Green,
        1 => Rag::Amber,
        _ => Rag::Red,
    }
}

/// A client of an exiting provider is safe when an incoming provider is recorded and the safety
/// check is done.
pub fn safe(incoming: bool, safety_checked: bool) -> bool {
    incoming && safety_checked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dates::parse_instant;

    fn t(s: &str) -> DateTime<Utc> {
        parse_instant(s).unwrap()
    }

    fn active() -> Referral {
        let mut r = Referral::new(t("2026-11-16 08:30"));
        r.id = 3;
        r.state = State::Active;
        r.provider_id = Some(1);
        r.sdo_sent_at = Some(t("2026-11-17 09:00"));
        r
    }

    fn notice(reason: HandbackReason) -> Notice {
        Notice {
            reason,
            notified: t("2026-11-23 08:45"),
            end: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            note: None,
            provider: "Alpha Care".into(),
        }
    }

    #[test]
    fn a_handback_for_capacity_goes_back_on_the_list_from_the_notice() {
        let tr = hand_back(&active(), State::Active, &notice(HandbackReason::Capacity)).unwrap();
        let r = &tr.referral;
        assert_eq!((r.state, r.handback, r.provider_id), (State::Waiting, true, None));
        assert_eq!(r.list_date, Some(t("2026-11-23 08:45")));
        assert_eq!(r.handback_provider_id, Some(1));
        assert_eq!(tr.raise[0].rule, Rule::Handback);
    }

    #[test]
    fn the_clients_choice_ends_the_package_instead() {
        let tr = hand_back(&active(), State::Active, &notice(HandbackReason::ClientChoice)).unwrap();
        assert_eq!(tr.referral.state, State::Active);
        let end = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert!(!ended_by_handback(&tr.referral, end));
        assert!(ended_by_handback(&tr.referral, end.succ_opt().unwrap()));
        assert!(hand_back(&active(), State::Waiting, &notice(HandbackReason::Capacity)).is_err());
    }

    #[test]
    fn four_days_notice_is_short_and_the_teleconference_is_due_a_day_later() {
        let m = multiple_notice(t("2026-11-23 09:30"), NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
        assert_eq!((m.notice_days, m.short_notice), (4, true));
        assert_eq!(m.teleconference_due, t("2026-11-24 09:30"));
        assert!(!multiple_notice(t("2026-11-23 09:30"), NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()).short_notice);
    }

    #[test]
    fn the_exit_tracker_rates_risk() {
        assert_eq!(exit_rag(true, 60, true, 840), Rag::Red);
        assert_eq!(exit_rag(false, 900, false, 840), Rag::Amber);
        assert_eq!(exit_rag(false, 60, false, 840), Rag::Green);
        assert!(safe(true, true) && !safe(true, false));
    }
}
