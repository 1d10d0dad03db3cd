//! Content Credentials (C2PA) reader: the JUMBF manifest store a signed photo carries
//! (JPEG APP11 segments, PNG `caBX`, WebP `C2PA`, TIFF tag 0xCD41, HEIF/AVIF `uuid`
//! box; the walkers hand over the bytes), read into a plain summary per
//! manifest: claim generator, signer's certificate subject, authors and identities,
//! what the actions say about AI, GPS in `stds.exif`, ingredients and their thumbnails.
//! It must not verify signatures, hashes or certificates, and never fetches anything
//! (a remote manifest link is only reported by `findings`). Every step is bounded:
//! store size, box count, nesting depth, CBOR items and depth; hostile input yields
//! less, never a panic or a long loop. Risk decisions belong to `findings`.

use minicbor::data::Type;
use minicbor::Decoder;
use serde_json::{Map, Value};

/// Largest manifest store we read (after joining JPEG segments).
const MAX_STORE_BYTES: usize = 16 * 1024 * 1024;
/// Most JUMBF boxes walked in one store.
const MAX_BOXES: usize = 4_096;
/// Deepest JUMBF nesting (a store is store → manifest → assertions → assertion: 4).
const MAX_BOX_DEPTH: usize = 8;
/// Most CBOR items decoded in one store, all assertions, claims and signatures together
/// (a kept byte counts as an item: kept bytes become JSON numbers).
const MAX_CBOR_ITEMS: usize = 200_000;
/// Deepest CBOR nesting.
const MAX_CBOR_DEPTH: usize = 24;
/// Largest JSON assertion parsed.
const MAX_JSON_BYTES: usize = 1024 * 1024;
/// Largest byte string kept for reading inside (certificates, COSE payloads).
const MAX_KEPT_BYTES: usize = 64 * 1024;
/// Most manifests and most values of one kind kept.
const MAX_MANIFESTS: usize = 64;
const MAX_VALUES: usize = 32;
/// The group name fields from a manifest carry (shown as "Content Credentials").
pub const GROUP: &str = "C2PA";
/// Longest text value kept.
const MAX_TEXT_CHARS: usize = 300;

/// What one manifest says, in plain values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Manifest {
    /// Manifest label (`urn:uuid:…`), for telling manifests apart.
    pub label: String,
    /// The app or device that wrote it (`claim_generator` or `claim_generator_info` names).
    pub generator: Option<String>,
    /// Certificate subject of the signer: common name and organisation, as written.
    pub signer: Option<String>,
    /// Author names (`stds.schema-org.CreativeWork`).
    pub authors: Vec<String>,
    /// Names or accounts in identity assertions (`cawg.identity`): certificate subject,
    /// verified identities' names and usernames.
    pub identities: Vec<String>,
    /// IPTC digital source types named in actions (full URIs as written).
    pub source_types: Vec<String>,
    /// Actions named (`c2pa.created`, `c2pa.edited`, …).
    pub actions: Vec<String>,
    /// GPS position in `stds.exif` (latitude, longitude).
    pub gps: Option<(f64, f64)>,
    /// Capture time in `stds.exif` (`exif:DateTimeOriginal`).
    pub time: Option<String>,
    /// Device in `stds.exif` (`tiff:Make` `tiff:Model`).
    pub device: Option<String>,
    /// Ingredient assertions (earlier pictures this one was made from).
    pub ingredients: usize,
    /// Byte sizes of ingredient thumbnails (previews of those earlier pictures).
    pub ingredient_thumbnails: Vec<usize>,
    /// Byte size of the claim thumbnail (a preview of this picture), if any.
    pub claim_thumbnail: Option<usize>,
}

