//! The vocabulary on the command line: every word type (`domain::model::Word`) is read by clap
//! with its aliases and any case (`--team KEaH`, `--reason "no capacity"`), lists its spellings in
//! `--help`, and names them in the error for a word it does not know (exit 2).

use crate::domain::model::{
    ClientGroup, CqcRating, Decision, DeclineReason, ExitType, Funding, HandbackReason, PlacementType, ProviderStatus,
    ProviderType, Rag, RateType, Service, State, Team, Word,
};
use crate::domain::waiting::{Recipient, Rule};
use clap::builder::{PossibleValue, TypedValueParser, ValueParserFactory};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use std::marker::PhantomData;

/// Reads a word of type `T`.
#[derive(Clone, Copy)]
pub struct WordParser<T>(PhantomData<T>);

impl<T: Word> TypedValueParser for WordParser<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        let text = value.to_string_lossy();
        T::parse(&text).ok_or_else(|| {
            let mut err = clap::Error::new(ErrorKind::InvalidValue).with_cmd(cmd);
            if let Some(arg) = arg {
                err.insert(ContextKind::InvalidArg, ContextValue::String(arg.to_string()));
            }
            err.insert(ContextKind::InvalidValue, ContextValue::String(text.into_owned()));
            err.insert(
                ContextKind::ValidValue,
                ContextValue::Strings(T::ALL.iter().map(|w| w.as_str().to_string()).collect()),
            );
            err
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(T::ALL.iter().map(|w| PossibleValue::new(w.as_str()))))
    }
}

macro_rules! word_args {
    ($($ty:ty),+ $(,)?) => {$(
        impl ValueParserFactory for $ty {
            type Parser = WordParser<$ty>;
            fn value_parser() -> Self::Parser {
                WordParser(PhantomData)
            }
        }
    )+};
}

word_args!(
    State,
    Team,
    Funding,
    DeclineReason,
    Rag,
    ProviderType,
    CqcRating,
    ProviderStatus,
    PlacementType,
    Decision,
    Rule,
    Recipient,
    ClientGroup,
    Service,
    RateType,
    HandbackReason,
    ExitType
);

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct T {
        #[arg(long)]
        team: Team,
        #[arg(long)]
        reason: Option<DeclineReason>,
    }

    #[test]
    fn words_read_with_aliases_and_any_case() {
        let t = T::try_parse_from(["t", "--team", "KEaH", "--reason", "no capacity"]).unwrap();
        assert_eq!((t.team, t.reason), (Team::Keah, Some(DeclineReason::NoCapacity)));
        let err = T::try_parse_from(["t", "--team", "xyz"]).err().unwrap();
        assert_eq!(err.kind(), ErrorKind::InvalidValue);
        let msg = err.to_string();
        assert!(msg.contains("xyz") && msg.contains("keah"), "{msg}");
    }
}
