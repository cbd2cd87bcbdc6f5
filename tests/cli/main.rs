//! hcp's one integration test binary: scenarios through the real binary with a pinned clock
//! and a private database each, the trycmd stories, and the --help tree snapshot.

mod allocation;
mod desk;
mod fidelity;
mod flex;
mod foundation;
mod handbacks;
mod help;
mod house;
mod import;
mod intake;
mod pir;
mod rates;
mod readme;
mod reports;
mod scale;
mod stories;
mod support;
mod waiting;
