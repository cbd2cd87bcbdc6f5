//! Pure rules: facts and `now` in, decisions out. No database, files, environment or clock here.

pub mod allocation;
pub mod answer;
pub mod calendar;
pub mod completeness;
pub mod dates;
pub mod due;
pub mod flex;
pub mod handback;
pub mod import;
pub mod intake;
pub mod lifecycle;
pub mod model;
pub mod placement;
pub mod rates;
pub mod record;
pub mod responses;
pub mod review;
pub mod rules;
pub mod settings;
pub mod stats;
pub mod text;
pub mod transition;
pub mod waiting;
pub mod washup;
pub mod watch;
