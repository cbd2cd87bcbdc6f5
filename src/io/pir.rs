//! The three documents a PIR booking produces (SPEC §10): the notification email to the case
//! worker (Appendix 10), the appointment letter to the client or next of kin (Appendix 11, as
//! plain text and as large-print HTML for A4 at 14 pt) and an RFC 5545 invitation with a
//! Europe/London VTIMEZONE, a UID stable per booking and a SEQUENCE that rises on re-booking.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use icalendar::{Calendar, CalendarDateTime, Component, EventLike};

/// What the documents say.
#[derive(Debug, Clone)]
pub struct PirDocs {
    pub referral: i64,
    pub client_id: String,
    pub name: String,
    /// Address lines (address, postcode), as recorded.
    pub address: Vec<String>,
    pub next_of_kin: Option<String>,
    pub call_times: Vec<String>,
    pub provider: Option<String>,
    pub worker: String,
    pub worker_email: Option<String>,
    pub location: String,
    /// London local time of the review.
    pub when: NaiveDateTime,
    pub uid: String,
    pub sequence: u32,
    pub stamp: DateTime<Utc>,
}

/// "Tuesday 12 January 2027 at 10:00".
pub fn written_out(t: NaiveDateTime) -> String {
    t.format("%A %-d %B %Y at %H:%M").to_string()
}

fn where_text(d: &PirDocs) -> String {
    match d.location.as_str() {
        "home" => "at the client's home".into(),
        "phone" => "by telephone".into(),
        _ => "at a place agreed with the client".into(),
    }
}

/// Where, as the letter puts it to the client or their family.
fn where_letter(d: &PirDocs) -> String {
    match d.location.as_str() {
        "home" => "at home".into(),
        "phone" => "by telephone".into(),
        _ => "at a place agreed with you".into(),
    }
}

/// The email to the case worker: the subject names the client id, never the name.
pub fn email(d: &PirDocs) -> String {
    let calls = if d.call_times.is_empty() { "not recorded".to_string() } else { d.call_times.join(", ") };
    let mut o = String::new();
    if let Some(to) = &d.worker_email {
        o.push_str(&format!("To: {to}\n"));
    }
    o.push_str(&format!("Subject: PIR booked: client {} on {}\n\n", d.client_id, written_out(d.when)));
    o.push_str(&format!("Dear {},\n\n", d.worker));
    o.push_str(&format!(
        "The post-implementation review for client {} ({}) is confirmed for {}, {}.\n\n",
        d.client_id,
        d.name,
        written_out(d.when),
        where_text(d)
    ));
    o.push_str(&format!("Address:\n  {}\n", d.address.join("\n  ")));
    if let Some(p) = &d.provider {
        o.push_str(&format!("Provider: {p}\n"));
    }
    o.push_str(&format!("Call times: {calls}\n"));
    o.push_str(&format!("hcp referral: {}\n\n", d.referral));
    o.push_str("A calendar invitation is attached. Please update AIS/Swift within 5 working days of the review.\n\nPurchasing Team\n");
    o
}

fn addressee(d: &PirDocs) -> String {
    d.next_of_kin.clone().unwrap_or_else(|| d.name.clone())
}

/// The letter as plain text.
pub fn letter_text(d: &PirDocs) -> String {
    let mut o = String::new();
    o.push_str(&format!("{}\n", addressee(d)));
    for l in &d.address {
        o.push_str(&format!("{l}\n"));
    }
    o.push('\n');
    o.push_str(&format!("Dear {},\n\n", addressee(d)));
    o.push_str(&letter_body(d).join("\n\n"));
    o.push_str("\n\nYours sincerely,\n\nPurchasing Team\nKent County Council\n");
    o
}

fn letter_body(d: &PirDocs) -> Vec<String> {
    let about = if d.next_of_kin.is_some() { format!("{}'s", d.name) } else { "your".into() };
    vec![
        format!("We would like to check how {about} home care is going."),
        format!("{} will visit to review the care {} on {}.", d.worker, where_letter(d), written_out(d.when))
            .replace("visit to review the care by telephone", "phone to review the care"),
        "The review is a chance to say what is working well and what is not.".into(),
        "If this time does not suit you, please phone us and we will find another time.".into(),
    ]
}

/// The letter as HTML: large print (14 pt), A4 portrait, no scripts or links.
pub fn letter_html(d: &PirDocs) -> String {
    let e = crate::io::report::esc;
    let mut o = String::from(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<title>Your home care review</title>\n\
<style>body{font-family:Arial,Helvetica,sans-serif;font-size:14pt;line-height:1.5;max-width:170mm;margin:15mm auto}\
.address{margin-bottom:12mm}@page{size:A4 portrait;margin:20mm}</style>\n</head>\n<body>\n<div class=\"address\">",
    );
    o.push_str(&e(&addressee(d)));
    for l in &d.address {
        o.push_str(&format!("<br>{}", e(l)));
    }
    o.push_str(&format!("</div>\n<p>Dear {},</p>\n", e(&addressee(d))));
    for p in letter_body(d) {
        o.push_str(&format!("<p>{}</p>\n", e(&p)));
    }
    o.push_str("<p>Yours sincerely,</p>\n<p>Purchasing Team<br>Kent County Council</p>\n</body>\n</html>\n");
    o
}