/// Reads a manifest store (one JUMBF superbox, `jumb` header included).
/// Returns the manifests found, most recent (active) last, and warnings.
pub fn read_store(store: &[u8], warnings: &mut Vec<String>) -> Vec<Manifest> {
    if store.len() > MAX_STORE_BYTES {
        warnings.push("Content Credentials are too large to read fully.".into());
        return Vec::new();
    }
    let mut budget = MAX_BOXES;
    let mut items = MAX_CBOR_ITEMS;
    let mut out = Vec::new();
    for (kind, payload) in boxes(store) {
        if &kind != b"jumb" {
            continue;
        }
        let Some(root) = superbox(payload, 0, &mut budget) else { continue };
        if root.label != "c2pa" {
            continue;
        }
        for manifest in root.children.iter().filter_map(Content::as_jumb).take(MAX_MANIFESTS) {
            out.push(read_manifest(manifest, &mut items));
        }
    }
    if budget == 0 || items == 0 {
        warnings.push("Content Credentials hold more boxes than ThinkTwice reads; the rest was skipped.".into());
    }
    out
}

/// Joins JPEG APP11 JUMBF segments (payload after the length: `JP`, instance u16,
/// sequence u32, box bytes) into whole stores, one per box instance, in sequence order.
/// Continuation segments repeat the superbox header (LBox/TBox, and XLBox when LBox is 1),
/// which is dropped.
pub fn join_jpeg_segments(segments: &[&[u8]]) -> Vec<Vec<u8>> {
    let mut parts: Vec<(u16, u32, &[u8])> = segments
        .iter()
        .filter(|s| s.len() >= 16 && s.starts_with(b"JP"))
        .map(|s| (u16::from_be_bytes([s[2], s[3]]), u32::from_be_bytes([s[4], s[5], s[6], s[7]]), &s[8..]))
        .collect();
    crate::sort::by_key(&mut parts, |&(instance, seq, _)| u64::from(instance) << 32 | u64::from(seq));
    let mut stores: Vec<(u16, Vec<u8>)> = Vec::new();
    for (instance, seq, body) in parts {
        let header = if body.len() >= 16 && u32::from_be_bytes([body[0], body[1], body[2], body[3]]) == 1 { 16 } else { 8 };
        let continues = matches!(stores.last(), Some((i, _)) if *i == instance) && seq > 1;
        if continues {
            let store = &mut stores.last_mut().expect("checked above").1;
            if store.len() + body.len() <= MAX_STORE_BYTES {
                store.extend_from_slice(body.get(header..).unwrap_or(&[]));
            }
        } else if !stores.iter().any(|(i, _)| *i == instance) && stores.len() < MAX_MANIFESTS {
            stores.push((instance, body.to_vec()));
        }
    }
    stores.into_iter().map(|(_, s)| s).collect()
}

// ---- JUMBF boxes ----

/// One JUMBF superbox: its description label and its content boxes in order.
#[derive(Debug)]
struct Jumb<'a> {
    label: String,
    children: Vec<Content<'a>>,
}

#[derive(Debug)]
enum Content<'a> {
    Jumb(Jumb<'a>),
    Data { kind: [u8; 4], bytes: &'a [u8] },
}

impl<'a> Content<'a> {
    fn as_jumb(&self) -> Option<&Jumb<'a>> {
        match self {
            Content::Jumb(j) => Some(j),
            Content::Data { .. } => None,
        }
    }
}

impl<'a> Jumb<'a> {
    fn child(&self, label_prefix: &str) -> Option<&Jumb<'a>> {
        self.children.iter().filter_map(Content::as_jumb).find(|j| j.label.starts_with(label_prefix))
    }

    /// The first content box of a type (`cbor`, `json`, `bidb`).
    fn data(&self, kind: &[u8; 4]) -> Option<&'a [u8]> {
        self.children.iter().find_map(|c| match c {
            Content::Data { kind: k, bytes } if k == kind => Some(*bytes),
            _ => None,
        })
    }
}

