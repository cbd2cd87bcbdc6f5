//! The purchasing officer's vocabulary as types: teams, documents, states, tiers, responses.
//! Each has one spelling on the command line, in JSON and in the database (SPEC §17).

/// Declares a string-backed enum with `as_str`, `parse` (case- and punctuation-insensitive,
/// with aliases) and `ALL`.
macro_rules! words {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $text),+ } }
            pub fn parse(s: &str) -> Option<$name> {
                // The stored spelling itself is the common case: no allocation for it.
                $( if s == $text { return Some($name::$variant); } )+
                let f = crate::domain::text::fold(s);
                $( if crate::domain::text::folds_to(&f, $text) $(|| crate::domain::text::folds_to(&f, $alias))* { return Some($name::$variant); } )+
                None
            }
            /// The accepted spellings, for error messages.
            pub fn names() -> String {
                $name::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) }
        }
        impl crate::domain::model::Word for $name {
            const ALL: &'static [Self] = $name::ALL;
            const WHAT: &'static str = stringify!($name);
            fn as_str(self) -> &'static str { $name::as_str(self) }
            fn parse(s: &str) -> Option<Self> { $name::parse(s) }
        }
    };
}
pub(crate) use words;

/// A word of the vocabulary: its spellings, for readers that work on any of them (the command
/// line's value parser, the store's columns).
pub trait Word: Copy + Send + Sync + 'static {
    const ALL: &'static [Self];
    /// The type's name, e.g. `Team`.
    const WHAT: &'static str;
    fn as_str(self) -> &'static str;
    fn parse(s: &str) -> Option<Self>;
}

words!(
    /// The referring team.
    Team { Act = "act", Stp = "stp", Keah = "keah" | "kent enablement at home" | "enablement" }
);

impl Team {
    /// As people write it: ACT, STP, KEaH.
    pub fn label(self) -> &'static str {
        match self {
            Team::Act => "ACT",
            Team::Stp => "STP",
            Team::Keah => "KEaH",
        }
    }
}

words!(
    /// Who pays.
    Funding { Kcc = "kcc", SelfFunder = "self" | "self funder" | "self-funder" | "selffunding" | "private", Chc = "chc", OtherLa = "other-la" | "other la" }
);

impl Funding {
    pub fn label(self) -> &'static str {
        match self {
            Funding::Kcc => "KCC",
            Funding::SelfFunder => "Self Funder",
            Funding::Chc => "CHC",
            Funding::OtherLa => "Other LA",
        }
    }
}

words!(
    /// Items of the documents checklist (SPEC §5) and the other reasons a referral is incomplete.
    Item {
        FinancialAuthorisation = "financial-authorisation",
        ReferralForm = "referral-form",
        ChargingLetter = "charging-letter",
        AisUpdated = "ais-updated",
        Bica = "bica",
        FinalReview = "final-review",
        RiskAssessment = "risk-assessment",
        TmApproval = "tm-approval",
        Postcode = "postcode",
        StartBeforeReceived = "start-before-received",
        HoursMismatch = "hours-mismatch",
        HoursNotPositive = "hours-not-positive",
        SelfFunderGrace = "self-funder-grace",
    }
);

impl Item {
    /// The items a referrer can send as documents (`--doc`).
    pub const DOCUMENTS: &'static [Item] = &[
        Item::FinancialAuthorisation,
        Item::ReferralForm,
        Item::ChargingLetter,
        Item::AisUpdated,
        Item::Bica,
        Item::FinalReview,
        Item::RiskAssessment,
        Item::TmApproval,
    ];

    pub fn is_document(self) -> bool {
        Item::DOCUMENTS.contains(&self)
    }

    /// In the referrer's words (the code is in JSON).
    pub fn plain(self) -> &'static str {
        match self {
            Item::FinancialAuthorisation => "financial authorisation",
            Item::ReferralForm => "referral form",
            Item::ChargingLetter => "signed charging letter",
            Item::AisUpdated => "Swift/AIS updated",
            Item::Bica => "BICA",
            Item::FinalReview => "KEaH Final Review Form",
            Item::RiskAssessment => "risk assessment",
            Item::TmApproval => "Team Manager approval",
            Item::Postcode => "a Kent postcode",
            Item::StartBeforeReceived => "start date before it was received",
            Item::HoursMismatch => "hours don't add up to calls × minutes",
            Item::HoursNotPositive => "no hours",
            Item::SelfFunderGrace => "self-funder grace period not over",
        }
    }

    pub fn document_names() -> String {
        Item::DOCUMENTS.iter().map(|d| d.as_str()).collect::<Vec<_>>().join(", ")
    }
}

words!(
    /// A referral's state (SPEC §4).
    State {
        Incomplete = "incomplete",
        Waiting = "waiting",
        Offered = "offered",
        Considering = "considering",
        Tentative = "tentative",
        Accepted = "accepted",
        Confirmed = "confirmed",
        Active = "active",
        Cancelled = "cancelled",
        Ended = "ended",
    }
);

impl State {
    /// On the packages-to-be-placed list (SPEC §4).
    pub fn on_list(self) -> bool {
        matches!(self, State::Waiting | State::Offered | State::Considering)
    }
    /// Still being worked: not yet active, cancelled or ended.
    pub fn open(self) -> bool {
        !matches!(self, State::Active | State::Cancelled | State::Ended)
    }
    /// The package details may no longer change.
    pub fn closed_for_update(self) -> bool {
        matches!(self, State::Cancelled | State::Ended | State::Active | State::Confirmed | State::Accepted)
    }
}

