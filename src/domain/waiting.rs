//! The packages-to-be-placed list: working days waiting, RAG, and which escalations are due
//! (SPEC §8, Guidance "waiting list" and "roles").

use super::allocation::Needs;
use super::calendar::WorkingCalendar;
use super::model::{PlacementType, Rag, State, Team};
use super::record::Referral;
use super::responses::{outcome, OfferFacts, Outcome};
use chrono::{DateTime, NaiveDate, Utc};

super::model::words!(
    /// Escalation rules, by their SPEC §17 names.
    Rule {
        Waiting5 = "waiting-5",
        Waiting10 = "waiting-10",
        Lapsed = "lapsed",
        Considering = "considering",
        ConsideringExpired = "considering-expired",
        FutureStart = "future-start",
        NonContractedPermission = "non-contracted-permission",
        Sanctioned = "sanctioned",
        ConfirmationOverdue = "confirmation-overdue",
        SdoOverdue = "sdo-overdue",
        FinancialAssessmentOverdue = "financial-assessment-overdue",
        Handback = "handback",
        AreaTeleconference = "area-teleconference",
        KeahOverstayer = "keah-overstayer",
        FlexDay7 = "flex-day-7",
        MultipleHandbackTeleconference = "multiple-handback-teleconference",
        ProviderTeleconference = "provider-teleconference",
        ExitDebrief = "exit-debrief",
        PirOverdue = "pir-overdue",
        AisOverdue = "ais-overdue",
        Manual = "manual",
    }
);

super::model::words!(
    /// Who must act on an escalation.
    Recipient { Po = "po", Asm = "asm", Tm = "tm", Ad = "ad", Amt = "amt", Cm = "cm" }
);

impl Recipient {
    pub fn label(self) -> &'static str {
        match self {
            Recipient::Po => "Purchasing Officer",
            Recipient::Asm => "Area Support Manager",
            Recipient::Tm => "Team Manager / KEaH Locality Organiser",
            Recipient::Ad => "Assistant Director",
            Recipient::Amt => "Area Management Team",
            Recipient::Cm => "Case Manager",
        }
    }
}

impl Rule {
    /// SPEC §8: whom each rule goes to.
    pub fn recipient(self) -> Recipient {
        match self {
            Rule::Waiting5 | Rule::Waiting10 | Rule::KeahOverstayer => Recipient::Tm,
            Rule::Lapsed
            | Rule::ConfirmationOverdue
            | Rule::SdoOverdue
            | Rule::FinancialAssessmentOverdue
            | Rule::PirOverdue
            | Rule::AisOverdue => Recipient::Po,
            Rule::FlexDay7 => Recipient::Cm,
            _ => Recipient::Asm,
        }
    }
    pub fn plain(self) -> &'static str {
        match self {
            Rule::Waiting5 => "waiting 5+ working days: consider re-assessment",
            Rule::Waiting10 => "waiting 10+ working days: risk discussion; report in detail to AMT",
            Rule::Lapsed => "offer lapsed; approach the next provider",
            Rule::Considering => "provider still considering: approach the next provider meanwhile?",
            Rule::ConsideringExpired => "considering provider's answer-by time passed",
            Rule::FutureStart => "provider offered a later start date: accept it?",
            Rule::NonContractedPermission => {
                "contracted providers exhausted: permission to approach non-contracted providers"
            }
            Rule::Sanctioned => "placing with a sanctioned provider needs a joint ASM/AD/SM/Commissioning decision",
            Rule::ConfirmationOverdue => "accepted: confirmation form not sent within 2 hours",
            Rule::SdoOverdue => "SDO overdue",
            Rule::FinancialAssessmentOverdue => "financial assessment overdue",
            Rule::Handback => "package handed back",
            Rule::AreaTeleconference => "several clients waiting in the area: call an all-provider teleconference",
            Rule::KeahOverstayer => "overstayer in KEaH waiting for an ongoing package",
            Rule::FlexDay7 => "flexible care episode open 7 days: the package needs review",
            Rule::MultipleHandbackTeleconference => {
                "multiple handback: teleconference with the provider within 24 hours"
            }
            Rule::ProviderTeleconference => {
                "multiple handback going ahead: urgent teleconference with providers and POs"
            }
            Rule::ExitDebrief => "provider exit: debrief within two weeks",
            Rule::PirOverdue => "PIR review overdue",
            Rule::AisOverdue => "AIS/Swift update after the review overdue",
            Rule::Manual => "raised by hand",
        }
    }
}

