//! The escrow field: escrowed key material sealed to an authority key with HPKE, bound to its
//! message through the associated data.
//!
//! | offset | size | field |
//! |---|---|---|
//! | 0 | 1 | granularity: 1 message key, 2 chain key, 3 session start |
//! | 1 | 4 | epoch of the authority key (0 for global and split scopes) |
//! | 5 | 4 | first index covered: the message's own (message), the sealing point (chain), 0 |
//! | 9 | 32 | HPKE encapsulated key |
//! | 41 | 48 or 80 | HPKE ciphertext of the 32- or 64-byte material, with its 16-byte tag |
//! | end | 0 or 2 | 16-bit checksum, in the weak-check (Clipper LEAF) mode only |
//!
//! **Deterministic encapsulation.** The HPKE ephemeral key is drawn from a ChaCha20 RNG seeded
//! by HKDF(escrowed material, binding). A compliant recipient, who knows the material after
//! decrypting, recomputes the field byte for byte and so checks it without the authority's key.
//! Anyone able to do that already knows the material, so the seed reveals nothing new.

use hpke::{Deserializable, OpModeR, OpModeS, Serializable};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use zeroize::Zeroizing;

use super::{
    Granularity,
    keys::{AuthorityPublicKey, AuthoritySecretKey, Kem},
};
use crate::{design::DesignError, protocol::x3dh::AD_LEN};

type Kdf = hpke::kdf::HkdfSha256;
type Aead = hpke::aead::AesGcm256;

/// HPKE `info`: names the protocol and version.
const INFO: &[u8] = b"doormat v1 escrow field";
/// HKDF info for the encapsulation seed.
const SEED_INFO: &[u8] = b"doormat v1 escrow encapsulation seed";
const HEADER_LEN: usize = 1 + 4 + 4 + 32;
const TAG_LEN: usize = 16;

/// What binds a field to its message: `AD ‖ tag ‖ the message's header, ratchet key or base key`.
pub(crate) fn binding(
    associated_data: &[u8; AD_LEN],
    granularity: Granularity,
    item: &[u8],
) -> Vec<u8> {
    let mut out = Vec::with_capacity(AD_LEN + 1 + item.len());
    out.extend_from_slice(associated_data);
    out.push(granularity.tag());
    out.extend_from_slice(item);
    out
}

/// Seals `material` for the authority key `public` of `epoch`.
pub(crate) fn seal(
    granularity: Granularity,
    epoch: u32,
    index: u32,
    public: &AuthorityPublicKey,
    material: &[u8],
    binding: &[u8],
) -> Result<Vec<u8>, DesignError> {
    let seed: Zeroizing<[u8; 32]> =
        Zeroizing::new(crate::protocol::hkdf_sha256(binding, material, SEED_INFO));
    let mut rng = ChaCha20Rng::from_seed(*seed);
    let (encapped, ciphertext) = hpke::single_shot_seal_with_rng::<Aead, Kdf, Kem>(
        &OpModeS::Base,
        public,
        INFO,
        material,
        binding,
        &mut rng,
    )
    .map_err(|_| DesignError::InvalidParameter {
        field: "authority key",
        expected: "a valid X25519 key",
    })?;
    let mut out = Vec::with_capacity(HEADER_LEN + ciphertext.len() + 2);
    out.push(granularity.tag());
    out.extend_from_slice(&epoch.to_be_bytes());
    out.extend_from_slice(&index.to_be_bytes());
    out.extend_from_slice(&encapped.to_bytes());
    out.extend_from_slice(&ciphertext);
    Ok(out)
}

/// A field's parsed parts.
pub(crate) struct Parsed<'a> {
    pub(crate) granularity: Granularity,
    pub(crate) epoch: u32,
    pub(crate) index: u32,
    pub(crate) encapped: &'a [u8],
    pub(crate) ciphertext: &'a [u8],
    /// The field without its checksum: what the checksum covers.
    pub(crate) body: &'a [u8],
    pub(crate) checksum: Option<[u8; 2]>,
}

/// Parses untrusted field bytes; `weak` says whether a 2-byte checksum ends the field.
pub(crate) fn parse(bytes: &[u8], weak: bool) -> Result<Parsed<'_>, DesignError> {
    let malformed = |offset, expected| DesignError::Malformed {
        what: "escrow field",
        offset,
        expected,
    };
    let granularity = match bytes.first() {
        None => return Err(malformed(0, "a granularity byte")),
        Some(&tag) => Granularity::from_tag(tag).ok_or(malformed(0, "granularity 1, 2 or 3"))?,
    };
    let material_len = granularity.material_len();
    let body_len = HEADER_LEN + material_len + TAG_LEN;
    let expected_len = body_len + if weak { 2 } else { 0 };
    if bytes.len() != expected_len {
        return Err(malformed(
            bytes.len().min(expected_len),
            "the field length its granularity sets",
        ));
    }
    let checksum = weak.then(|| [bytes[body_len], bytes[body_len + 1]]);
    Ok(Parsed {
        granularity,
        epoch: u32::from_be_bytes([bytes[1], bytes[2], bytes[3], bytes[4]]),
        index: u32::from_be_bytes([bytes[5], bytes[6], bytes[7], bytes[8]]),
        encapped: &bytes[9..HEADER_LEN],
        ciphertext: &bytes[HEADER_LEN..body_len],
        body: &bytes[..body_len],
        checksum,
    })
}

/// Opens a parsed field with the authority's private key: the escrowed material.
pub(crate) fn open(
    parsed: &Parsed<'_>,
    secret: &AuthoritySecretKey,
    binding: &[u8],
) -> Result<Zeroizing<Vec<u8>>, DesignError> {
    let encapped = <Kem as hpke::Kem>::EncappedKey::from_bytes(parsed.encapped)
        .map_err(|_| DesignError::FieldDoesNotOpen)?;
    hpke::single_shot_open::<Aead, Kdf, Kem>(
        &OpModeR::Base,
        secret,
        &encapped,
        INFO,
        parsed.ciphertext,
        binding,
    )
    .map(Zeroizing::new)
    .map_err(|_| DesignError::FieldDoesNotOpen)
}
