//! `report.html`: rendered from a hand-written summary and checked in a real headless browser.

mod browser;
