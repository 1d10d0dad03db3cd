//! Cost files: small or ordinary-looking photos built to make a checker do a lot of
//! work (the per-file budget in `container::budget` answers them). Shared by the
//! benchmark (`examples/bench_cost.rs`) and the budget tests (`tests/check/budget.rs`);
//! they are made on the fly, so no hostile binary is committed.
#![allow(dead_code)]

/// A tiny real JPEG (8×8, grey) with `segments` inserted right after SOI.
pub fn jpeg_with(segments: &[Vec<u8>]) -> Vec<u8> {
    let img = image::GrayImage::from_pixel(8, 8, image::Luma([128]));
    let mut base = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut base, 80).encode_image(&img).expect("encode");
    let mut out = base[..2].to_vec();
    for s in segments {
        out.extend_from_slice(s);
    }
    out.extend_from_slice(&base[2..]);
    out
}

/// A tiny real PNG (8×8, grey) with `chunks` inserted right after IHDR.
pub fn png_with(chunks: &[Vec<u8>]) -> Vec<u8> {
    let img = image::GrayImage::from_pixel(8, 8, image::Luma([128]));
    let mut base = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut base), image::ImageFormat::Png).expect("encode");
    let after_ihdr = 8 + 25;
    let mut out = base[..after_ihdr].to_vec();
    for c in chunks {
        out.extend_from_slice(c);
    }
    out.extend_from_slice(&base[after_ihdr..]);
    out
}

/// `FF <marker> <len> <payload>`; the payload must fit one segment.
pub fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    s.extend_from_slice(payload);
    s
}

/// One framed PNG chunk with its CRC.
pub fn png_chunk(name: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = (data.len() as u32).to_be_bytes().to_vec();
    c.extend_from_slice(name);
    c.extend_from_slice(data);
    let mut crc = 0xFFFF_FFFFu32;
    for &b in &c[4..] {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 { 0xEDB8_8320 ^ (crc >> 1) } else { crc >> 1 };
        }
    }
    c.extend_from_slice(&(!crc).to_be_bytes());
    c
}

/// An XMP packet of about `bytes` bytes: one long list of keywords (many XML events).
pub fn xmp_keywords(bytes: usize) -> Vec<u8> {
    let head = "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>\
                <rdf:Description xmlns:dc='http://purl.org/dc/elements/1.1/'><dc:subject><rdf:Bag>";
    let tail = "</rdf:Bag></dc:subject></rdf:Description></rdf:RDF></x:xmpmeta>";
    let item = "<rdf:li>k</rdf:li>";
    let n = bytes.saturating_sub(head.len() + tail.len()) / item.len();
    let mut s = String::with_capacity(bytes);
    s.push_str(head);
    for _ in 0..n {
        s.push_str(item);
    }
    s.push_str(tail);
    s.into_bytes()
}

/// The first file: ~80 KB of JPEG Extended XMP segments, each with its own
/// GUID and each claiming a 16 MB packet it does not carry.
pub fn extended_xmp_claims() -> Vec<u8> {
    let mut segs = Vec::new();
    for i in 0..1600u32 {
        let mut p = b"http://ns.adobe.com/xmp/extension/\0".to_vec();
        p.extend_from_slice(format!("{i:032}").as_bytes()); // GUID: 32 characters
        p.extend_from_slice(&(16u32 * 1024 * 1024).to_be_bytes()); // full length
        p.extend_from_slice(&0u32.to_be_bytes()); // offset
        p.push(b'<');
        segs.push(segment(0xE1, &p));
    }
    jpeg_with(&segs)
}

/// Extended XMP that really carries its packets: 1,000 full 64 KB chunks (~64 MB of XML).
pub fn extended_xmp_full() -> Vec<u8> {
    const CHUNK: usize = 65_000;
    let packet = xmp_keywords(64 * 1024 * 1024 / 4);
    let mut segs = Vec::new();
    for guid in 0..4u32 {
        for (i, part) in packet.chunks(CHUNK).enumerate() {
            let mut p = b"http://ns.adobe.com/xmp/extension/\0".to_vec();
            p.extend_from_slice(format!("{guid:032}").as_bytes());
            p.extend_from_slice(&(packet.len() as u32).to_be_bytes());
            p.extend_from_slice(&((i * CHUNK) as u32).to_be_bytes());
            p.extend_from_slice(part);
            segs.push(segment(0xE1, &p));
        }
    }
    jpeg_with(&segs)
}

/// The second file: ~2.5 MB of compressed XMP in PNG text chunks, each
/// unpacking to nearly the 8 MB per-chunk limit.
pub fn png_compressed_xmp() -> Vec<u8> {
    let packet = xmp_keywords(8 * 1024 * 1024 - 4096);
    let z = miniz_oxide::deflate::compress_to_vec_zlib(&packet, 10);
    let mut data = b"XML:com.adobe.xmp\0\x01\x00\0\0".to_vec(); // iTXt: compressed, no language
    data.extend_from_slice(&z);
    let chunk = png_chunk(b"iTXt", &data);
    let n = (2_500_000 / chunk.len()).max(1);
    png_with(&vec![chunk; n])
}

