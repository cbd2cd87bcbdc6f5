//! Small pure readers for typed values: postcodes, money, hours, yes/no, close matches.

/// A UK postcode in its standard form (`CT1 2EH`), from any spacing or case (`ct12eh`,
/// ` CT1  2EH `). None when it cannot be a postcode.
pub fn normalise_postcode(input: &str) -> Option<String> {
    let compact: String = input.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect();
    if !(5..=7).contains(&compact.len()) || !compact.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let (outward, inward) = compact.split_at(compact.len() - 3);
    let inward_ok =
        inward.as_bytes()[0].is_ascii_digit() && inward.as_bytes()[1..].iter().all(|b| b.is_ascii_alphabetic());
    let outward_ok = outward.as_bytes()[0].is_ascii_alphabetic();
    if !inward_ok || !outward_ok {
        return None;
    }
    Some(format!("{outward} {inward}"))
}

/// The outward part of a postcode (`CT1` of `CT1 2EH`): safe to show a provider.
pub fn postcode_district(postcode: &str) -> &str {
    postcode.split(' ').next().unwrap_or("")
}

/// Money in integer pence from `£1,234.50`, `1234.5`, `1,200`. Never a float on the way.
pub fn parse_pence(input: &str) -> Option<i64> {
    let t = input.trim();
    let (neg, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, t),
    };
    let s: String = t.trim_start_matches('£').trim().chars().filter(|c| *c != ',').collect();
    if s.is_empty() {
        return None;
    }
    let s = s.as_str();
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() && frac.is_empty() {
        return None;
    }
    if !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) || frac.len() > 2 {
        return None;
    }
    let pounds: i64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let pence: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    let total = pounds.checked_mul(100)?.checked_add(pence)?;
    Some(if neg { -total } else { total })
}

/// `£1,234.50` from pence.
pub fn show_pence(pence: i64) -> String {
    let sign = if pence < 0 { "-" } else { "" };
    let p = pence.unsigned_abs();
    let pounds = (p / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in pounds.chars().enumerate() {
        if i > 0 && (pounds.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}£{grouped}.{:02}", p % 100)
}

/// Hours as typed: `12.5` or `12:30` (hours:minutes); returned in whole minutes.
pub fn parse_hours_to_minutes(input: &str) -> Option<i64> {
    let s = input.trim().trim_end_matches(|c: char| c.is_alphabetic() || c == ' ');
    let s = s.trim();
    if let Some((h, m)) = s.split_once(':') {
        let h: i64 = h.trim().parse().ok()?;
        let m: i64 = m.trim().parse().ok()?;
        if !(0..60).contains(&m) || h < 0 {
            return None;
        }
        return h.checked_mul(60)?.checked_add(m);
    }
    let v: f64 = s.parse().ok()?;
    if !v.is_finite() || !(0.0..=10_000.0).contains(&v) {
        return None;
    }
    Some((v * 60.0).round() as i64)
}

/// Minutes per call as typed: `30`, `30 mins`, `0:30`, `45m`.
pub fn parse_call_minutes(input: &str) -> Option<i64> {
    let s = input.trim().to_ascii_lowercase();
    if s.contains(':') {
        return parse_hours_to_minutes(&s);
    }
    let digits = s.trim_end_matches(|c: char| c.is_alphabetic() || c == ' ' || c == '.').trim();
    let v: i64 = digits.parse().ok()?;
    (0..=24 * 60).contains(&v).then_some(v)
}

/// Yes/No/Y/N/True/False/1/0/blank (blank = no).
pub fn parse_yes_no(input: &str) -> Option<bool> {
    match input.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" | "true" | "t" | "1" | "x" | "✓" => Some(true),
        "n" | "no" | "false" | "f" | "0" | "" | "-" => Some(false),
        _ => None,
    }
}

/// Lower-case with only letters and digits: how names and headers are compared.
pub fn fold(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(|c| c.to_lowercase()).collect()
}

/// Text made safe to show on a terminal: control characters (an escape sequence hidden in a
/// name, a carriage return) are shown visibly, as `\u{1b}`; line breaks are kept.
pub fn visible(s: &str) -> String {
    if !s.chars().any(|c| c.is_control() && c != '\n') {
        return s.to_string();
    }
    s.chars()
        .map(|c| if c.is_control() && c != '\n' { c.escape_unicode().to_string() } else { c.to_string() })
        .collect()
}

/// An e-mail address hcp will put in a `To:` line: one `@`, something either side, no spaces or
/// line breaks (a CR/LF would let a header such as `Bcc:` be smuggled in).
pub fn check_email(e: &str) -> Result<(), &'static str> {
    let e = e.trim();
    if e.is_empty() {
        return Ok(());
    }
    if e.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("holds a space, line break or control character; it is not an e-mail address");
    }
    match e.split_once('@') {
        Some((local, domain)) if !local.is_empty() && domain.contains('.') && !domain.contains('@') => Ok(()),
        _ => Err("is not an e-mail address (name@example.org)"),
    }
}

/// A name as people search for it: accents and case removed, spaces kept (`Zoë O'Brien` is
/// `zoe o'brien`; `Łukasz` is `lukasz`).
pub fn search_key(s: &str) -> String {
    deunicode::deunicode(s).to_lowercase()
}

/// Whether `candidate` folds to `folded` (an already folded string), without allocating.
pub fn folds_to(folded: &str, candidate: &str) -> bool {
    let mut want = folded.chars();
    for c in candidate.chars().filter(|c| c.is_alphanumeric()).flat_map(|c| c.to_lowercase()) {
        if want.next() != Some(c) {
            return false;
        }
    }
    want.next().is_none()
}