/// The boxes in `data`: (type, payload). Stops at the first malformed length.
fn boxes(data: &[u8]) -> impl Iterator<Item = ([u8; 4], &[u8])> {
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        let head = data.get(pos..pos.checked_add(8)?)?;
        let lbox = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as u64;
        let kind = [head[4], head[5], head[6], head[7]];
        let (start, len) = match lbox {
            0 => (pos + 8, (data.len() - pos) as u64),
            1 => {
                let x = data.get(pos + 8..pos + 16)?;
                (pos + 16, u64::from_be_bytes(x.try_into().ok()?))
            }
            n => (pos + 8, n),
        };
        let end = usize::try_from(len).ok().and_then(|l| pos.checked_add(l))?;
        if end < start || end > data.len() {
            return None;
        }
        pos = end;
        Some((kind, &data[start..end]))
    })
}

/// Parses a `jumb` payload: a `jumd` description box, then content boxes.
fn superbox<'a>(payload: &'a [u8], depth: usize, budget: &mut usize) -> Option<Jumb<'a>> {
    if depth >= MAX_BOX_DEPTH {
        return None;
    }
    let mut it = boxes(payload);
    let (kind, desc) = it.next()?;
    if &kind != b"jumd" {
        return None;
    }
    let mut jumb = Jumb { label: description_label(desc).unwrap_or_default(), children: Vec::new() };
    for (kind, bytes) in it {
        if *budget == 0 {
            break;
        }
        *budget -= 1;
        if &kind == b"jumb" {
            if let Some(child) = superbox(bytes, depth + 1, budget) {
                jumb.children.push(Content::Jumb(child));
            }
        } else {
            jumb.children.push(Content::Data { kind, bytes });
        }
    }
    Some(jumb)
}

/// `jumd`: 16-byte type UUID, toggles byte, then the label (NUL-terminated) when toggle bit 2 is set.
fn description_label(desc: &[u8]) -> Option<String> {
    let toggles = *desc.get(16)?;
    if toggles & 0x02 == 0 {
        return None;
    }
    let rest = desc.get(17..)?;
    let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
    Some(String::from_utf8_lossy(&rest[..end.min(256)]).into_owned())
}

// ---- Manifests ----

fn read_manifest(m: &Jumb<'_>, items: &mut usize) -> Manifest {
    let mut out = Manifest { label: m.label.clone(), ..Manifest::default() };
    if let Some(claim) = m.child("c2pa.claim").and_then(|c| c.data(b"cbor")).and_then(|b| cbor_json(b, items)) {
        out.generator = generator(&claim);
    }
    if let Some(sig) = m.child("c2pa.signature").and_then(|c| c.data(b"cbor")) {
        out.signer = cose_signer(sig, items);
    }
    if let Some(assertions) = m.child("c2pa.assertions") {
        for a in assertions.children.iter().filter_map(Content::as_jumb) {
            read_assertion(a, &mut out, items);
        }
    }
    out
}

/// `claim_generator` (v1 claims) or the names in `claim_generator_info` (v2).
fn generator(claim: &Value) -> Option<String> {
    if let Some(s) = claim.get("claim_generator").and_then(Value::as_str) {
        return Some(clip(s));
    }
    let info = claim.get("claim_generator_info")?;
    let list = match info {
        Value::Array(a) => a.clone(),
        other => vec![other.clone()],
    };
    let names: Vec<String> = list
        .iter()
        .filter_map(|i| {
            let name = i.get("name")?.as_str()?;
            Some(match i.get("version").and_then(Value::as_str) {
                Some(v) => format!("{name} {v}"),
                None => name.to_string(),
            })
        })
        .collect();
    (!names.is_empty()).then(|| clip(&names.join(", ")))
}

/// The assertion's value: CBOR or JSON content turned into JSON (byte strings become `{"bytes": n}`).
fn assertion_value(a: &Jumb<'_>, items: &mut usize) -> Option<Value> {
    if let Some(cbor) = a.data(b"cbor") {
        return cbor_json(cbor, items);
    }
    let json = a.data(b"json")?;
    if json.len() > MAX_JSON_BYTES {
        return None;
    }
    serde_json::from_slice(json).ok()
}

