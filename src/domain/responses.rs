//! The 2-hour response clock and the "considering" answer-by time (SPEC §3, §7).
//!
//! Nothing runs in the background: an offer's outcome is computed from the clock whenever it is
//! read. Guidance, purchasing 6: no response within 2 hours counts as a decline ("lapsed").

use super::model::{DeclineReason, Response, State};
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// Guidance, purchasing 6: providers answer within 2 elapsed hours.
pub fn response_deadline(offered_at: DateTime<Utc>) -> DateTime<Utc> {
    offered_at + Duration::hours(2)
}

/// Guidance, accept 8: the courtesy call and the Provider Confirmation Form within 2 hours of
/// the acceptance. The one place this window is computed (respond, due, escalate).
pub fn confirmation_form_deadline(accepted_at: DateTime<Utc>) -> DateTime<Utc> {
    accepted_at + Duration::hours(2)
}

/// What is recorded about one offer.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferFacts {
    pub id: i64,
    pub provider_id: i64,
    pub offered_at: DateTime<Utc>,
    pub deadline: DateTime<Utc>,
    pub response: Option<Response>,
    pub responded_at: Option<DateTime<Utc>>,
    pub reason: Option<DeclineReason>,
    pub until: Option<DateTime<Utc>>,
    pub future_start: Option<NaiveDate>,
}

/// An offer's outcome as of now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Waiting for an answer until the deadline.
    Awaiting {
        deadline: DateTime<Utc>,
    },
    /// The provider is considering and will answer by `until`.
    Considering {
        until: DateTime<Utc>,
    },
    Declined {
        at: DateTime<Utc>,
        reason: Option<DeclineReason>,
    },
    /// No answer by the deadline: counts as a decline.
    Lapsed {
        deadline: DateTime<Utc>,
    },
    /// Considering, and the answer-by time passed with no answer: counts as a decline.
    ConsideringExpired {
        until: DateTime<Utc>,
    },
    Accepted,
    Tentative,
    Partial,
}

impl Outcome {
    /// Counts as a decline for the allocation protocol.
    pub fn is_refusal(self) -> bool {
        matches!(self, Outcome::Declined { .. } | Outcome::Lapsed { .. } | Outcome::ConsideringExpired { .. })
    }
    /// The provider still holds the offer open.
    pub fn is_pending(self) -> bool {
        matches!(self, Outcome::Awaiting { .. } | Outcome::Considering { .. })
    }
}

pub fn outcome(o: &OfferFacts, now: DateTime<Utc>) -> Outcome {
    match o.response {
        None | Some(Response::Lapsed) => {
            if now > o.deadline || o.response == Some(Response::Lapsed) {
                Outcome::Lapsed { deadline: o.deadline }
            } else {
                Outcome::Awaiting { deadline: o.deadline }
            }
        }
        Some(Response::Considering) => match o.until {
            Some(until) if now > until => Outcome::ConsideringExpired { until },
            Some(until) => Outcome::Considering { until },
            None => Outcome::Considering { until: o.deadline },
        },
        Some(Response::Decline) => Outcome::Declined { at: o.responded_at.unwrap_or(o.offered_at), reason: o.reason },
        Some(Response::Accept) => Outcome::Accepted,
        Some(Response::Tentative) => Outcome::Tentative,
        Some(Response::Partial) => Outcome::Partial,
    }
}

/// The response as shown in JSON: the stored one, or `lapsed` once the clock has run out.
pub fn shown_response(o: &OfferFacts, now: DateTime<Utc>) -> Option<Response> {
    match outcome(o, now) {
        Outcome::Awaiting { .. } => None,
        Outcome::Lapsed { .. } => Some(Response::Lapsed),
        _ => o.response,
    }
}

/// A response recorded after the 2-hour deadline is kept but marked late.
pub fn is_late(o: &OfferFacts) -> bool {
    match (o.response, o.responded_at) {
        (Some(r), Some(at)) if r != Response::Lapsed => at > o.deadline && o.until.is_none_or(|u| at > u),
        _ => false,
    }
}

/// The referral's state as of now: an offer that lapsed (or a "considering" that ran out)
/// puts the referral back to `waiting` without anyone recording it.
pub fn effective_state(stored: State, latest_offer: Option<&OfferFacts>, now: DateTime<Utc>) -> State {
    match (stored, latest_offer) {
        (State::Offered | State::Considering, Some(o)) if outcome(o, now).is_refusal() => State::Waiting,
        _ => stored,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dates::{parse_instant, show_instant};

    fn t(s: &str) -> DateTime<Utc> {
        parse_instant(s).unwrap()
    }

    fn offer_at(s: &str) -> OfferFacts {
        let at = t(s);
        OfferFacts {
            id: 1,
            provider_id: 1,
            offered_at: at,
            deadline: response_deadline(at),
            response: None,
            responded_at: None,
            reason: None,
            until: None,
            future_start: None,
        }
    }

    #[test]
    fn an_offer_lapses_after_two_hours() {
        let o = offer_at("2026-11-23 10:00");
        assert!(matches!(outcome(&o, t("2026-11-23 11:59")), Outcome::Awaiting { .. }));
        assert!(matches!(outcome(&o, t("2026-11-23 12:00")), Outcome::Awaiting { .. }));
        assert!(matches!(outcome(&o, t("2026-11-23 12:01")), Outcome::Lapsed { .. }));
        assert_eq!(shown_response(&o, t("2026-11-23 12:01")), Some(Response::Lapsed));
        assert_eq!(effective_state(State::Offered, Some(&o), t("2026-11-23 12:01")), State::Waiting);
        assert_eq!(effective_state(State::Offered, Some(&o), t("2026-11-23 11:00")), State::Offered);
    }

    #[test]
    fn two_hours_are_elapsed_hours_across_the_autumn_clock_change() {
        // 00:30 BST on Sunday 25 October 2026; clocks go back at 02:00 BST to 01:00 GMT.
        let o = offer_at("2026-10-25 00:30");
        assert_eq!(o.deadline - o.offered_at, Duration::hours(2));
        assert_eq!(show_instant(o.deadline), "25/10/2026 01:30 GMT");
    }

    #[test]
    fn two_hours_are_elapsed_hours_across_the_spring_clock_change() {
        // 00:30 GMT on Sunday 29 March 2026; clocks go forward at 01:00 GMT to 02:00 BST.
        let o = offer_at("2026-03-29 00:30");
        assert_eq!(show_instant(o.deadline), "29/03/2026 03:30 BST");
    }

    #[test]
    fn considering_runs_to_its_answer_by_time_then_counts_as_a_decline() {
        let mut o = offer_at("2026-11-23 10:00");
        o.response = Some(Response::Considering);
        o.responded_at = Some(t("2026-11-23 10:30"));
        o.until = Some(t("2026-11-24 12:00"));
        assert!(matches!(outcome(&o, t("2026-11-24 11:00")), Outcome::Considering { .. }));
        assert!(matches!(outcome(&o, t("2026-11-24 12:01")), Outcome::ConsideringExpired { .. }));
        assert_eq!(effective_state(State::Considering, Some(&o), t("2026-11-24 12:01")), State::Waiting);
    }

    #[test]
    fn a_late_answer_is_kept_and_marked_late() {
        let mut o = offer_at("2026-11-23 10:00");
        o.response = Some(Response::Decline);
        o.responded_at = Some(t("2026-11-23 12:30"));
        assert!(is_late(&o));
        assert!(outcome(&o, t("2026-11-23 13:00")).is_refusal());
        o.responded_at = Some(t("2026-11-23 11:30"));
        assert!(!is_late(&o));
    }
}
