//! Decryption in two steps, so that a forged or refused message changes nothing: open on
//! copies of the chains ([`Session::decrypt_pending`]), then write the state back only once the
//! caller accepts the message ([`Session::commit`]).

use super::*;

impl Session {
    /// Decrypts without changing the session, so the caller can check the message (an escrow
    /// field, say) before [`Session::commit`] makes it count.
    pub fn decrypt_pending(&self, bytes: &[u8]) -> Result<Decrypted, SessionError> {
        let wire = WireMessage::try_from(bytes)?;
        if let WireMessage::PreKey(prekey) = &wire
            && !same_fields(&prekey.fields, &self.prekey_fields)
        {
            return Err(SessionError::WrongSession);
        }
        self.open_message(wire.message())
    }

    /// Opens a parsed normal message (spec §3.5 `RatchetDecrypt`) without changing the session:
    /// the result carries the state change, which [`Session::commit`] applies.
    pub(crate) fn open_message(&self, message: &Message<'_>) -> Result<Decrypted, SessionError> {
        let header = &message.header;
        let associated_data = self.full_associated_data(message.header_bytes);
        let open = |key: MessageKey| -> Result<(Vec<u8>, KeyTrace), SessionError> {
            let message_key = Zeroizing::new(*key.as_bytes());
            let mut plaintext = message.ciphertext.to_vec();
            key.open(&associated_data, &mut plaintext, message.tag)
                .map_err(|_| SessionError::Authentication)?;
            let trace = KeyTrace {
                index: header.index,
                message_key,
                chain_start: None,
                chain_key: None,
            };
            Ok((plaintext, trace))
        };
        let decrypted = |(plaintext, trace), update| Decrypted {
            plaintext,
            trace,
            update,
        };

        // A key skipped earlier: used once, then deleted.
        let out_of_order = self.receiving.as_ref().is_none_or(|chain| {
            chain.ratchet_key.as_bytes() != header.ratchet_key.as_bytes()
                || header.index < chain.next_index
        });
        if out_of_order && let Some((_, key)) = self.skipped.find(&header.ratchet_key, header.index)
        {
            let update = Update::Skipped {
                ratchet_key: header.ratchet_key,
                index: header.index,
            };
            return Ok(decrypted(open(key)?, update));
        }

        let max_skip = self.config.max_skip;
        if let Some(chain) =
            // Public, canonical keys: a byte comparison is exact, and cheaper than `PublicKey`'s
            // constant-time field-element comparison.
            self
                .receiving
                .as_ref()
                .filter(|c| c.ratchet_key.as_bytes() == header.ratchet_key.as_bytes())
        {
            // The current receiving chain.
            let step = advance(chain.key.bytes(), chain.next_index, header.index, max_skip)?;
            let update = Update::Chain {
                from: chain.next_index,
                chain_key: step.chain_key,
                skipped: step.skipped,
            };
            return Ok(decrypted(open(step.message_key)?, update));
        }

        // A new ratchet key: finish the old chain up to PN, then step the root (spec DHRatchet).
        let previous = match &self.receiving {
            Some(chain) => Some(finish_chain(
                chain.key.bytes(),
                chain.next_index,
                header.previous_chain_length,
                max_skip,
            )?),
            None => None,
        };
        let shared = self.ratchet.secret.diffie_hellman(&header.ratchet_key);
        if !shared.was_contributory() {
            return Err(SessionError::NonContributory);
        }
        let (root, chain_key) = self.root.ratchet(shared.as_bytes());
        let step = advance(chain_key.bytes(), 0, header.index, max_skip)?;
        let (plaintext, mut trace) = open(step.message_key)?;
        trace.chain_start = Some(ChainStart {
            ratchet_key: header.ratchet_key,
            root_key: Zeroizing::new(*root.bytes()),
            chain_key: Zeroizing::new(*chain_key.bytes()),
        });
        let mut chain_key = chain_key;
        chain_key.set(&step.chain_key);
        let update = Update::NewChain {
            previous,
            root,
            chain: ReceivingChain {
                ratchet_key: header.ratchet_key,
                key: chain_key,
                next_index: header.index + 1,
            },
            skipped: step.skipped,
        };
        Ok(decrypted((plaintext, trace), update))
    }

    /// Applies an authenticated message's state change. Fails, changing nothing, if the session
    /// moved on since it was opened (the same message committed twice, or another in between).
    pub fn commit(&mut self, decrypted: Decrypted) -> Result<(Vec<u8>, KeyTrace), SessionError> {
        let Decrypted {
            plaintext,
            trace,
            update,
        } = decrypted;
        let stale = SessionError::DuplicateOrExpired { index: trace.index };
        let current = self
            .receiving
            .as_ref()
            .map(|c| (c.ratchet_key.to_bytes(), c.next_index));
        match update {
            Update::Skipped { ratchet_key, index } => {
                let (position, _) = self.skipped.find(&ratchet_key, index).ok_or(stale)?;
                self.skipped.remove(position);
            }
            Update::Chain {
                from,
                chain_key,
                skipped,
            } => {
                let chain = self
                    .receiving
                    .as_mut()
                    .filter(|c| c.next_index == from)
                    .ok_or(stale)?;
                chain.key.set(&chain_key);
                chain.next_index = trace.index + 1;
                let ratchet_key = chain.ratchet_key;
                self.skipped.extend(&ratchet_key, skipped);
            }
            Update::NewChain {
                previous,
                root,
                chain,
                skipped,
            } => {
                // Opened against the chain that was current then; it must still be.
                let expected = previous.as_ref().map(|rest| rest.expected_from);
                if current.map(|(_, next)| next) != expected
                    || current.is_some_and(|(key, _)| key == chain.ratchet_key.to_bytes())
                {
                    return Err(stale);
                }
                if let (Some(rest), Some(old)) = (previous, &self.receiving) {
                    let old_key = old.ratchet_key;
                    self.skipped.extend(&old_key, rest.keys);
                }
                self.skipped.extend(&chain.ratchet_key, skipped);
                self.root = root;
                self.their_ratchet = chain.ratchet_key;
                self.receiving = Some(chain);
                if let Some(sent) = self.sending.take() {
                    self.previous_chain_length = sent.next_index;
                }
            }
        }
        self.initial = None;
        Ok((plaintext, trace))
    }
}

/// Byte-exact equality of X3DH fields (`PublicKey`'s `==` compares keys mod p).
fn same_fields(a: &PreKeyFields, b: &PreKeyFields) -> bool {
    a.identity_key.as_bytes() == b.identity_key.as_bytes()
        && a.base_key.as_bytes() == b.base_key.as_bytes()
        && a.signed_prekey_id == b.signed_prekey_id
        && a.one_time_prekey_id == b.one_time_prekey_id
}