fn read_assertion(a: &Jumb<'_>, out: &mut Manifest, items: &mut usize) {
    let label = a.label.as_str();
    if label.starts_with("c2pa.thumbnail.ingredient") {
        if out.ingredient_thumbnails.len() < MAX_VALUES {
            out.ingredient_thumbnails.push(a.data(b"bidb").map_or(0, <[u8]>::len));
        }
    } else if label.starts_with("c2pa.thumbnail.claim") {
        out.claim_thumbnail = a.data(b"bidb").map(<[u8]>::len);
    } else if label.starts_with("c2pa.ingredient") {
        out.ingredients += 1;
    } else if label.starts_with("c2pa.actions") {
        if let Some(v) = assertion_value(a, items) {
            read_actions(&v, out);
        }
    } else if label.starts_with("stds.schema-org.CreativeWork") {
        if let Some(v) = assertion_value(a, items) {
            for name in person_names(v.get("author")) {
                push_unique(&mut out.authors, name);
            }
        }
    } else if label.starts_with("stds.exif") {
        if let Some(v) = assertion_value(a, items) {
            read_exif(&v, out);
        }
    } else if label.starts_with("cawg.identity") {
        read_identity(a, out, items);
    }
}

fn read_actions(v: &Value, out: &mut Manifest) {
    let Some(actions) = v.get("actions").and_then(Value::as_array) else { return };
    for action in actions.iter().take(MAX_VALUES * 4) {
        if let Some(name) = action.get("action").and_then(Value::as_str) {
            push_unique(&mut out.actions, clip(name));
        }
        if let Some(t) = action.get("digitalSourceType").and_then(Value::as_str) {
            push_unique(&mut out.source_types, clip(t));
        }
    }
}

/// Names in a schema.org `author` (a string, a Person object, or a list of them).
fn person_names(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![clip(s)],
        Some(Value::Object(o)) => o.get("name").and_then(Value::as_str).map(clip).into_iter().collect(),
        Some(Value::Array(a)) => a.iter().take(MAX_VALUES).flat_map(|x| person_names(Some(x))).collect(),
        _ => Vec::new(),
    }
}

/// `stds.exif` is JSON-LD with XMP-style names: `exif:GPSLatitude` = `"39,21.102N"` or decimal.
fn read_exif(v: &Value, out: &mut Manifest) {
    let text = |key: &str| v.get(key).and_then(|x| match x {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    });
    let lat = text("exif:GPSLatitude").and_then(|s| super::xmp::parse_xmp_coordinate(&s));
    let lon = text("exif:GPSLongitude").and_then(|s| super::xmp::parse_xmp_coordinate(&s));
    if let (Some(lat), Some(lon)) = (lat, lon) {
        let real = (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) && (lat != 0.0 || lon != 0.0);
        if real {
            out.gps = Some((lat, lon));
        }
    }
    out.time = text("exif:DateTimeOriginal").map(|s| clip(&s));
    let device = [text("tiff:Make"), text("tiff:Model")].into_iter().flatten().collect::<Vec<_>>().join(" ");
    if !device.trim().is_empty() {
        out.device = Some(clip(device.trim()));
    }
}

/// `cawg.identity`: for X.509 signatures the COSE signer's certificate names the person;
/// identity-claims aggregation lists verified identities (name, username) in the payload.
fn read_identity(a: &Jumb<'_>, out: &mut Manifest, items: &mut usize) {
    let Some(cbor) = a.data(b"cbor") else { return };
    let Ok(Value::Object(map)) = to_json(&mut Decoder::new(cbor), 0, items, true) else { return };
    if let Some(Value::Array(sig)) = map.get("signature").and_then(|s| s.get("raw")) {
        let raw: Vec<u8> = sig.iter().filter_map(|b| b.as_u64().map(|b| b as u8)).collect();
        if let Some(subject) = cose_signer(&raw, items) {
            push_unique(&mut out.identities, subject);
        }
        // Identity claims aggregation: a W3C credential (JSON) naming verified identities.
        if let Some(vc) = find_json_in(&raw) {
            collect_verified_identities(&vc, out, 0);
        }
    }
}

