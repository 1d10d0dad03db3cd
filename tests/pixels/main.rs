//! What the pixels show: faces (against hand-drawn boxes) and codes (QR, bar
//! codes…, made with the encoders and read back). One test binary, one module per theme.

#[path = "../common/mod.rs"]
mod common;

mod codes_faces;
mod codes_photos;
mod faces_corpus;
mod faces_speed;
mod idcards;
