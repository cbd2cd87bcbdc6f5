//! How each typed value is kept in a column, and the error when a stored value does not read.
//!
//! Instants are RFC 3339 UTC text to the second (`2026-11-23T09:15:00Z`: text order is time order),
//! dates `YYYY-MM-DD`, words their SPEC §17 spelling, lists JSON arrays. A value that does not read
//! is an error naming the table, the row and the value — never a silent default.

use crate::domain::dates::{load_instant, store_instant};
use crate::domain::model::{
    ClientGroup, CqcRating, Decision, DeclineReason, ExitType, Funding, HandbackReason, Item, PlacementType,
    ProviderStatus, ProviderType, RateType, Response, Service, State, Team, Tier,
};
use crate::domain::waiting::{Recipient, Rule};
use crate::error::UserError;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use rusqlite::types::{Value, ValueRef};
use std::fmt;

/// A stored value that does not read as what its column holds.
#[derive(Debug)]
pub struct BadValue {
    /// What the column holds, in words: "state", "date".
    pub what: &'static str,
    pub value: String,
}

/// The same, with the table, row and column it was found in.
#[derive(Debug)]
pub struct CorruptValue {
    pub table: &'static str,
    pub id: i64,
    pub column: &'static str,
    pub what: &'static str,
    pub value: String,
}

impl fmt::Display for CorruptValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let row = match self.table {
            "referrals" => format!("referral {}", self.id),
            "offers" => format!("offer {}", self.id),
            "escalations" => format!("escalation {}", self.id),
            "providers" => format!("provider {}", self.id),
            t => format!("{t} row {}", self.id),
        };
        write!(f, "the database holds an unknown {} '{}' for {row} (column {})", self.what, self.value, self.column)
    }
}

impl std::error::Error for CorruptValue {}

impl CorruptValue {
    pub fn user_error(&self) -> UserError {
        UserError::new(self.to_string())
            .hint("the file was changed outside hcp or is damaged; restore it from a backup (`hcp backup` makes one)")
    }
}

/// A value kept in one column.
pub trait Col: Sized {
    fn read(v: ValueRef<'_>) -> Result<Self, BadValue>;
    fn write(&self) -> Value;
}

fn text<'a>(v: &ValueRef<'a>, what: &'static str) -> Result<&'a str, BadValue> {
    match *v {
        ValueRef::Text(t) => std::str::from_utf8(t).map_err(|_| BadValue { what, value: "(not UTF-8)".into() }),
        other => Err(BadValue { what, value: format!("{other:?}") }),
    }
}

impl Col for String {
    fn read(v: ValueRef<'_>) -> Result<Self, BadValue> {
        text(&v, "text").map(str::to_string)
    }
    fn write(&self) -> Value {
        Value::Text(self.clone())
    }
}

impl Col for i64 {
    fn read(v: ValueRef<'_>) -> Result<Self, BadValue> {
        match v {
            ValueRef::Integer(i) => Ok(i),
            other => Err(BadValue { what: "number", value: format!("{other:?}") }),
        }
    }
    fn write(&self) -> Value {
        Value::Integer(*self)
    }
}

impl Col for bool {
    fn read(v: ValueRef<'_>) -> Result<Self, BadValue> {
        match v {
            ValueRef::Integer(0) => Ok(false),
            ValueRef::Integer(1) => Ok(true),
            other => Err(BadValue { what: "yes/no value", value: format!("{other:?}") }),
        }
    }
    fn write(&self) -> Value {
        Value::Integer(*self as i64)
    }
}

impl<T: Col> Col for Option<T> {
    fn read(v: ValueRef<'_>) -> Result<Self, BadValue> {
        match v {
            ValueRef::Null => Ok(None),
            v => T::read(v).map(Some),
        }
    }
    fn write(&self) -> Value {
        self.as_ref().map(Col::write).unwrap_or(Value::Null)
    }
}

impl Col for DateTime<Utc> {
    fn read(v: ValueRef<'_>) -> Result<Self, BadValue> {
        let s = text(&v, "time")?;
        load_instant(s).ok_or_else(|| BadValue { what: "time", value: s.into() })
    }
    fn write(&self) -> Value {
        Value::Text(store_instant(*self))
    }
}

impl Col for NaiveDate {
    fn read(v: ValueRef<'_>) -> Result<Self, BadValue> {
        let s = text(&v, "date")?;
        s.parse::<NaiveDate>().map_err(|_| BadValue { what: "date", value: s.into() })
    }
    fn write(&self) -> Value {
        Value::Text(self.format("%Y-%m-%d").to_string())
    }
}

/// Stored words: each enum in its SPEC §17 spelling, read strictly (no aliases).
macro_rules! word_columns {
    ($($ty:ty => $what:literal),+ $(,)?) => {$(
        impl Col for $ty {
            fn read(v: ValueRef<'_>) -> Result<Self, BadValue> {
                let s = text(&v, $what)?;
                <$ty>::ALL.iter().copied().find(|w| w.as_str() == s).ok_or_else(|| BadValue { what: $what, value: s.into() })
            }
            fn write(&self) -> Value {
                Value::Text(self.as_str().to_string())
            }
        }
        impl rusqlite::ToSql for $ty {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(rusqlite::types::ToSqlOutput::Borrowed(ValueRef::Text(self.as_str().as_bytes())))
            }
        }
    )+};
}