/// Europe/London as a VTIMEZONE (GMT in winter, BST from the last Sunday of March to the last
/// Sunday of October), for calendar clients that do not know the zone by name.
const LONDON: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\nTZNAME:BST\r\nDTSTART:19810329T010000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nTZNAME:GMT\r\nDTSTART:19961027T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";

/// The invitation: one event, an hour long, London time. The summary names the client id only.
pub fn ics(d: &PirDocs) -> anyhow::Result<String> {
    let start = CalendarDateTime::WithTimezone { date_time: d.when, tzid: "Europe/London".into() };
    let end = CalendarDateTime::WithTimezone { date_time: d.when + Duration::hours(1), tzid: "Europe/London".into() };
    let event = icalendar::Event::new()
        .uid(&d.uid)
        .sequence(d.sequence)
        .timestamp(d.stamp)
        .summary(&format!("PIR review: client {}", d.client_id))
        .description(&format!("Post-implementation review, hcp referral {}. Details in the PIR email.", d.referral))
        .location(&where_text(d))
        .starts(start)
        .ends(end)
        .done();
    let mut cal = Calendar::new();
    cal.push(event);
    // One PRODID, naming hcp rather than the library.
    let text = cal.done().to_string().replacen("PRODID:ICALENDAR-RS", "PRODID:-//Kent County Council//hcp//EN", 1);
    // The crate builds the event; the zone's definition goes before it, as RFC 5545 lays out.
    let at = text.find("BEGIN:VEVENT").ok_or_else(|| anyhow::anyhow!("the invitation has no event"))?;
    Ok(format!("{}{LONDON}{}", &text[..at], &text[at..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn docs(sequence: u32) -> PirDocs {
        PirDocs {
            referral: 7,
            client_id: "640002".into(),
            name: "Zoë O'Brien".into(),
            address: vec!["1 High St, Canterbury".into(), "CT1 2EH".into()],
            next_of_kin: None,
            call_times: vec!["08:00".into(), "18:00".into()],
            provider: Some("Alpha Care".into()),
            worker: "Sam Case".into(),
            worker_email: Some("sam@example.org".into()),
            location: "home".into(),
            when: NaiveDate::from_ymd_opt(2027, 1, 12).unwrap().and_hms_opt(10, 0, 0).unwrap(),
            uid: "hcp-pir-7@kent.gov.uk".into(),
            sequence,
            stamp: DateTime::parse_from_rfc3339("2026-11-25T10:00:00Z").unwrap().with_timezone(&Utc),
        }
    }

    #[test]
    fn the_invitation_reads_back_as_10_london_time_with_its_uid_and_sequence() {
        let text = ics(&docs(2)).unwrap();
        let unfolded = icalendar::parser::unfold(&text);
        let cal = icalendar::parser::read_calendar(&unfolded).unwrap();
        assert_eq!(cal.properties.iter().filter(|p| p.name == "PRODID").count(), 1, "one PRODID");
        let names: Vec<&str> = cal.components.iter().map(|c| c.name.as_ref()).collect();
        assert_eq!(names, vec!["VTIMEZONE", "VEVENT"]);
        let ev = &cal.components[1];
        let prop = |n: &str| ev.properties.iter().find(|p| p.name == n).unwrap_or_else(|| panic!("{n}"));
        let start = prop("DTSTART");
        assert_eq!(start.val.as_ref(), "20270112T100000");
        assert!(start
            .params
            .iter()
            .any(|p| p.key == "TZID" && p.val.as_ref().map(|v| v.as_ref()) == Some("Europe/London")));
        assert_eq!(prop("UID").val.as_ref(), "hcp-pir-7@kent.gov.uk");
        assert_eq!(prop("SEQUENCE").val.as_ref(), "2");
        // The invitation may be forwarded: the client id, never the name.
        assert!(!text.contains("O'Brien") && !text.contains("Zo"), "{text}");
        assert!(text.contains("\r\n"), "RFC 5545 lines end CRLF");
    }

    #[test]
    fn the_email_subject_has_the_id_and_the_letter_writes_the_date_out() {
        let d = docs(0);
        let e = email(&d);
        let subject = e.lines().find(|l| l.starts_with("Subject:")).unwrap();
        assert!(subject.contains("640002") && !subject.contains("Brien"), "{subject}");
        assert!(e.contains("08:00, 18:00") && e.contains("CT1 2EH"));
        let l = letter_text(&d);
        assert!(l.contains("Tuesday 12 January 2027 at 10:00"), "{l}");
        assert!(l.starts_with("Zoë O'Brien\n1 High St, Canterbury\nCT1 2EH\n"), "{l}");
        let html = letter_html(&d);
        assert!(html.contains("font-size:14pt") && html.contains("O'Brien") && !html.contains("<script"));
        let nok = PirDocs { next_of_kin: Some("Mary O'Brien".into()), ..d };
        assert!(
            letter_text(&nok).contains("Dear Mary O'Brien") && letter_text(&nok).contains("Zoë O'Brien's home care")
        );
    }
}
