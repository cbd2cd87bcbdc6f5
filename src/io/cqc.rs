//! CQC's published files, read as they come: the care directory (some preamble lines, then a
//! header whose last columns carry an unclosed bracket) and the ratings file (one row per
//! location and domain; the `Overall` domain is the rating).

use super::packages::read_date;
use crate::domain::model::CqcRating;
use chrono::NaiveDate;

/// A location in the care directory.
#[derive(Debug, Clone, PartialEq)]
pub struct DirectoryRow {
    pub name: String,
    pub postcode: String,
    pub service_types: String,
    pub last_checked: Option<NaiveDate>,
    pub provider_name: String,
    pub local_authority: String,
    pub location_id: String,
    pub cqc_provider_id: String,
}

impl DirectoryRow {
    /// A Kent location offering care at home (SPEC: Kent locations whose service types include homecare).
    pub fn kent_homecare(&self) -> bool {
        self.local_authority.trim().eq_ignore_ascii_case("Kent")
            && self.service_types.to_ascii_lowercase().contains("homecare")
    }
}

fn position(headers: &csv::StringRecord, starts: &str) -> Option<usize> {
    headers.iter().position(|h| h.trim().to_ascii_lowercase().starts_with(&starts.to_ascii_lowercase()))
}

/// The directory's rows. The header is the first line starting `Name,Also known as`; what comes
/// before it is CQC's preamble.
pub fn read_directory(text: &str) -> Result<Vec<DirectoryRow>, String> {
    let start = text
        .lines()
        .scan(0usize, |offset, line| {
            let here = *offset;
            *offset += line.len() + 1;
            Some((here, line))
        })
        .find(|(_, l)| l.trim_start_matches('\u{feff}').starts_with("Name,Also known as"))
        .map(|(o, _)| o)
        .ok_or("no header row starting \"Name,Also known as\": is this CQC's care directory CSV?")?;
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(&text.as_bytes()[start..]);
    let headers = rdr.headers().map_err(|e| e.to_string())?.clone();
    let col = |name: &str| position(&headers, name).ok_or(format!("the directory has no \"{name}\" column"));
    let (name, pc, types, checked, pname, la, loc, pid) = (
        col("Name")?,
        col("Postcode")?,
        col("Service types")?,
        col("Date of latest check")?,
        col("Provider name")?,
        col("Local Authority")?,
        col("CQC Location")?,
        col("CQC Provider ID")?,
    );
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| e.to_string())?;
        let get = |i: usize| rec.get(i).unwrap_or("").trim().to_string();
        out.push(DirectoryRow {
            name: get(name),
            postcode: get(pc),
            service_types: get(types),
            last_checked: read_date(&get(checked)),
            provider_name: get(pname),
            local_authority: get(la),
            location_id: get(loc),
            cqc_provider_id: get(pid),
        });
    }
    Ok(out)
}

/// An overall rating of a location.
#[derive(Debug, Clone, PartialEq)]
pub struct OverallRating {
    pub location_id: String,
    pub cqc_provider_id: String,
    pub rating: CqcRating,
    pub published: Option<NaiveDate>,
}

/// The ratings file's `Overall` rows (key questions such as Safe or Caring are not the rating).
pub fn read_ratings(text: &str) -> Result<Vec<OverallRating>, String> {
    let text = text.trim_start_matches('\u{feff}');
    let start = text
        .lines()
        .position(|l| l.contains("Location ID") && l.contains("Domain"))
        .ok_or("no header with \"Location ID\" and \"Domain\": is this CQC's ratings file?")?;
    let offset: usize = text.lines().take(start).map(|l| l.len() + 1).sum();
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(&text.as_bytes()[offset..]);
    let headers = rdr.headers().map_err(|e| e.to_string())?.clone();
    let col = |name: &str| position(&headers, name).ok_or(format!("the ratings file has no \"{name}\" column"));
    let (loc, pid, domain, rating, published) =
        (col("Location ID")?, col("Provider ID")?, col("Domain")?, col("Latest Rating")?, col("Publication Date")?);
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| e.to_string())?;
        let get = |i: usize| rec.get(i).unwrap_or("").trim().to_string();
        if !get(domain).eq_ignore_ascii_case("Overall") {
            continue;
        }
        let word = get(rating);
        let r = CqcRating::parse(&word).unwrap_or(CqcRating::NotRated);
        out.push(OverallRating {
            location_id: get(loc),
            cqc_provider_id: get(pid),
            rating: r,
            published: read_date(&get(published)),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIRECTORY: &str = "Care directory with ratings\nData as at 01 November 2026\n\n\
Name,Also known as,Address,Postcode,Phone number,Service's website (if available),Service types,Date of latest check,Specialisms/services,Provider name,Local Authority,Region,Location URL,CQC Location (for office use only,CQC Provider ID (for office use only)\n\
Alpha Care Canterbury,,1 High St,CT1 2EH,01227 000000,,Homecare agencies,12/03/2025,Dementia,Alpha Care Ltd,Kent,South East,https://www.cqc.org.uk/location/1-111,1-111,1-900\n\
Some Care Home,,2 Low St,ME1 1AA,,,Residential homes,01/01/2024,,Homes Ltd,Medway,South East,,1-222,1-901\n";

    #[test]
    fn the_directory_is_read_past_its_preamble() {
        let rows = read_directory(DIRECTORY).unwrap();
        assert_eq!(rows.len(), 2);
        assert!(rows[0].kent_homecare() && !rows[1].kent_homecare());
        assert_eq!(rows[0].cqc_provider_id, "1-900");
        assert_eq!(rows[0].last_checked, NaiveDate::from_ymd_opt(2025, 3, 12));
    }

    #[test]
    fn only_the_overall_domain_is_the_rating() {
        let text = "Location ID,Location Name,Provider ID,Domain,Latest Rating,Publication Date\n\
1-111,Alpha Care Canterbury,1-900,Safe,Good,2025-03-12\n\
1-111,Alpha Care Canterbury,1-900,Overall,Requires improvement,2025-03-12\n";
        let r = read_ratings(text).unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].rating, CqcRating::RequiresImprovement);
    }
}