word_columns! {
    State => "state",
    Team => "team",
    Funding => "funding",
    Item => "document or missing item",
    Tier => "tier",
    Response => "response",
    DeclineReason => "decline reason",
    PlacementType => "placement type",
    Rule => "escalation rule",
    Recipient => "recipient",
    Decision => "decision",
    ProviderType => "provider type",
    ProviderStatus => "provider status",
    CqcRating => "CQC rating",
    ClientGroup => "client group",
    Service => "service",
    RateType => "rate type",
    HandbackReason => "handback reason",
    ExitType => "exit type",
}

/// A list kept as a JSON array of words (documents, missing items).
impl Col for Vec<Item> {
    fn read(v: ValueRef<'_>) -> Result<Self, BadValue> {
        let s = text(&v, "list of items")?;
        let words: Vec<String> =
            serde_json::from_str(s).map_err(|_| BadValue { what: "list of items", value: s.into() })?;
        words
            .iter()
            .map(|w| Item::ALL.iter().copied().find(|i| i.as_str() == w))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| BadValue { what: "list of items", value: s.into() })
    }
    fn write(&self) -> Value {
        Value::Text(serde_json::to_string(&self.iter().map(|i| i.as_str()).collect::<Vec<_>>()).unwrap_or_default())
    }
}

/// Call times kept as a JSON array of `HH:MM`.
impl Col for Vec<NaiveTime> {
    fn read(v: ValueRef<'_>) -> Result<Self, BadValue> {
        let s = text(&v, "list of call times")?;
        let words: Vec<String> =
            serde_json::from_str(s).map_err(|_| BadValue { what: "list of call times", value: s.into() })?;
        words
            .iter()
            .map(|w| NaiveTime::parse_from_str(w, "%H:%M").ok())
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| BadValue { what: "list of call times", value: s.into() })
    }
    fn write(&self) -> Value {
        Value::Text(
            serde_json::to_string(&self.iter().map(|t| t.format("%H:%M").to_string()).collect::<Vec<_>>())
                .unwrap_or_default(),
        )
    }
}

/// Read column `i` of a row as `T`, or an error naming the table, row id and column.
pub fn get<T: Col>(
    row: &rusqlite::Row,
    i: usize,
    table: &'static str,
    id: i64,
    column: &'static str,
) -> rusqlite::Result<T> {
    let v = row.get_ref(i)?;
    T::read(v).map_err(|b| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            v.data_type(),
            Box::new(CorruptValue { table, id, column, what: b.what, value: b.value }),
        )
    })
}

/// The corrupt value behind an error, if that is what it is.
pub fn corrupt_value(e: &anyhow::Error) -> Option<&CorruptValue> {
    e.chain().find_map(|c| match c.downcast_ref::<rusqlite::Error>() {
        Some(rusqlite::Error::FromSqlConversionFailure(_, _, inner)) => inner.downcast_ref::<CorruptValue>(),
        _ => c.downcast_ref::<CorruptValue>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_read_strictly_and_name_the_value() {
        assert_eq!(State::read(ValueRef::Text(b"waiting")).unwrap(), State::Waiting);
        let bad = State::read(ValueRef::Text(b"Waitng")).unwrap_err();
        assert_eq!((bad.what, bad.value.as_str()), ("state", "Waitng"));
        // Aliases are for people typing, not for stored values.
        assert!(Team::read(ValueRef::Text(b"enablement")).is_err());
    }

    #[test]
    fn lists_round_trip_as_json_arrays() {
        let docs = vec![Item::ReferralForm, Item::Bica];
        let Value::Text(t) = docs.write() else { panic!("text") };
        assert_eq!(t, r#"["referral-form","bica"]"#);
        assert_eq!(Vec::<Item>::read(ValueRef::Text(t.as_bytes())).unwrap(), docs);
        assert!(Vec::<Item>::read(ValueRef::Text(b"referral-form,bica")).is_err());
        let times = vec![NaiveTime::from_hms_opt(7, 30, 0).unwrap()];
        let Value::Text(t) = times.write() else { panic!("text") };
        assert_eq!(t, r#"["07:30"]"#);
    }

    #[test]
    fn instants_keep_their_sortable_form() {
        let t = load_instant("2026-11-23T09:15:00Z").unwrap();
        assert_eq!(t.write(), Value::Text("2026-11-23T09:15:00Z".into()));
        assert!(DateTime::<Utc>::read(ValueRef::Text(b"23/11/2026")).is_err());
    }
}