/// Thresholds, stored as settings (`hcp settings set rag.red_days 10`).
#[derive(Debug, Clone, Copy)]
pub struct Thresholds {
    pub amber_days: u32,
    pub red_days: u32,
    /// Red when the requested start passed by this many working days.
    pub start_passed_red_days: u32,
    /// Red when a handed-back package's care ends within this many days.
    pub handback_red_days: i64,
    /// Area teleconference when this many referrals wait in one area.
    pub area_teleconference: usize,
}

impl Default for Thresholds {
    fn default() -> Self {
        use super::settings::default_of;
        Thresholds {
            amber_days: default_of("rag.amber_days") as u32,
            red_days: default_of("rag.red_days") as u32,
            start_passed_red_days: default_of("rag.start_passed_red_days") as u32,
            handback_red_days: default_of("rag.handback_red_days"),
            area_teleconference: default_of("escalate.area_teleconference") as usize,
        }
    }
}

/// What the list needs to know about one referral.
#[derive(Debug, Clone)]
pub struct ListFacts {
    pub state: State,
    pub team: Team,
    pub list_date: Option<NaiveDate>,
    pub start: NaiveDate,
    pub hospital_discharge: bool,
    /// Still in KEaH because no ongoing package has been found.
    pub overstayer: bool,
    pub handback_care_ends: Option<NaiveDate>,
}

/// SPEC §3: working days after the list date up to and including today.
pub fn working_days_waiting(cal: &WorkingCalendar, list_date: Option<NaiveDate>, today: NaiveDate) -> Option<u32> {
    list_date.map(|d| cal.working_days_between(d, today))
}

/// SPEC §8 RAG for a referral on the list; None when it is not on the list.
pub fn rag(f: &ListFacts, cal: &WorkingCalendar, th: &Thresholds, today: NaiveDate) -> Option<Rag> {
    if !f.state.on_list() {
        return None;
    }
    let waiting = working_days_waiting(cal, f.list_date, today).unwrap_or(0);
    let start_overdue = cal.working_days_between(f.start, today);
    let handback_close = f.handback_care_ends.is_some_and(|end| (end - today).num_days() <= th.handback_red_days);
    if waiting >= th.red_days
        || f.hospital_discharge
        || f.overstayer
        || handback_close
        || (today > f.start && start_overdue >= th.start_passed_red_days)
    {
        Some(Rag::Red)
    } else if waiting >= th.amber_days || today > f.start {
        Some(Rag::Amber)
    } else {
        Some(Rag::Green)
    }
}

/// Facts for the escalation rules of one referral.
#[derive(Debug, Clone)]
pub struct EscalationFacts<'a> {
    pub list: ListFacts,
    pub offers: &'a [OfferFacts],
    pub needs: Option<Needs>,
    pub accepted_at: Option<DateTime<Utc>>,
    /// The PO recorded the courtesy call and confirmation form (`hcp form-sent`).
    pub form_sent: bool,
    /// The care start on the returned confirmation form.
    pub confirmed_start: Option<NaiveDate>,
    /// An Indi placement whose contract is not complete: no SDO is due yet.
    pub indi_pending: bool,
    pub sdo_due: Option<NaiveDate>,
    pub sdo_sent: bool,
    pub fa_due: Option<NaiveDate>,
    pub fa_done: bool,
}

impl<'a> EscalationFacts<'a> {
    /// The facts of a stored referral, its list facts as of now and its offers.
    pub fn of(r: &Referral, list: ListFacts, offers: &'a [OfferFacts], needs: Option<Needs>) -> EscalationFacts<'a> {
        EscalationFacts {
            list,
            offers,
            needs,
            accepted_at: r.accepted_at,
            // The provider returned the form, so it was sent.
            form_sent: r.form_sent_at.is_some() || r.confirmed_at.is_some(),
            confirmed_start: r.confirmed_start,
            indi_pending: r.placement_type == Some(PlacementType::Indi) && r.indi_completed_at.is_none(),
            sdo_due: r.sdo_due,
            sdo_sent: r.sdo_sent_at.is_some(),
            fa_due: r.fa_due,
            fa_done: r.fa_done_at.is_some(),
        }
    }
}

/// One escalation that should exist. `trigger` identifies the event that caused it, so the same
/// rule for the same referral and the same trigger is raised once however often `escalate` runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub rule: Rule,
    pub to: Recipient,
    pub trigger: String,
    pub note: String,
}

