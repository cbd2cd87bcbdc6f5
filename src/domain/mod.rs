//! Pure rules: facts and `now` in, decisions out. No database, files, environment or clock here.

pub mod allocation;
pub mod calendar;
pub mod completeness;
pub mod dates;
pub mod model;
pub mod responses;
pub mod text;
pub mod waiting;
