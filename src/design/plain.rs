//! Plain end-to-end encryption: no exceptional access. No key material exists beyond the two
//! devices', so only a device compromise reads traffic, until the ratchet heals.
//!
//! Its lawful-access path is the alternative a state has without a design: an implant on the
//! target's phone, which reads what the phone itself sends and decrypts.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    DesignError,
    capture::Wiretap,
    kind::{Deployed, Design, DesignConversation, Registered, Setup},
};

/// `plain` has no parameters.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlainSpec {}

/// The `plain` design.
pub struct Plain;

impl Registered for Plain {
    type Spec = PlainSpec;
    const KIND: &'static str = "plain";
    const SUMMARY: &'static str = "end-to-end encryption, no exceptional access";

    fn new(_spec: &PlainSpec) -> Self {
        Plain
    }

    fn examples() -> Vec<PlainSpec> {
        vec![PlainSpec {}]
    }
}

impl Design for Plain {
    fn label(&self) -> String {
        "plain".into()
    }

    fn exceptional_access(&self) -> bool {
        false
    }

    fn deploy(&self, _setup: &mut Setup<'_>) -> Result<Box<dyn Deployed>, DesignError> {
        Ok(Box::new(Plain))
    }
}

impl Deployed for Plain {
    fn conversation(
        &self,
        _setup: &super::kind::ConversationSetup<'_>,
    ) -> Box<dyn DesignConversation + '_> {
        Box::new(Implant)
    }
}

/// The authority's implant on each warranted side's phone.
struct Implant;

impl DesignConversation for Implant {
    fn obtain(&mut self, tap: &Wiretap<'_>, _covered: &[bool], obtained: &mut [Vec<bool>; 2]) {
        for (index, message) in tap.script.iter().enumerate() {
            obtained[message.from.index()][index] = tap.wire[index].is_some();
            obtained[message.from.other().index()][index] = tap.delivered[index];
        }
    }
}