fn due(rule: Rule, trigger: impl Into<String>, note: impl Into<String>) -> Due {
    Due { rule, to: rule.recipient(), trigger: trigger.into(), note: note.into() }
}

/// Every escalation SPEC §8 says is due for this referral as of now.
pub fn escalations_due(
    f: &EscalationFacts,
    cal: &WorkingCalendar,
    th: &Thresholds,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Vec<Due> {
    let mut out = Vec::new();
    let list_key = f.list.list_date.map(|d| d.to_string()).unwrap_or_default();
    if f.list.state.on_list() {
        let waiting = working_days_waiting(cal, f.list.list_date, today).unwrap_or(0);
        let who = if f.list.team == Team::Keah { "KEaH Locality Organiser" } else { "Team Manager" };
        if waiting >= th.amber_days {
            out.push(due(
                Rule::Waiting5,
                &list_key,
                format!("waiting {waiting} working days; {who} to consider re-assessment"),
            ));
        }
        if waiting >= th.red_days {
            out.push(due(
                Rule::Waiting10,
                &list_key,
                format!("waiting {waiting} working days; risk discussion with the {who}; listed for AMT"),
            ));
        }
        // Guidance, roles: an overstayer in KEaH goes to the ACT Team Manager.
        if f.list.overstayer {
            out.push(due(
                Rule::KeahOverstayer,
                &list_key,
                "overstayer in KEaH waiting for an ongoing package: ACT Team Manager to review",
            ));
        }
        if f.needs == Some(Needs::AsmPermissionNonContracted) {
            out.push(due(
                Rule::NonContractedPermission,
                &list_key,
                "clustered and other contracted providers exhausted",
            ));
        }
        // The latest offer's fate decides the offer rules.
        if let Some(o) = f.offers.iter().max_by_key(|o| (o.offered_at, o.id)) {
            let key = format!("offer-{}", o.id);
            match outcome(o, now) {
                Outcome::Lapsed { .. } => {
                    out.push(due(Rule::Lapsed, &key, "no answer within 2 hours; approach the next provider"))
                }
                Outcome::Considering { until } if f.needs == Some(Needs::AsmDecisionConsidering) => out.push(due(
                    Rule::Considering,
                    &key,
                    format!(
                        "provider answers by {}; approach the next provider meanwhile?",
                        super::dates::show_instant(until)
                    ),
                )),
                Outcome::ConsideringExpired { .. } => {
                    out.push(due(Rule::ConsideringExpired, &key, "no answer by the answer-by time"))
                }
                _ => {}
            }
            if let Some(fs) = o.future_start {
                out.push(due(Rule::FutureStart, &key, format!("provider could start on {}", fs.format("%d/%m/%Y"))));
            }
        }
    }
    // Guidance, accept 8: the PO's courtesy call and the confirmation form within 2 hours.
    if f.list.state == State::Accepted && !f.form_sent {
        if let Some(at) = f.accepted_at {
            if now > super::responses::confirmation_form_deadline(at) {
                out.push(due(
                    Rule::ConfirmationOverdue,
                    at.to_rfc3339(),
                    "courtesy call and confirmation form were due 2 hours after acceptance (hcp form-sent)",
                ));
            }
        }
    }
    if f.list.state == State::Confirmed && !f.sdo_sent && !f.indi_pending {
        if let Some(d) = f.sdo_due.filter(|d| today > *d) {
            out.push(due(Rule::SdoOverdue, d.to_string(), format!("SDO was due by {}", d.format("%d/%m/%Y"))));
        }
        // Guidance, accept 10: before the service commences where practicable.
        if let Some(start) = f.confirmed_start.filter(|s| today >= *s - chrono::Duration::days(1)) {
            out.push(due(
                Rule::SdoOverdue,
                format!("before-start-{start}"),
                format!("care starts {}; no SDO sent yet", start.format("%d/%m/%Y")),
            ));
        }
    }
    if matches!(f.list.state, State::Confirmed | State::Active) && !f.fa_done {
        if let Some(d) = f.fa_due.filter(|d| today > *d) {
            out.push(due(
                Rule::FinancialAssessmentOverdue,
                d.to_string(),
                format!("financial assessment was due by {}", d.format("%d/%m/%Y")),
            ));
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::calendar::parse_holiday_csv;
    use crate::domain::dates::parse_instant;
    use crate::domain::responses::response_deadline;
    use chrono::Duration;

    fn cal() -> WorkingCalendar {
        WorkingCalendar::new(parse_holiday_csv(include_str!("../../data/bank-holidays-england-and-wales.csv")).unwrap())
    }
    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn listed(date: &str) -> ListFacts {
        ListFacts {
            state: State::Waiting,
            team: Team::Stp,
            list_date: Some(d(date)),
            start: d("2027-02-01"),
            hospital_discharge: false,
            overstayer: false,
            handback_care_ends: None,
        }
    }

    /// Escalation facts with nothing pending but the list facts and offers given.
    pub(crate) fn facts(list: ListFacts, offers: &[OfferFacts]) -> EscalationFacts<'_> {
        EscalationFacts {
            list,
            offers,
            needs: None,
            accepted_at: None,
            form_sent: false,
            confirmed_start: None,
            indi_pending: false,
            sdo_due: None,
            sdo_sent: false,
            fa_due: None,
            fa_done: false,
        }
    }

    #[test]
    fn christmas_2026_amber_then_red() {
        let (c, th) = (cal(), Thresholds::default());
        let f = listed("2026-12-18");
        assert_eq!(rag(&f, &c, &th, d("2026-12-24")), Some(Rag::Green));
        assert_eq!(rag(&f, &c, &th, d("2026-12-28")), Some(Rag::Green));
        assert_eq!(rag(&f, &c, &th, d("2026-12-29")), Some(Rag::Amber));
        assert_eq!(rag(&f, &c, &th, d("2027-01-05")), Some(Rag::Amber));
        assert_eq!(rag(&f, &c, &th, d("2027-01-06")), Some(Rag::Red));
    }

    #[test]
    fn hospital_discharge_and_overstayers_are_red_on_day_one() {
        let (c, th) = (cal(), Thresholds::default());
        let mut f = listed("2026-12-18");
        f.hospital_discharge = true;
        assert_eq!(rag(&f, &c, &th, d("2026-12-18")), Some(Rag::Red));
        let mut g = listed("2026-12-18");
        g.overstayer = true;
        assert_eq!(rag(&g, &c, &th, d("2026-12-18")), Some(Rag::Red));
    }

    #[test]
    fn start_date_passed_is_amber_then_red_after_five_working_days() {
        let (c, th) = (cal(), Thresholds::default());
        let mut f = listed("2026-11-23");
        f.start = d("2026-11-24");
        assert_eq!(rag(&f, &c, &th, d("2026-11-24")), Some(Rag::Green));
        assert_eq!(rag(&f, &c, &th, d("2026-11-25")), Some(Rag::Amber));
        // Start Tue 24/11; 5 working days after is Tue 1/12; list date 23/11 gives 6 days waiting too,
        // so use a later list date to isolate the start rule.
        f.list_date = Some(d("2026-11-30"));
        assert_eq!(rag(&f, &c, &th, d("2026-11-30")), Some(Rag::Amber));
        assert_eq!(rag(&f, &c, &th, d("2026-12-01")), Some(Rag::Red));
    }

    #[test]
    fn handback_ending_soon_is_red() {
        let (c, th) = (cal(), Thresholds::default());
        let mut f = listed("2026-11-23");
        f.handback_care_ends = Some(d("2026-11-28"));
        assert_eq!(rag(&f, &c, &th, d("2026-11-23")), Some(Rag::Red));
        f.handback_care_ends = Some(d("2026-12-10"));
        assert_eq!(rag(&f, &c, &th, d("2026-11-23")), Some(Rag::Green));
    }

    #[test]
    fn not_on_the_list_has_no_rag() {
        let mut f = listed("2026-11-23");
        f.state = State::Tentative;
        assert_eq!(rag(&f, &cal(), &Thresholds::default(), d("2026-12-23")), None);
    }

    #[test]
    fn escalations_carry_their_trigger_so_they_are_raised_once() {
        let c = cal();
        let th = Thresholds::default();
        let f = facts(listed("2026-12-18"), &[]);
        let now = parse_instant("2027-01-06 10:00").unwrap();
        let got = escalations_due(&f, &c, &th, now, d("2027-01-06"));
        let rules: Vec<Rule> = got.iter().map(|e| e.rule).collect();
        assert_eq!(rules, vec![Rule::Waiting5, Rule::Waiting10]);
        assert!(got.iter().all(|e| e.trigger == "2026-12-18"));
        assert_eq!(got[1].to, Recipient::Tm);
        let got = escalations_due(&f, &c, &th, now, d("2026-12-28"));
        assert!(got.is_empty());
    }

    #[test]
    fn a_lapsed_offer_escalates_to_the_po() {
        let at = parse_instant("2026-11-23 10:00").unwrap();
        let o = OfferFacts {
            id: 7,
            provider_id: 1,
            offered_at: at,
            deadline: response_deadline(at),
            response: None,
            responded_at: None,
            reason: None,
            until: None,
            future_start: None,
        };
        let mut l = listed("2026-11-23");
        l.state = State::Waiting;
        let offers = [o];
        let f = facts(l, &offers);
        let got = escalations_due(&f, &cal(), &Thresholds::default(), at + Duration::minutes(121), d("2026-11-23"));
        assert_eq!(got, vec![due(Rule::Lapsed, "offer-7", "no answer within 2 hours; approach the next provider")]);
        assert_eq!(got[0].to, Recipient::Po);
    }

    #[test]
    fn confirmation_and_sdo_overdue() {
        let at = parse_instant("2026-11-23 10:00").unwrap();
        let mut l = listed("2026-11-23");
        l.state = State::Accepted;
        let f = EscalationFacts { accepted_at: Some(at), ..facts(l.clone(), &[]) };
        assert!(escalations_due(&f, &cal(), &Thresholds::default(), at + Duration::minutes(119), d("2026-11-23"))
            .is_empty());
        let got = escalations_due(&f, &cal(), &Thresholds::default(), at + Duration::minutes(121), d("2026-11-23"));
        assert_eq!(got[0].rule, Rule::ConfirmationOverdue);
        l.state = State::Confirmed;
        let f = EscalationFacts {
            accepted_at: Some(at),
            form_sent: true,
            sdo_due: Some(d("2026-11-25")),
            fa_due: Some(d("2026-11-25")),
            ..facts(l, &[])
        };
        assert!(escalations_due(&f, &cal(), &Thresholds::default(), at, d("2026-11-25")).is_empty());
        let rules: Vec<Rule> =
            escalations_due(&f, &cal(), &Thresholds::default(), at, d("2026-11-26")).iter().map(|e| e.rule).collect();
        assert_eq!(rules, vec![Rule::SdoOverdue, Rule::FinancialAssessmentOverdue]);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn severity(r: Option<Rag>) -> u8 {
            match r {
                Some(Rag::Green) => 0,
                Some(Rag::Amber) => 1,
                Some(Rag::Red) => 2,
                None => 9,
            }
        }

        proptest! {
            /// Waiting longer never makes a referral look better.
            #[test]
            fn rag_never_improves_with_time(listed in 0i64..2000, start_after in -30i64..60, hd in any::<bool>(), a in 0i64..100, b in 0i64..100) {
                let c = cal();
                let list = d("2021-01-01") + chrono::Duration::days(listed);
                let mut f = listed_on(list);
                f.start = list + chrono::Duration::days(start_after);
                f.hospital_discharge = hd;
                let (early, late) = (list + chrono::Duration::days(a.min(b)), list + chrono::Duration::days(a.max(b)));
                let th = Thresholds::default();
                prop_assert!(severity(rag(&f, &c, &th, early)) <= severity(rag(&f, &c, &th, late)));
            }

            /// Ten working days waiting is always red, and the 10-day escalation brings the 5-day one.
            #[test]
            fn ten_days_is_red_and_escalates_both(listed in 0i64..2000, extra in 0i64..40) {
                let c = cal();
                let list = d("2021-01-01") + chrono::Duration::days(listed);
                let today = c.add_working_days(list, 10) + chrono::Duration::days(extra);
                let mut f = listed_on(list);
                f.start = today + chrono::Duration::days(30);
                prop_assert_eq!(rag(&f, &c, &Thresholds::default(), today), Some(Rag::Red));
                let facts = facts(f, &[]);
                let rules: Vec<Rule> = escalations_due(&facts, &c, &Thresholds::default(), crate::domain::dates::start_of_london_day(today), today).iter().map(|e| e.rule).collect();
                prop_assert!(rules.contains(&Rule::Waiting5) && rules.contains(&Rule::Waiting10));
            }
        }

        fn listed_on(day: NaiveDate) -> ListFacts {
            ListFacts {
                state: State::Waiting,
                team: Team::Act,
                list_date: Some(day),
                start: day,
                hospital_discharge: false,
                overstayer: false,
                handback_care_ends: None,
            }
        }
    }
}
