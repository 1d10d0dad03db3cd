//! Reading a file: the check over the shared corpus (against ExifTool's output
//! and expected.json), each container and metadata family, place names, hostile
//! and mutated files, the CLI. One test binary (linking one binary instead of
//! eleven is most of the test step's time on 2 cores); one module per theme.

#[path = "../common/mod.rs"]
mod common;
#[path = "../fixtures/mod.rs"]
mod fixtures;

mod budget;
mod c2pa;
mod catalog_parity;
mod cli;
mod corpus;
mod fixtures_valid;
mod geo_corpus;
mod geo_table;
mod location;
mod meta_xmp_iptc_irb_corpus;
mod mutation;
mod raster_corpus;
mod regressions;
mod tiff_bmff_exif_corpus;
mod truthful;
mod unread;