fn collect_verified_identities(v: &Value, out: &mut Manifest, depth: usize) {
    if depth > 12 {
        return;
    }
    match v {
        Value::Object(o) => {
            if let Some(Value::Array(ids)) = o.get("verifiedIdentities") {
                for id in ids.iter().take(MAX_VALUES) {
                    for key in ["name", "username"] {
                        if let Some(s) = id.get(key).and_then(Value::as_str) {
                            push_unique(&mut out.identities, clip(s));
                        }
                    }
                }
            }
            o.values().for_each(|x| collect_verified_identities(x, out, depth + 1));
        }
        Value::Array(a) => a.iter().take(MAX_VALUES).for_each(|x| collect_verified_identities(x, out, depth + 1)),
        _ => {}
    }
}

/// A COSE_Sign1 payload that is a JSON document (CAWG identity claims aggregation).
fn find_json_in(cose: &[u8]) -> Option<Value> {
    let mut d = Decoder::new(cose);
    if d.datatype().ok()? == Type::Tag {
        d.tag().ok()?;
    }
    if d.array().ok()? != Some(4) {
        return None;
    }
    d.skip().ok()?;
    d.skip().ok()?;
    let payload = d.bytes().ok()?;
    if payload.len() > MAX_JSON_BYTES {
        return None;
    }
    serde_json::from_slice(payload).ok()
}

fn push_unique(list: &mut Vec<String>, s: String) {
    if !s.is_empty() && list.len() < MAX_VALUES && !list.contains(&s) {
        list.push(s);
    }
}

fn clip(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).take(MAX_TEXT_CHARS).collect::<String>().trim().to_string()
}

// ---- CBOR ----

/// Decodes one CBOR value to JSON within the item and depth limits.
fn cbor_json(bytes: &[u8], items: &mut usize) -> Option<Value> {
    to_json(&mut Decoder::new(bytes), 0, items, false).ok()
}