/// Many PNG colour profiles, each unpacking to 8 MB (unpacked by the walker itself).
pub fn png_many_profiles() -> Vec<u8> {
    let z = miniz_oxide::deflate::compress_to_vec_zlib(&vec![0u8; 8 * 1024 * 1024], 10);
    let mut data = b"icc\0\0".to_vec();
    data.extend_from_slice(&z);
    png_with(&vec![png_chunk(b"iCCP", &data); 300])
}

/// Plain XMP segments, 3,000 of 64 KB (~190 MB of XML under the 200 MB file limit).
pub fn jpeg_many_xmp() -> Vec<u8> {
    let mut p = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    p.extend_from_slice(&xmp_keywords(65_000));
    jpeg_with(&vec![segment(0xE1, &p); 3_000])
}

/// ImageMagick hex profiles: many PNG text chunks of hex-encoded XMP (no compression).
pub fn png_hex_profiles() -> Vec<u8> {
    let packet = xmp_keywords(1024 * 1024);
    let hex: String = packet.iter().map(|b| format!("{b:02x}")).collect();
    let mut data = format!("Raw profile type xmp\0\nxmp\n{:8}\n", packet.len()).into_bytes();
    data.extend_from_slice(hex.as_bytes());
    png_with(&vec![png_chunk(b"tEXt", &data); 90])
}

/// One text chunk of 190 MB (CRC, text decoding and searching all run over it).
pub fn png_huge_text() -> Vec<u8> {
    let mut data = b"Comment\0".to_vec();
    data.resize(190 * 1024 * 1024, b'a');
    png_with(&[png_chunk(b"tEXt", &data)])
}

/// Just under the 200 MB file limit: what an attacker fills with tiny blocks.
const NEAR_LIMIT: usize = 190 * 1024 * 1024;

/// ~16 million empty unknown PNG chunks (12 bytes each).
pub fn png_tiny_chunks() -> Vec<u8> {
    let chunk = png_chunk(b"tiNy", b"");
    png_with(&vec![chunk; NEAR_LIMIT / 12])
}

/// ~13 million tiny PNG text chunks ("a" = "b"), each a field if read.
pub fn png_tiny_text() -> Vec<u8> {
    let chunk = png_chunk(b"tEXt", b"a\0b");
    png_with(&vec![chunk; NEAR_LIMIT / 15])
}

/// ~50 million empty APP15 segments (4 bytes each) before the picture.
pub fn jpeg_tiny_segments() -> Vec<u8> {
    let one = segment(0xEF, b"");
    jpeg_with(&[one.repeat(NEAR_LIMIT / one.len())])
}

/// A TIFF whose IFDs (a chain of them, and the most entries an IFD count allows) all point
/// at one 100 MB text: read naively, terabytes of text.
pub fn tiff_shared_huge_values() -> Vec<u8> {
    const ENTRIES: usize = 65_535;
    const BLOB: usize = 100 * 1024 * 1024;
    let ifd_len = 2 + ENTRIES * 12 + 4;
    let ifds = 64;
    let blob_at = 8 + ifds * ifd_len;
    let mut f = b"II*\0".to_vec();
    f.extend_from_slice(&8u32.to_le_bytes());
    for i in 0..ifds {
        f.extend_from_slice(&(ENTRIES as u16).to_le_bytes());
        for e in 0..ENTRIES {
            let tag: u16 = if e == 0 { 0x0100 } else if e == 1 { 0x0101 } else { 0x010E }; // width, height, then descriptions
            f.extend_from_slice(&tag.to_le_bytes());
            if e < 2 {
                f.extend_from_slice(&4u16.to_le_bytes());
                f.extend_from_slice(&1u32.to_le_bytes());
                f.extend_from_slice(&8u32.to_le_bytes());
            } else {
                f.extend_from_slice(&2u16.to_le_bytes()); // ASCII
                f.extend_from_slice(&(BLOB as u32).to_le_bytes());
                f.extend_from_slice(&(blob_at as u32).to_le_bytes());
            }
        }
        let next = if i + 1 < ifds { 8 + (i + 1) * ifd_len } else { 0 };
        f.extend_from_slice(&(next as u32).to_le_bytes());
    }
    f.resize(blob_at + BLOB, b'a');
    f
}

/// XMP nested 2 million elements deep (16 MB, the largest packet read).
pub fn xmp_deep() -> Vec<u8> {
    let depth = 2_000_000;
    let mut x = b"<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description>".to_vec();
    for _ in 0..depth {
        x.extend_from_slice(b"<a>");
    }
    for _ in 0..depth {
        x.extend_from_slice(b"</a>");
    }
    x.extend_from_slice(b"</rdf:Description></rdf:RDF></x:xmpmeta>");
    let mut data = b"XML:com.adobe.xmp\0\0\0\0\0".to_vec(); // iTXt, uncompressed
    data.extend_from_slice(&x);
    png_with(&[png_chunk(b"iTXt", &data)])
}

