//! The one table of designs: what `doormat list` shows, and the one `match` that turns a
//! scenario's [`DesignSpec`] into a [`Design`]. A new design is a module and a line here.

use super::{DesignSpec, backup, escrow, ghost, kind::Design, plain::Plain};

/// Every design kind, as `(kind, what it is)`, in the order `doormat list` shows them.
pub const KINDS: [(&str, &str); 4] = [
    ("plain", "end-to-end encryption, no exceptional access"),
    (
        "escrow",
        "an escrow field per message: scope global|epoch|split, granularity message|chain|session",
    ),
    (
        "ghost",
        "the provider adds a hidden device to targeted users",
    ),
    ("backup", "daily backups under a provider-held key"),
];

/// The design a spec names.
pub fn design(spec: &DesignSpec) -> Box<dyn Design> {
    match spec {
        DesignSpec::Plain => Box::new(Plain),
        DesignSpec::Escrow(spec) => Box::new(escrow::Escrow(spec.clone())),
        DesignSpec::Ghost(spec) => Box::new(ghost::Ghost(spec.clone())),
        DesignSpec::Backup(spec) => Box::new(backup::Backup(spec.clone())),
    }
}