/// Up to three known names closest to what was typed, best first.
pub fn close_matches<'a>(typed: &str, known: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let t = fold(typed);
    let mut scored: Vec<(f64, &str)> = known
        .into_iter()
        .map(|k| {
            let f = fold(k);
            let mut score = strsim::jaro_winkler(&t, &f);
            if !t.is_empty() && (f.contains(&t) || t.contains(&f)) {
                score += 0.3;
            }
            (score, k)
        })
        .filter(|(s, _)| *s > 0.7)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, k)| k.to_string()).collect()
}

/// Hours per week for `minutes` minutes, for display: `14`, `10.5`, `12.25`.
/// Hours for JSON: rounded to 2 decimals (10:35 is 10.58), never 10.583333333333334.
pub fn hours_json(minutes: i64) -> f64 {
    (minutes as f64 / 60.0 * 100.0).round() / 100.0
}

pub fn show_hours(minutes: i64) -> String {
    let h = minutes as f64 / 60.0;
    let s = format!("{h:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn postcodes_normalise() {
        assert_eq!(normalise_postcode("ct12eh").as_deref(), Some("CT1 2EH"));
        assert_eq!(normalise_postcode(" CT1  2EH ").as_deref(), Some("CT1 2EH"));
        assert_eq!(normalise_postcode("me141xq").as_deref(), Some("ME14 1XQ"));
        assert_eq!(normalise_postcode("TN231PL").as_deref(), Some("TN23 1PL"));
        assert_eq!(normalise_postcode("nonsense"), None);
        assert_eq!(normalise_postcode(""), None);
        assert_eq!(normalise_postcode("12345"), None);
        assert_eq!(postcode_district("CT1 2EH"), "CT1");
    }

    #[test]
    fn money_in_pence() {
        assert_eq!(parse_pence("£1,234.50"), Some(123450));
        assert_eq!(parse_pence("1234.5"), Some(123450));
        assert_eq!(parse_pence("400"), Some(40000));
        assert_eq!(parse_pence("£12.50"), Some(1250));
        assert_eq!(parse_pence("12.345"), None);
        assert_eq!(parse_pence("ten"), None);
        assert_eq!(parse_pence(""), None);
        assert_eq!(show_pence(123450), "£1,234.50");
        assert_eq!(show_pence(5), "£0.05");
    }

    #[test]
    fn hours_and_minutes() {
        assert_eq!(parse_hours_to_minutes("12.5"), Some(750));
        assert_eq!(parse_hours_to_minutes("12:30"), Some(750));
        assert_eq!(parse_hours_to_minutes("7"), Some(420));
        assert_eq!(parse_hours_to_minutes("12:75"), None);
        assert_eq!(parse_hours_to_minutes("lots"), None);
        assert_eq!(parse_call_minutes("30 mins"), Some(30));
        assert_eq!(parse_call_minutes("0:30"), Some(30));
        assert_eq!(parse_call_minutes("45"), Some(45));
        assert_eq!(show_hours(840), "14");
        assert_eq!(hours_json(635).to_string(), "10.58");
        assert_eq!(search_key("Zoë O'Brien"), "zoe o'brien");
        assert!(check_email("a.worker@example.org").is_ok());
        assert_eq!(visible("O'Brien\u{1b}[31m"), "O'Brien\\u{1b}[31m");
        assert!(check_email("x\r\nBcc: y@example.org").is_err());
        assert!(check_email("a@b@example.org").is_err() && check_email("nobody").is_err());
        assert_eq!(search_key("Łukasz Wójcik"), "lukasz wojcik");
        assert_eq!(hours_json(840).to_string(), "14");
        assert_eq!(show_hours(630), "10.5");
    }

    #[test]
    fn yes_no_forms() {
        for s in ["Yes", "y", "TRUE", "1"] {
            assert_eq!(parse_yes_no(s), Some(true), "{s}");
        }
        for s in ["No", "n", "false", "", " "] {
            assert_eq!(parse_yes_no(s), Some(false), "{s}");
        }
        assert_eq!(parse_yes_no("maybe"), None);
    }

    #[test]
    fn folding_compares_without_case_or_punctuation() {
        assert!(folds_to(&fold("Self Funder"), "self-funder"));
        assert!(folds_to("keah", "KEaH"));
        assert!(!folds_to("kea", "KEaH"));
        assert!(!folds_to("keahx", "KEaH"));
        assert!(folds_to("", " - "));
    }

    #[test]
    fn close_matches_find_typos() {
        let known = ["Alpha Care", "Beta Care", "Gamma Care"];
        assert_eq!(close_matches("alpha", known)[0], "Alpha Care");
        assert_eq!(close_matches("Gama Care", known)[0], "Gamma Care");
        assert!(close_matches("zzzz", known).is_empty());
    }

    proptest! {
        #[test]
        fn pence_round_trip(p in -10_000_000i64..10_000_000) {
            prop_assert_eq!(parse_pence(&show_pence(p)), Some(p));
        }

        #[test]
        fn readers_never_panic(s in "\\PC*") {
            let _ = parse_pence(&s);
            let _ = parse_hours_to_minutes(&s);
            let _ = parse_call_minutes(&s);
            let _ = normalise_postcode(&s);
            let _ = parse_yes_no(&s);
            let _ = crate::domain::dates::parse_date(&s);
            let _ = crate::domain::dates::parse_instant(&s);
        }

        #[test]
        fn hours_round_trip(m in 0i64..600_000) {
            let typed = format!("{}:{:02}", m / 60, m % 60);
            prop_assert_eq!(parse_hours_to_minutes(&typed), Some(m));
        }
    }
}