/// An HEIC-looking file: ftyp, then ~25 million empty `free` boxes.
pub fn bmff_many_boxes() -> Vec<u8> {
    let mut f = Vec::with_capacity(NEAR_LIMIT + 32);
    f.extend_from_slice(&24u32.to_be_bytes());
    f.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    let free = [0, 0, 0, 8, b'f', b'r', b'e', b'e'];
    while f.len() + 8 <= NEAR_LIMIT {
        f.extend_from_slice(&free);
    }
    f
}

/// An HEIC-looking file whose `meta` box holds boxes nested a million deep.
pub fn bmff_deep_boxes() -> Vec<u8> {
    let depth = 1_000_000usize;
    let mut f = Vec::new();
    f.extend_from_slice(&24u32.to_be_bytes());
    f.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    for d in 0..depth {
        let size = ((depth - d) * 8) as u32;
        f.extend_from_slice(&size.to_be_bytes());
        f.extend_from_slice(if d == 0 { b"meta" } else { b"iprp" });
    }
    f
}

/// A GIF with ~95 million one-byte comment sub-blocks in one extension.
pub fn gif_many_sub_blocks() -> Vec<u8> {
    let mut f = b"GIF89a\x01\0\x01\0\0\0\0".to_vec();
    f.extend_from_slice(&[0x21, 0xFE]);
    while f.len() + 2 < NEAR_LIMIT {
        f.extend_from_slice(&[1, b'x']);
    }
    f.push(0);
    f.extend_from_slice(&[0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 0x01, 0, 0x3B]);
    f
}

/// ~24 million empty unknown WebP chunks after a lossless picture.
pub fn webp_tiny_chunks() -> Vec<u8> {
    let img = image::RgbaImage::from_pixel(8, 8, image::Rgba([1, 2, 3, 255]));
    let mut pic = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut pic), image::ImageFormat::WebP).expect("encode");
    let mut f = pic.clone();
    while f.len() + 8 <= NEAR_LIMIT {
        f.extend_from_slice(b"tiny\0\0\0\0");
    }
    let size = (f.len() - 8) as u32;
    f[4..8].copy_from_slice(&size.to_le_bytes());
    f
}

/// A lossy frame claiming 16383 × 16383 pixels whose token data (random, so
/// every macroblock has tokens to read) fills the file: the most VP8 parsing a
/// file this size can ask for.
pub fn vp8_huge_frame() -> Vec<u8> {
    vp8_frame_of(NEAR_LIMIT - 64)
}

/// The same, just under the size the check still follows to its end (16 MB).
pub fn vp8_frame_at_check_limit() -> Vec<u8> {
    vp8_frame_of((16 << 20) - 64)
}

fn vp8_frame_of(size: usize) -> Vec<u8> {
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;
    let mut data = vec![0u8; size];
    for b in data.iter_mut() {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        *b = rng as u8;
    }
    let first = 1u32 << 18; // first partition: 256 KB of modes
    let tag = (first << 5) | 0x10; // key frame, shown
    data[..3].copy_from_slice(&tag.to_le_bytes()[..3]);
    data[3..6].copy_from_slice(&[0x9D, 0x01, 0x2A]);
    data[6..8].copy_from_slice(&0x3FFFu16.to_le_bytes());
    data[8..10].copy_from_slice(&0x3FFFu16.to_le_bytes());
    data[10] &= 0x7F; // no segmentation surprises in the first header bit
    let mut f = b"RIFF".to_vec();
    f.extend_from_slice(&((data.len() + 12) as u32).to_le_bytes());
    f.extend_from_slice(b"WEBPVP8 ");
    f.extend_from_slice(&(data.len() as u32).to_le_bytes());
    f.extend(data);
    f
}

/// All cost files, named.
pub fn all() -> Vec<(&'static str, fn() -> Vec<u8>)> {
    vec![
        ("extended-xmp-claims.jpg (issue: 81 s)", extended_xmp_claims as fn() -> Vec<u8>),
        ("png-compressed-xmp.png (issue: 33 s)", png_compressed_xmp),
        ("extended-xmp-full.jpg", extended_xmp_full),
        ("png-many-profiles.png", png_many_profiles),
        ("jpeg-many-xmp.jpg", jpeg_many_xmp),
        ("png-hex-profiles.png", png_hex_profiles),
        ("png-huge-text.png", png_huge_text),
        ("png-tiny-chunks.png", png_tiny_chunks),
        ("png-tiny-text.png", png_tiny_text),
        ("jpeg-tiny-segments.jpg", jpeg_tiny_segments),
        ("tiff-shared-huge-values.tif", tiff_shared_huge_values),
        ("xmp-deep.png", xmp_deep),
        ("bmff-many-boxes.heic", bmff_many_boxes),
        ("bmff-deep-boxes.heic", bmff_deep_boxes),
        ("gif-many-sub-blocks.gif", gif_many_sub_blocks),
        ("webp-tiny-chunks.webp", webp_tiny_chunks),
        ("vp8-huge-frame.webp", vp8_huge_frame),
        ("vp8-frame-at-check-limit.webp", vp8_frame_at_check_limit),
    ]
}