/// Decodes one CBOR value to JSON. With `keep_bytes`, byte strings up to `MAX_KEPT_BYTES`
/// keep their bytes (`{"raw": [..]}`) so that a signature inside can be read.
fn to_json(d: &mut Decoder<'_>, depth: usize, items: &mut usize, keep_bytes: bool) -> Result<Value, ()> {
    if *items == 0 || depth > MAX_CBOR_DEPTH {
        return Err(());
    }
    *items -= 1;
    let e = |_| ();
    Ok(match d.datatype().map_err(e)? {
        Type::Bool => Value::Bool(d.bool().map_err(e)?),
        Type::U8 | Type::U16 | Type::U32 | Type::U64 => Value::from(d.u64().map_err(e)?),
        Type::I8 | Type::I16 | Type::I32 | Type::I64 => Value::from(d.i64().map_err(e)?),
        Type::F32 | Type::F64 => serde_json::Number::from_f64(d.f64().map_err(e)?).map_or(Value::Null, Value::Number),
        Type::Bytes => {
            let b = d.bytes().map_err(e)?;
            let mut o = Map::new();
            if keep_bytes && b.len() <= MAX_KEPT_BYTES && b.len() <= *items {
                *items -= b.len();
                o.insert("raw".into(), Value::Array(b.iter().map(|&x| Value::from(x)).collect()));
            }
            o.insert("bytes".into(), Value::from(b.len()));
            Value::Object(o)
        }
        Type::String => Value::String(clip(d.str().map_err(e)?)),
        Type::Array | Type::ArrayIndef => {
            let n = d.array().map_err(e)?;
            let mut a = Vec::new();
            while more(d, n, a.len())? {
                a.push(to_json(d, depth + 1, items, keep_bytes)?);
            }
            Value::Array(a)
        }
        Type::Map | Type::MapIndef => {
            let n = d.map().map_err(e)?;
            let mut o = Map::new();
            let mut read = 0;
            while more(d, n, read)? {
                read += 1;
                let key = match to_json(d, depth + 1, items, false)? {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                let value = to_json(d, depth + 1, items, keep_bytes)?;
                o.insert(key, value);
            }
            Value::Object(o)
        }
        Type::Tag => {
            d.tag().map_err(e)?;
            to_json(d, depth + 1, items, keep_bytes)?
        }
        // Null, undefined, half floats, simple values, big integers and chunked
        // strings: skipped, the rest still reads.
        Type::Null | Type::Undefined | Type::F16 | Type::Simple | Type::Int | Type::BytesIndef | Type::StringIndef => {
            d.skip().map_err(e)?;
            Value::Null
        }
        _ => return Err(()),
    })
}

/// Whether a container with `len` items (None: indefinite, ends at a break byte) has
/// another after `read`. Consumes the break. Item budget bounds huge claimed lengths.
fn more(d: &mut Decoder<'_>, len: Option<u64>, read: usize) -> Result<bool, ()> {
    match len {
        Some(n) => Ok((read as u64) < n),
        None if d.datatype().map_err(|_| ())? == Type::Break => {
            d.set_position(d.position() + 1);
            Ok(false)
        }
        None => Ok(true),
    }
}

// ---- COSE signature and certificate ----

/// The subject (CN and O) of the first certificate in a COSE_Sign1's `x5chain`
/// (header label 33, protected or unprotected). Read only; nothing is verified.
fn cose_signer(cose: &[u8], items: &mut usize) -> Option<String> {
    let mut d = Decoder::new(cose);
    let Value::Array(parts) = to_json(&mut d, 0, items, true).ok()? else { return None };
    let unprotected = parts.get(1).cloned().unwrap_or(Value::Null);
    let protected = parts
        .first()
        .and_then(|p| p.get("raw"))
        .and_then(raw_bytes)
        .and_then(|b| to_json(&mut Decoder::new(&b), 0, items, true).ok())
        .unwrap_or(Value::Null);
    for header in [&protected, &unprotected] {
        let chain = header.get("33").or_else(|| header.get("x5chain"));
        let first = match chain {
            Some(Value::Array(certs)) => certs.first(),
            other => other,
        };
        if let Some(cert) = first.and_then(|c| c.get("raw")).and_then(raw_bytes) {
            if let Some(subject) = certificate_subject(&cert) {
                return Some(subject);
            }
        }
    }
    None
}

fn raw_bytes(v: &Value) -> Option<Vec<u8>> {
    v.as_array().map(|a| a.iter().filter_map(|b| b.as_u64().map(|b| b as u8)).collect())
}

/// One DER element: (tag, content, rest).
fn der(data: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let tag = *data.first()?;
    let first = *data.get(1)?;
    let (len, head) = if first < 0x80 {
        (first as usize, 2)
    } else {
        let n = (first & 0x7F) as usize;
        if n == 0 || n > 4 {
            return None;
        }
        let len = data.get(2..2 + n)?.iter().fold(0usize, |acc, &b| (acc << 8) | b as usize);
        (len, 2 + n)
    };
    let end = head.checked_add(len)?;
    Some((tag, data.get(head..end)?, data.get(end..)?))
}

/// X.509 subject `CN` and `O`: Certificate → tbsCertificate → [version], serial, alg, issuer, validity, subject.
fn certificate_subject(cert: &[u8]) -> Option<String> {
    let (_, cert, _) = der(cert)?;
    let (_, mut tbs, _) = der(cert)?;
    if tbs.first() == Some(&0xA0) {
        tbs = der(tbs)?.2;
    }
    for _ in 0..4 {
        tbs = der(tbs)?.2; // serial, signature algorithm, issuer, validity
    }
    let (_, mut subject, _) = der(tbs)?;
    let (mut cn, mut org) = (None, None);
    let mut guard = 0;
    while !subject.is_empty() && guard < 64 {
        guard += 1;
        let (_, set, rest) = der(subject)?;
        subject = rest;
        let (_, attr, _) = der(set)?;
        let (_, oid, value) = der(attr)?;
        let (_, text, _) = der(value)?;
        let text = clip(&String::from_utf8_lossy(text));
        match oid {
            [0x55, 0x04, 0x03] => cn = Some(text),
            [0x55, 0x04, 0x0A] => org = Some(text),
            _ => {}
        }
    }
    match (cn, org) {
        (Some(cn), Some(org)) if cn != org => Some(format!("{cn} ({org})")),
        (Some(name), _) | (None, Some(name)) => Some(name),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bx(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
        let mut v = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(payload);
        v
    }

    fn jumb(label: &str, children: &[Vec<u8>]) -> Vec<u8> {
        let mut desc = vec![0u8; 16];
        desc.push(0x03);
        desc.extend_from_slice(label.as_bytes());
        desc.push(0);
        let mut payload = bx(b"jumd", &desc);
        children.iter().for_each(|c| payload.extend_from_slice(c));
        bx(b"jumb", &payload)
    }

    fn cbor_map(pairs: &[(&str, &str)]) -> Vec<u8> {
        let mut e = minicbor::Encoder::new(Vec::new());
        e.map(pairs.len() as u64).unwrap();
        for (k, v) in pairs {
            e.str(k).unwrap().str(v).unwrap();
        }
        e.into_writer()
    }

    fn sample_store() -> Vec<u8> {
        let author = br#"{"@type":"CreativeWork","author":[{"@type":"Person","name":"Asha Rao"}]}"#;
        let exif = br#"{"exif:GPSLatitude":"28,36.5N","exif:GPSLongitude":"77,12.5E","tiff:Make":"Acme"}"#;
        let mut actions = minicbor::Encoder::new(Vec::new());
        actions.map(1).unwrap().str("actions").unwrap().array(1).unwrap().map(2).unwrap();
        actions.str("action").unwrap().str("c2pa.created").unwrap();
        actions.str("digitalSourceType").unwrap().str("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia").unwrap();
        let assertions = jumb(
            "c2pa.assertions",
            &[
                jumb("stds.schema-org.CreativeWork", &[bx(b"json", author)]),
                jumb("stds.exif", &[bx(b"json", exif)]),
                jumb("c2pa.actions", &[bx(b"cbor", &actions.into_writer())]),
                jumb("c2pa.ingredient", &[bx(b"cbor", &cbor_map(&[("title", "a.jpg")]))]),
                jumb("c2pa.thumbnail.ingredient.jpeg", &[bx(b"bfdb", b"\0image/jpeg\0"), bx(b"bidb", &[0xFF; 300])]),
            ],
        );
        let claim = jumb("c2pa.claim", &[bx(b"cbor", &cbor_map(&[("claim_generator", "Test App 1.0")]))]);
        jumb("c2pa", &[jumb("urn:uuid:1", &[assertions, claim])])
    }

    #[test]
    fn reads_a_small_store() {
        let mut w = Vec::new();
        let m = read_store(&sample_store(), &mut w);
        assert_eq!(m.len(), 1);
        let m = &m[0];
        assert_eq!(m.generator.as_deref(), Some("Test App 1.0"));
        assert_eq!(m.authors, vec!["Asha Rao".to_string()]);
        let (lat, lon) = m.gps.unwrap();
        assert!((lat - 28.608333).abs() < 1e-5 && (lon - 77.208333).abs() < 1e-5, "{lat} {lon}");
        assert_eq!(m.device.as_deref(), Some("Acme"));
        assert_eq!(m.actions, vec!["c2pa.created".to_string()]);
        assert!(m.source_types[0].ends_with("trainedAlgorithmicMedia"));
        assert_eq!((m.ingredients, m.ingredient_thumbnails.clone()), (1, vec![300]));
    }

    #[test]
    fn joins_split_jpeg_segments_in_sequence_order() {
        let store = sample_store();
        let (a, b) = store.split_at(store.len() / 2);
        let seg = |seq: u32, body: &[u8]| {
            let mut s = b"JP\0\x01".to_vec();
            s.extend_from_slice(&seq.to_be_bytes());
            s.extend_from_slice(body);
            s
        };
        let first = seg(1, a);
        let mut second_body = store[..8].to_vec(); // repeated LBox/TBox
        second_body.extend_from_slice(b);
        let second = seg(2, &second_body);
        // Out of order on purpose.
        let joined = join_jpeg_segments(&[&second, &first]);
        assert_eq!(joined, vec![store]);
    }

    fn cbor_json_test(b: &[u8]) -> Option<Value> {
        cbor_json(b, &mut MAX_CBOR_ITEMS.clone())
    }

    #[test]
    fn hostile_stores_never_panic() {
        let store = sample_store();
        let mut w = Vec::new();
        // Every truncation.
        for cut in 0..store.len() {
            let _ = read_store(&store[..cut], &mut w);
        }
        // Every single-byte corruption to 0x00, 0x01 and 0xFF.
        for i in 0..store.len() {
            for v in [0u8, 1, 0xFF] {
                let mut s = store.clone();
                s[i] = v;
                let _ = read_store(&s, &mut w);
            }
        }
        // Deep nesting: a thousand jumb boxes inside each other.
        let mut deep = jumb("c2pa", &[]);
        for _ in 0..1000 {
            deep = jumb("c2pa", &[deep]);
        }
        assert!(read_store(&deep, &mut w).len() <= 1);
        // Many boxes: the budget stops the walk.
        let many: Vec<Vec<u8>> = (0..10_000).map(|_| bx(b"free", b"")).collect();
        let _ = read_store(&jumb("c2pa", &[jumb("m", &many)]), &mut w);
        // CBOR claiming a huge array, and deeply nested arrays.
        assert!(cbor_json_test(&[0x9B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]).is_none());
        assert!(cbor_json_test(&vec![0x81; 100_000]).is_none());
        assert!(cbor_json_test(&vec![0x9F; 100_000]).is_none());
        assert!(cbor_json_test(&[0xBF, 0x61, b'a', 0x01]).is_none(), "unterminated indefinite map");
        // An indefinite map (real claims use them) reads.
        assert_eq!(cbor_json_test(&[0xBF, 0x61, b'a', 0x9F, 0x01, 0xFF, 0xFF]), Some(serde_json::json!({"a": [1]})));
        // A box with a 64-bit length past the end, and LBox 0 (to the end).
        let _ = read_store(&[0, 0, 0, 1, b'j', b'u', b'm', b'b', 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], &mut w);
        let _ = read_store(&[0, 0, 0, 0, b'j', b'u', b'm', b'b'], &mut w);
        // Split segments that lie about their instance and sequence.
        let _ = join_jpeg_segments(&[b"JP\0\0\0\0\0\x02\0\0\0\x01", b"JP\0\0\0\0\0\x01\0\0\0\x00jumb", b"JP"]);
    }

    #[test]
    fn certificate_subject_reads_cn_and_o() {
        // Hand-built DER: only the fields the reader walks.
        fn t(tag: u8, content: &[u8]) -> Vec<u8> {
            let mut v = vec![tag, content.len() as u8];
            v.extend_from_slice(content);
            v
        }
        let attr = |oid: &[u8], s: &str| t(0x31, &t(0x30, &[t(0x06, oid), t(0x0C, s.as_bytes())].concat()));
        let subject = t(0x30, &[attr(&[0x55, 0x04, 0x0A], "Acme Org"), attr(&[0x55, 0x04, 0x03], "Acme Signer")].concat());
        let tbs = t(0x30, &[t(0xA0, &t(0x02, &[2])), t(0x02, &[1]), t(0x30, &[]), t(0x30, &[]), t(0x30, &[]), subject].concat());
        let cert = t(0x30, &tbs);
        assert_eq!(certificate_subject(&cert).as_deref(), Some("Acme Signer (Acme Org)"));
        assert_eq!(certificate_subject(&cert[..cert.len() - 3]), None);
    }
}
