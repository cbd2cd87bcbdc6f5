//! Whom to approach next: the cluster allocation protocol (SPEC §6, Guidance 4–10, Appendix 4).
//!
//! Facts in, an ordered list of candidates out, each with its tier, rank, whether it may be
//! approached now and why (or why not) in plain words, plus the next provider or the decision
//! that is needed before anyone can be approached.

use super::dates::show_short;
use super::model::{CqcRating, PlacementType, ProviderStatus, ProviderType, Tier};
use super::responses::{outcome, OfferFacts, Outcome};
use crate::error::UserError;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeSet;

/// What the protocol needs to know about a provider.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderFacts {
    pub id: i64,
    pub name: String,
    pub contract: ProviderType,
    pub status: ProviderStatus,
    pub sanctioned: bool,
    pub cqc: Option<CqcRating>,
    pub exceptions_list: bool,
}

/// The providers in protocol order: the cluster's ranked clustered providers, the area's
/// other contracted providers in the area's order, and non-contracted providers covering the area.
#[derive(Debug, Clone, Default)]
pub struct Ladder {
    pub clustered: Vec<ProviderFacts>,
    pub other_contracted: Vec<ProviderFacts>,
    pub non_contracted: Vec<ProviderFacts>,
}

/// Recorded decisions that open doors the protocol keeps shut by default.
#[derive(Debug, Clone, Default)]
pub struct Decisions {
    /// The ASM (or AD) has given permission to approach non-contracted providers.
    pub non_contracted_permitted: bool,
    /// Offers whose provider is still considering and for which the ASM said "approach next".
    pub approach_next: BTreeSet<i64>,
    /// Sanctioned providers a joint ASM/AD/SM/Commissioning decision allows for this referral.
    pub allowed_sanctioned: BTreeSet<i64>,
    /// Offers whose later start the ASM refused: the provider counts as having declined.
    pub refused_future_start: BTreeSet<i64>,
    /// Providers that handed this package back: never offered it again.
    pub handed_back: BTreeSet<i64>,
}

/// Why nobody can be approached yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Needs {
    #[serde(rename = "asm-permission-non-contracted")]
    AsmPermissionNonContracted,
    #[serde(rename = "asm-decision-considering")]
    AsmDecisionConsidering,
    #[serde(rename = "outstanding-offer")]
    OutstandingOffer,
}

