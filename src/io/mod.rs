//! Files and messages: CSV import/export, emails and the anonymised offer message.

pub mod cqc;
pub mod email;
pub mod files;
pub mod packages;
pub mod packages_row;
pub mod pir;
pub mod report;
pub mod source;
pub mod washup;
pub mod washup_html;