words!(
    /// The allocation tier of a provider for a referral (SPEC §6).
    Tier { Clustered = "clustered", OtherContracted = "other_contracted" | "other contracted", NonContracted = "non_contracted" | "non contracted" }
);

impl Tier {
    /// As people say it.
    pub fn plain(self) -> &'static str {
        match self {
            Tier::Clustered => "clustered",
            Tier::OtherContracted => "other contracted",
            Tier::NonContracted => "non-contracted",
        }
    }
}

words!(
    /// A provider's response to an offer (SPEC §7); `Lapsed` is computed from the clock.
    Response { Accept = "accept" | "accepted", Tentative = "tentative", Decline = "decline" | "declined", Considering = "considering", Partial = "partial", Lapsed = "lapsed" }
);

words!(
    /// Decline reason categories (SPEC §7).
    DeclineReason {
        NoCapacity = "no-capacity",
        Geography = "geography" | "rurality" | "geography/rurality",
        CallTimes = "call-times",
        DoubleHanded = "double-handed",
        Complexity = "complexity" | "risk" | "complexity/risk",
        Price = "price",
        Other = "other",
    }
);

impl DeclineReason {
    pub fn plain(self) -> &'static str {
        match self {
            DeclineReason::NoCapacity => "no capacity",
            DeclineReason::Geography => "geography/rurality",
            DeclineReason::CallTimes => "call times",
            DeclineReason::DoubleHanded => "double-handed calls",
            DeclineReason::Complexity => "complexity/risk",
            DeclineReason::Price => "price",
            DeclineReason::Other => "other",
        }
    }
}

words!(
    /// Red, amber, green on the list (SPEC §8).
    Rag { Red = "red", Amber = "amber", Green = "green" }
);

words!(
    /// A provider's contract with KCC.
    ProviderType { Contracted = "contracted", NonContracted = "non-contracted" | "non contracted" }
);

words!(
    /// The CQC rating from the provider's most recent inspection.
    CqcRating {
        Outstanding = "outstanding",
        Good = "good",
        RequiresImprovement = "requires-improvement",
        Inadequate = "inadequate",
        NotRated = "not-rated" | "unrated" | "none",
    }
);

impl CqcRating {
    /// Met all standards at the most recent inspection (SPEC §6: Good or Outstanding).
    pub fn met_all_standards(self) -> bool {
        matches!(self, CqcRating::Good | CqcRating::Outstanding)
    }
    pub fn plain(self) -> &'static str {
        match self {
            CqcRating::Outstanding => "outstanding",
            CqcRating::Good => "good",
            CqcRating::RequiresImprovement => "requires improvement",
            CqcRating::Inadequate => "inadequate",
            CqcRating::NotRated => "not rated",
        }
    }
}

words!(
    /// Whether a provider takes new packages at all.
    ProviderStatus { Active = "active", Suspended = "suspended", Exited = "exited" }
);

words!(
    /// Why a provider hands a package back (SPEC §9): a client's choice or call-time preference
    /// ends the package; any other reason puts it back on the list. `notice` is a provider's notice
    /// covering several clients (a multiple handback or an exit).
    HandbackReason {
        ClientChoice = "client-choice",
        CallTimes = "call-times",
        Capacity = "capacity",
        Staffing = "staffing",
        Risk = "risk",
        Other = "other",
        Notice = "notice",
    }
);

impl HandbackReason {
    /// Guidance, individual handback: the client's choice or preference of call times is not re-added.
    pub fn re_added(self) -> bool {
        !matches!(self, HandbackReason::ClientChoice | HandbackReason::CallTimes)
    }
}

words!(
    /// How a provider leaves the market (seed 001).
    ExitType { Enforced = "enforced", Planned = "planned", Emergency = "emergency" }
);

words!(
    /// The client group (flexible care is for older people and physical disability, seed 004).
    ClientGroup {
        OlderPeople = "older-people",
        PhysicalDisability = "physical-disability",
        LearningDisability = "learning-disability",
        MentalHealth = "mental-health",
    }
);

words!(
    /// The service the package is part of.
    Service { OlderPeopleHomecare = "older-people-homecare", ExtraCare = "extra-care", Sis = "sis", Bhal = "bhal" }
);

words!(
    /// The package type, for its hourly rate (seed 002): complex needs funding-panel approval.
    RateType { Standard = "standard", Complex = "complex", HighComplexPbs = "high-complex-pbs" }
);

words!(
    /// The contract a non-contracted placement runs under (SPEC §6).
    PlacementType { Contract = "contract", Exception = "exception", Indi = "indi" }
);

words!(
    /// The decisions an ASM (or AD) records (SPEC §17).
    Decision {
        ApproveNonContracted = "approve-non-contracted",
        ApproachNext = "approach-next",
        Wait = "wait",
        AcceptFutureStart = "accept-future-start",
        RefuseFutureStart = "refuse-future-start",
        AllowSanctioned = "allow-sanctioned",
        Noted = "noted",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_parse_any_case_and_alias() {
        assert_eq!(Team::parse("KEaH"), Some(Team::Keah));
        assert_eq!(Team::parse("act"), Some(Team::Act));
        assert_eq!(Team::parse("XYZ"), None);
        assert_eq!(Funding::parse("Self Funder"), Some(Funding::SelfFunder));
        assert_eq!(Item::parse("BICA"), Some(Item::Bica));
        assert_eq!(Tier::OtherContracted.as_str(), "other_contracted");
        assert_eq!(DeclineReason::parse("no capacity"), Some(DeclineReason::NoCapacity));
        assert!(State::Waiting.on_list() && !State::Tentative.on_list());
        assert!(Team::names().contains("keah"));
    }
}
