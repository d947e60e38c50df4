//! The one table of designs. `designs!` (invoked once, in `design/mod.rs`) declares each
//! design's module, the scenario's [`DesignSpec`](super::DesignSpec) enum with one variant per
//! design, the one `match` that turns a spec into a [`Design`](super::Design), the list
//! `doormat list` prints, and the examples the conformance suite runs. A new design is a module
//! implementing [`Registered`](super::Registered) and one line of that table.

/// Declares the designs: one line `module::Design(Spec)` each, with the variant's doc comment.
macro_rules! designs {
    ($( $(#[$doc:meta])* $module:ident :: $design:ident ( $spec:ident ) ),* $(,)?) => {
        $( pub mod $module; )*

        /// One design to simulate, as written in a scenario.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
        #[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
        pub enum DesignSpec {
            $( $(#[$doc])* $design($module::$spec), )*
        }

        impl DesignSpec {
            /// The design it names.
            pub fn design(&self) -> Box<dyn Design> {
                match self {
                    $( DesignSpec::$design(spec) => {
                        Box::new(<$module::$design as Registered>::new(spec))
                    } )*
                }
            }
        }

        /// Every design kind, as `(kind, what it is)`, in table order.
        pub const KINDS: &[(&str, &str)] = &[
            $( (
                <$module::$design as Registered>::KIND,
                <$module::$design as Registered>::SUMMARY,
            ), )*
        ];

        /// Every design's examples, in table order: what the conformance suite runs.
        pub fn examples() -> Vec<DesignSpec> {
            let mut all = Vec::new();
            $( all.extend(
                <$module::$design as Registered>::examples().into_iter().map(DesignSpec::$design),
            ); )*
            all
        }
    };
}

#[cfg(test)]
mod test {
    use crate::design::{DesignSpec, KINDS, examples};

    /// Every example is written with its kind, every kind has examples, and kinds are distinct.
    #[test]
    fn every_kind_is_listed_once_with_examples() {
        let mut kinds: Vec<&str> = KINDS.iter().map(|(kind, _)| *kind).collect();
        let written: Vec<String> = examples()
            .iter()
            .map(|spec| {
                serde_json::to_value(spec).unwrap()["kind"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        for kind in &kinds {
            assert!(
                written.iter().any(|w| w.as_str() == *kind),
                "{kind} has no example"
            );
        }
        for spec in examples() {
            let json = serde_json::to_string(&spec).unwrap();
            let back: DesignSpec = serde_json::from_str(&json).unwrap();
            assert_eq!(back, spec, "{json}");
        }
        kinds.sort_unstable();
        kinds.dedup();
        assert_eq!(kinds.len(), KINDS.len());
    }
}
