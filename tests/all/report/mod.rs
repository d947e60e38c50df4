//! `report.html`: rendered from a hand-written summary and checked in a real headless browser;
//! `summary.json` read back as a typed contract.

mod browser;
mod contract;