impl Needs {
    /// In words, for people.
    pub fn plain(self) -> &'static str {
        match self {
            Needs::AsmPermissionNonContracted => "needs the ASM's permission to approach non-contracted providers",
            Needs::AsmDecisionConsidering => {
                "needs the ASM to decide whether to approach the next provider while one is considering"
            }
            Needs::OutstandingOffer => "has an offer outstanding: wait for the answer or for it to lapse",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Needs::AsmPermissionNonContracted => "asm-permission-non-contracted",
            Needs::AsmDecisionConsidering => "asm-decision-considering",
            Needs::OutstandingOffer => "outstanding-offer",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub provider: String,
    pub provider_id: i64,
    pub tier: Tier,
    /// 1-based position within the tier.
    pub rank: usize,
    pub eligible: bool,
    pub reason: String,
    /// How a placement with this provider is contracted: Contract, or Exception / Indi.
    pub placement_type: PlacementType,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Allocation {
    pub candidates: Vec<Candidate>,
    /// Index into `candidates` of the provider to approach now.
    pub next: Option<usize>,
    pub needs: Option<Needs>,
    /// Plain words for the PO when there is no next provider.
    pub why_none: Option<String>,
}

impl Allocation {
    pub fn next_candidate(&self) -> Option<&Candidate> {
        self.next.map(|i| &self.candidates[i])
    }
}

/// How a placement with this provider is contracted (SPEC §6).
pub fn placement_type(p: &ProviderFacts) -> PlacementType {
    placement_for(p.contract, p.exceptions_list)
}

/// The one place the placement type is decided: a contract for a contracted provider; for a
/// non-contracted one an Exception when it is on the exceptions list, otherwise an Indi contract
/// (Appendices 7 and 8).
pub fn placement_for(contract: ProviderType, exceptions_list: bool) -> PlacementType {
    match contract {
        ProviderType::Contracted => PlacementType::Contract,
        ProviderType::NonContracted if exceptions_list => PlacementType::Exception,
        ProviderType::NonContracted => PlacementType::Indi,
    }
}

/// The provider chosen for an offer (by the protocol or by the PO with a reason).
#[derive(Debug, Clone)]
pub struct Choice {
    pub provider_id: i64,
    pub provider: String,
    pub tier: Tier,
    pub placement_type: PlacementType,
    pub override_reason: Option<String>,
}

/// What the PO asked for: the next provider in order, or a named one with a reason.
pub enum Pick<'a> {
    Next,
    Named { provider: &'a ProviderFacts, reason: String },
}

/// The provider to offer to now, or why nobody can be: an outstanding offer or a decision
/// first; a named provider may change the order, never the gates.
pub fn choose(a: &Allocation, pick: Pick, decisions: &Decisions, referral: i64) -> Result<Choice, UserError> {
    if a.needs == Some(Needs::OutstandingOffer) {
        return Err(UserError::new(format!("referral {referral} already has an outstanding offer"))
            .hint(needs_hint(a.needs, referral)));
    }
    match pick {
        Pick::Named { provider, reason } => {
            if a.needs == Some(Needs::AsmDecisionConsidering) {
                return Err(UserError::new(format!("a provider is still considering referral {referral}"))
                    .hint(needs_hint(a.needs, referral)));
            }
            // A manual offer may change the order, never the gates.
            let Some(cand) = a.candidates.iter().find(|c| c.provider_id == provider.id) else {
                return Err(UserError::new(format!(
                    "{} does not cover this referral's area: it is not ranked in the cluster or the area, and has no --area for it",
                    provider.name
                ))
                .hint(format!("if it does cover the area: hcp provider update \"{}\" --area AREA", provider.name)));
            };
            if let Some(why) = gate(provider, cand.tier, decisions) {
                return Err(UserError::new(format!("{} cannot be offered this package: {why}", provider.name))
                    .hint(gate_hint(provider, cand.tier, decisions, referral)));
            }
            let tier = cand.tier;
            Ok(Choice {
                provider_id: provider.id,
                provider: provider.name.clone(),
                tier,
                placement_type: placement_type(provider),
                override_reason: Some(reason),
            })
        }
        Pick::Next => match a.next_candidate() {
            Some(c) => Ok(Choice {
                provider_id: c.provider_id,
                provider: c.provider.clone(),
                tier: c.tier,
                placement_type: c.placement_type,
                override_reason: None,
            }),
            None => {
                let what = match a.needs {
                    Some(n) => format!("it {}", n.plain()),
                    None => a.why_none.clone().unwrap_or_else(|| "no provider is eligible".into()),
                };
                Err(UserError::new(format!("no provider can be offered referral {referral} now: {what}"))
                    .hint(needs_hint(a.needs, referral))
                    .hint(format!("`hcp offer {referral} --explain` shows every provider and why")))
            }
        },
    }
}

/// What to do about a gate.
fn gate_hint(p: &ProviderFacts, tier: Tier, decisions: &Decisions, referral: i64) -> String {
    if p.status != ProviderStatus::Active {
        return format!("{} takes no new packages while {}; choose another provider", p.name, p.status);
    }
    if p.sanctioned && !decisions.allowed_sanctioned.contains(&p.id) {
        return format!("a sanctioned provider needs a joint ASM/AD/SM/Commissioning decision: hcp escalate {referral} --to asm --rule sanctioned --provider \"{}\" --reason …", p.name);
    }
    if tier == Tier::NonContracted && !p.cqc.is_some_and(|c| c.met_all_standards()) {
        return "non-contracted providers must be CQC-rated good or outstanding; choose another".into();
    }
    needs_hint(Some(Needs::AsmPermissionNonContracted), referral)
}

/// What to do about what the protocol needs.
pub fn needs_hint(needs: Option<Needs>, id: i64) -> String {
    match needs {
        Some(Needs::AsmPermissionNonContracted) => "the ASM must give permission to approach non-contracted providers: `hcp escalate` raises it; the ASM records it with `hcp escalate resolve <esc-id> --decision approve-non-contracted`".to_string(),
        Some(Needs::AsmDecisionConsidering) => "the ASM decides whether to approach the next provider meanwhile: `hcp escalate resolve <esc-id> --decision approach-next` (see `hcp escalate list --open`), or wait for the answer".to_string(),
        Some(Needs::OutstandingOffer) => format!("record the provider's answer with `hcp respond {id} …`, or wait until the offer lapses"),
        None => format!("`hcp escalate {id} --to asm --reason …` asks the ASM what to do next"),
    }
}

/// Why this provider may not be approached now, or None if it may.
fn bar(
    p: &ProviderFacts,
    tier: Tier,
    offers: &[OfferFacts],
    decisions: &Decisions,
    now: DateTime<Utc>,
) -> Option<String> {
    // The latest offer to this provider on this referral decides its standing.
    if decisions.handed_back.contains(&p.id) {
        return Some("handed this package back".into());
    }
    if let Some(o) = offers.iter().filter(|o| o.provider_id == p.id).max_by_key(|o| (o.offered_at, o.id)) {
        if decisions.refused_future_start.contains(&o.id) {
            return Some("offered a later start; the ASM refused it".into());
        }
        match outcome(o, now) {
            Outcome::Declined { at, reason } => {
                return Some(match reason {
                    Some(r) => format!("declined {}: {}", show_short(at), r.plain()),
                    None => format!("declined {}", show_short(at)),
                })
            }
            Outcome::Lapsed { deadline } => {
                return Some(format!(
                    "lapsed: no answer by {}",
                    deadline.with_timezone(&chrono_tz::Europe::London).format("%H:%M")
                ))
            }
            Outcome::ConsideringExpired { until } => {
                return Some(format!("was considering; no answer by {}", show_short(until)))
            }
            Outcome::Awaiting { deadline } => {
                return Some(format!("offer outstanding: answer due by {}", show_short(deadline)))
            }
            Outcome::Considering { until } => return Some(format!("considering until {}", show_short(until))),
            Outcome::Accepted => return Some("accepted".into()),
            Outcome::Tentative => return Some("tentatively accepted".into()),
            Outcome::Partial => return Some("accepted part of the package".into()),
        }
    }
    gate(p, tier, decisions)
}

/// The gates no officer may pass by hand (SPEC §6): exited or suspended providers; sanctioned
/// ones without a joint decision; non-contracted ones without the ASM's permission or a CQC
/// rating of good or outstanding. None when the provider may be approached.
pub fn gate(p: &ProviderFacts, tier: Tier, decisions: &Decisions) -> Option<String> {
    match p.status {
        ProviderStatus::Exited => return Some("exited the market".into()),
        ProviderStatus::Suspended => return Some("suspended".into()),
        ProviderStatus::Active => {}
    }
    if p.sanctioned && !decisions.allowed_sanctioned.contains(&p.id) {
        return Some("sanctioned; no joint decision".into());
    }
    if tier == Tier::NonContracted {
        match p.cqc {
            Some(r) if r.met_all_standards() => {}
            Some(r) => return Some(format!("CQC rating {} (good or outstanding needed)", r.plain())),
            None => return Some("no CQC rating recorded".into()),
        }
        if !decisions.non_contracted_permitted {
            return Some("needs the ASM's permission to approach non-contracted providers".into());
        }
    }
    None
}

/// The protocol itself. Clustered providers first, then other contracted, then non-contracted
/// only with permission; never one that declined or lapsed; one outstanding offer at a time.
pub fn candidates(ladder: &Ladder, offers: &[OfferFacts], decisions: &Decisions, now: DateTime<Utc>) -> Allocation {
    let mut list = Vec::new();
    let mut seen = BTreeSet::new();
    for (tier, providers) in [
        (Tier::Clustered, &ladder.clustered),
        (Tier::OtherContracted, &ladder.other_contracted),
        (Tier::NonContracted, &ladder.non_contracted),
    ] {
        let mut rank = 0;
        for p in providers {
            // A provider appears once, in its highest tier.
            if !seen.insert(p.id) {
                continue;
            }
            rank += 1;
            let barred = bar(p, tier, offers, decisions, now);
            let eligible = barred.is_none();
            let reason = barred.unwrap_or_else(|| match (tier, placement_type(p)) {
                (Tier::Clustered, _) => format!("clustered provider, rank {rank}"),
                (Tier::OtherContracted, _) => "other contracted provider in the area".into(),
                (_, t) => format!(
                    "CQC {}; placement would be {}",
                    p.cqc.map(|c| c.plain()).unwrap_or("unrated"),
                    if t == PlacementType::Exception { "an Exception" } else { "an Indi" }
                ),
            });
            list.push(Candidate {
                provider: p.name.clone(),
                provider_id: p.id,
                tier,
                rank,
                eligible,
                reason,
                placement_type: placement_type(p),
            });
        }
    }

    // One outstanding offer at a time.
    let pending: Vec<(&OfferFacts, Outcome)> =
        offers.iter().map(|o| (o, outcome(o, now))).filter(|(_, oc)| oc.is_pending()).collect();
    if pending.iter().any(|(_, oc)| matches!(oc, Outcome::Awaiting { .. })) {
        return Allocation {
            candidates: list,
            next: None,
            needs: Some(Needs::OutstandingOffer),
            why_none: Some("an offer is outstanding; wait for the answer or for it to lapse".into()),
        };
    }
    if pending.iter().any(|(o, _)| !decisions.approach_next.contains(&o.id)) {
        return Allocation {
            candidates: list,
            next: None,
            needs: Some(Needs::AsmDecisionConsidering),
            why_none: Some(
                "a provider is still considering; the ASM decides whether to approach the next provider meanwhile"
                    .into(),
            ),
        };
    }

    let next = list.iter().position(|c| c.eligible);
    let (needs, why_none) = match next {
        Some(_) => (None, None),
        None if !decisions.non_contracted_permitted => (
            Some(Needs::AsmPermissionNonContracted),
            Some("clustered and other contracted providers are exhausted; the ASM (or AD) must give permission to approach non-contracted providers".into()),
        ),
        None => (None, Some("no provider is left to approach: every eligible provider has declined or lapsed".into())),
    };
    Allocation { candidates: list, next, needs, why_none }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dates::parse_instant;
    use crate::domain::model::{DeclineReason, Response};
    use crate::domain::responses::response_deadline;
    use proptest::prelude::*;

    fn t(s: &str) -> DateTime<Utc> {
        parse_instant(s).unwrap()
    }

    fn provider(id: i64, name: &str, contract: ProviderType) -> ProviderFacts {
        ProviderFacts {
            id,
            name: name.into(),
            contract,
            status: ProviderStatus::Active,
            sanctioned: false,
            cqc: Some(CqcRating::Good),
            exceptions_list: false,
        }
    }

    fn ladder() -> Ladder {
        Ladder {
            clustered: vec![
                provider(1, "Alpha", ProviderType::Contracted),
                provider(2, "Beta", ProviderType::Contracted),
                provider(3, "Gamma", ProviderType::Contracted),
            ],
            other_contracted: vec![provider(4, "Delta", ProviderType::Contracted)],
            non_contracted: vec![
                ProviderFacts { exceptions_list: true, ..provider(5, "Epsilon", ProviderType::NonContracted) },
                provider(6, "Foxglove", ProviderType::NonContracted),
                ProviderFacts {
                    cqc: Some(CqcRating::RequiresImprovement),
                    ..provider(7, "Grim", ProviderType::NonContracted)
                },
            ],
        }
    }

    fn offer(id: i64, provider_id: i64, at: &str, response: Option<Response>) -> OfferFacts {
        let at = t(at);
        OfferFacts {
            id,
            provider_id,
            offered_at: at,
            deadline: response_deadline(at),
            response,
            responded_at: response.map(|_| at + chrono::Duration::minutes(10)),
            reason: (response == Some(Response::Decline)).then_some(DeclineReason::NoCapacity),
            until: None,
            future_start: None,
        }
    }

    fn next_name(a: &Allocation) -> Option<&str> {
        a.next_candidate().map(|c| c.provider.as_str())
    }

    #[test]
    fn the_ladder_goes_clustered_then_other_contracted_then_stops() {
        let l = ladder();
        let d = Decisions::default();
        let now = t("2026-11-23 19:00");
        let mut offers = vec![];
        for (i, want) in ["Alpha", "Beta", "Gamma", "Delta"].iter().enumerate() {
            let a = candidates(&l, &offers, &d, now);
            assert_eq!(next_name(&a), Some(*want));
            offers.push(offer(i as i64 + 1, i as i64 + 1, &format!("2026-11-23 1{i}:00"), Some(Response::Decline)));
        }
        let a = candidates(&l, &offers, &d, now);
        assert_eq!(a.next, None);
        assert_eq!(a.needs, Some(Needs::AsmPermissionNonContracted));
        assert_eq!(a.candidates[0].reason, "declined 23/11 10:10: no capacity");
        assert_eq!(a.candidates[4].reason, "needs the ASM's permission to approach non-contracted providers");
        assert_eq!(a.candidates[6].reason, "CQC rating requires improvement (good or outstanding needed)");
    }

    #[test]
    fn with_permission_non_contracted_goes_to_good_providers_typed_exception_or_indi() {
        let l = ladder();
        let d = Decisions { non_contracted_permitted: true, ..Default::default() };
        let offers: Vec<_> = (1..=4).map(|i| offer(i, i, "2026-11-23 10:00", Some(Response::Decline))).collect();
        let a = candidates(&l, &offers, &d, t("2026-11-23 19:00"));
        let c = a.next_candidate().unwrap();
        assert_eq!((c.provider.as_str(), c.placement_type), ("Epsilon", PlacementType::Exception));
        let mut offers = offers;
        offers.push(offer(5, 5, "2026-11-23 12:00", Some(Response::Decline)));
        let a = candidates(&l, &offers, &d, t("2026-11-23 19:00"));
        let c = a.next_candidate().unwrap();
        assert_eq!((c.provider.as_str(), c.placement_type), ("Foxglove", PlacementType::Indi));
        offers.push(offer(6, 6, "2026-11-23 13:00", Some(Response::Decline)));
        let a = candidates(&l, &offers, &d, t("2026-11-23 19:00"));
        // Grim's CQC rating keeps it off; nobody is left.
        assert_eq!(a.next, None);
        assert_eq!(a.needs, None);
    }

    #[test]
    fn a_lapsed_offer_counts_as_a_decline() {
        let l = ladder();
        let offers = vec![offer(1, 1, "2026-11-23 10:00", None)];
        let a = candidates(&l, &offers, &Decisions::default(), t("2026-11-23 11:00"));
        assert_eq!(a.needs, Some(Needs::OutstandingOffer));
        let a = candidates(&l, &offers, &Decisions::default(), t("2026-11-23 12:01"));
        assert_eq!(next_name(&a), Some("Beta"));
        assert_eq!(a.candidates[0].reason, "lapsed: no answer by 12:00");
    }

    #[test]
    fn sanctioned_suspended_and_exited_providers_are_skipped() {
        let mut l = ladder();
        l.clustered[1].sanctioned = true;
        l.clustered[2].status = ProviderStatus::Suspended;
        let offers = vec![offer(1, 1, "2026-11-23 10:00", Some(Response::Decline))];
        let a = candidates(&l, &offers, &Decisions::default(), t("2026-11-23 11:00"));
        assert_eq!(next_name(&a), Some("Delta"));
        assert_eq!(a.candidates[1].reason, "sanctioned; no joint decision");
        assert_eq!(a.candidates[2].reason, "suspended");
        let d = Decisions { allowed_sanctioned: [2].into_iter().collect(), ..Default::default() };
        assert_eq!(next_name(&candidates(&l, &offers, &d, t("2026-11-23 11:00"))), Some("Beta"));
    }

    #[test]
    fn while_considering_the_asm_decides() {
        let l = ladder();
        let mut o = offer(1, 1, "2026-11-23 10:00", Some(Response::Considering));
        o.until = Some(t("2026-11-24 12:00"));
        let a = candidates(&l, std::slice::from_ref(&o), &Decisions::default(), t("2026-11-23 11:00"));
        assert_eq!(a.needs, Some(Needs::AsmDecisionConsidering));
        let d = Decisions { approach_next: [1].into_iter().collect(), ..Default::default() };
        let a = candidates(&l, std::slice::from_ref(&o), &d, t("2026-11-23 11:00"));
        assert_eq!(next_name(&a), Some("Beta"));
        // Once the answer-by time passes, considering counts as a decline.
        let a = candidates(&l, &[o], &Decisions::default(), t("2026-11-24 12:01"));
        assert_eq!(next_name(&a), Some("Beta"));
    }

    fn arb_provider(id: i64) -> impl Strategy<Value = ProviderFacts> {
        (any::<bool>(), 0..3u8, any::<bool>(), 0..5u8, any::<bool>()).prop_map(
            move |(contracted, status, sanctioned, cqc, exc)| ProviderFacts {
                id,
                name: format!("P{id}"),
                contract: if contracted { ProviderType::Contracted } else { ProviderType::NonContracted },
                status: [ProviderStatus::Active, ProviderStatus::Suspended, ProviderStatus::Exited][status as usize],
                sanctioned,
                cqc: Some(CqcRating::ALL[cqc as usize]),
                exceptions_list: exc,
            },
        )
    }

    fn arb_world() -> impl Strategy<Value = (Ladder, Vec<OfferFacts>, Decisions, i64)> {
        let providers = (1i64..=9).map(arb_provider).collect::<Vec<_>>();
        (
            providers,
            proptest::collection::vec((1i64..=9, 0i64..600, 0u8..7), 0..8),
            any::<bool>(),
            any::<bool>(),
            0i64..900,
        )
            .prop_map(|(ps, raw, permitted, approach, now_min)| {
                let clustered = ps[0..3].to_vec();
                let other = ps[3..6].to_vec();
                let non = ps[6..9]
                    .iter()
                    .cloned()
                    .map(|mut p| {
                        p.contract = ProviderType::NonContracted;
                        p
                    })
                    .collect();
                let base = t("2026-11-23 08:00");
                let offers: Vec<OfferFacts> = raw
                    .iter()
                    .enumerate()
                    .map(|(i, (pid, m, r))| {
                        let at = base + chrono::Duration::minutes(*m);
                        let response = [
                            None,
                            Some(Response::Decline),
                            Some(Response::Considering),
                            Some(Response::Accept),
                            Some(Response::Tentative),
                            Some(Response::Lapsed),
                            None,
                        ][*r as usize];
                        OfferFacts {
                            id: i as i64 + 1,
                            provider_id: *pid,
                            offered_at: at,
                            deadline: response_deadline(at),
                            response,
                            responded_at: response.map(|_| at + chrono::Duration::minutes(5)),
                            reason: None,
                            until: (response == Some(Response::Considering)).then_some(at + chrono::Duration::hours(5)),
                            future_start: None,
                        }
                    })
                    .collect();
                let decisions = Decisions {
                    non_contracted_permitted: permitted,
                    approach_next: if approach { offers.iter().map(|o| o.id).collect() } else { BTreeSet::new() },
                    allowed_sanctioned: BTreeSet::new(),
                    refused_future_start: BTreeSet::new(),
                    handed_back: BTreeSet::new(),
                };
                (Ladder { clustered, other_contracted: other, non_contracted: non }, offers, decisions, now_min)
            })
    }

    proptest! {
        #[test]
        fn protocol_invariants((l, offers, d, now_min) in arb_world()) {
            let now = t("2026-11-23 08:00") + chrono::Duration::minutes(now_min);
            let a = candidates(&l, &offers, &d, now);
            if let Some(c) = a.next_candidate() {
                // Never a provider that declined or lapsed, or any provider already approached.
                prop_assert!(!offers.iter().any(|o| o.provider_id == c.provider_id && outcome(o, now).is_refusal()));
                // Never a non-contracted provider without permission, nor one below Good.
                if c.tier == Tier::NonContracted {
                    prop_assert!(d.non_contracted_permitted);
                    let p = l.non_contracted.iter().find(|p| p.id == c.provider_id).unwrap();
                    prop_assert!(p.cqc.unwrap().met_all_standards());
                }
                // Never two outstanding offers.
                let awaiting = offers.iter().any(|o| matches!(outcome(o, now), Outcome::Awaiting { .. }));
                prop_assert!(!awaiting, "an offer is outstanding");
                // Never sanctioned, suspended or exited.
                let p = l.clustered.iter().chain(&l.other_contracted).chain(&l.non_contracted).find(|p| p.id == c.provider_id).unwrap();
                prop_assert!(!p.sanctioned && p.status == ProviderStatus::Active);
                // Clustered before other contracted before non-contracted: nothing eligible earlier.
                let idx = a.next.unwrap();
                prop_assert!(a.candidates[..idx].iter().all(|c| !c.eligible));
            }
            // Tiers are in order in the list.
            let tiers: Vec<Tier> = a.candidates.iter().map(|c| c.tier).collect();
            let mut sorted = tiers.clone();
            sorted.sort();
            prop_assert_eq!(tiers, sorted);
        }
    }
}
