//! The standard EXIF tag names by IFD kind (TIFF/IFD0-IFD1, Exif, GPS, Interop), as the EXIF
//! reader (kamadak-exif 0.6) names them: the same 153 names, copied from its tag list. Owns only
//! this table; `exif::tag_name` asks it (ExifTool's own names win there).
//!
//! Why a copy: kamadak-exif keeps each name beside a description, a default value and a
//! function that displays the value; asking it for a name kept all of that (and the standard
//! library's float formatting those functions use) in the core wasm, ~10 KB gzipped a phone
//! downloads before its first check. Must not: hold anything but names (no meanings, no rules).

use exif::Context;

/// Tag numbers and names, by IFD kind.
pub(crate) const NAMES: &[(Context, &[(u16, &str)])] = &[
    (Context::Tiff, &[
        (0x0100, "ImageWidth"), (0x0101, "ImageLength"), (0x0102, "BitsPerSample"), (0x0103, "Compression"),
        (0x0106, "PhotometricInterpretation"), (0x010e, "ImageDescription"), (0x010f, "Make"),
        (0x0110, "Model"), (0x0111, "StripOffsets"), (0x0112, "Orientation"), (0x0115, "SamplesPerPixel"),
        (0x0116, "RowsPerStrip"), (0x0117, "StripByteCounts"), (0x011a, "XResolution"),
        (0x011b, "YResolution"), (0x011c, "PlanarConfiguration"), (0x0128, "ResolutionUnit"),
        (0x012d, "TransferFunction"), (0x0131, "Software"), (0x0132, "DateTime"), (0x013b, "Artist"),
        (0x013e, "WhitePoint"), (0x013f, "PrimaryChromaticities"), (0x0144, "TileOffsets"),
        (0x0145, "TileByteCounts"), (0x0201, "JPEGInterchangeFormat"),
        (0x0202, "JPEGInterchangeFormatLength"), (0x0211, "YCbCrCoefficients"), (0x0212, "YCbCrSubSampling"),
        (0x0213, "YCbCrPositioning"), (0x0214, "ReferenceBlackWhite"), (0x8298, "Copyright"),
        (0x8769, "ExifIFDPointer"), (0x8825, "GPSInfoIFDPointer"),
    ]),
    (Context::Exif, &[
        (0x829a, "ExposureTime"), (0x829d, "FNumber"), (0x8822, "ExposureProgram"),
        (0x8824, "SpectralSensitivity"), (0x8827, "PhotographicSensitivity"), (0x8828, "OECF"),
        (0x8830, "SensitivityType"), (0x8831, "StandardOutputSensitivity"),
        (0x8832, "RecommendedExposureIndex"), (0x8833, "ISOSpeed"), (0x8834, "ISOSpeedLatitudeyyy"),
        (0x8835, "ISOSpeedLatitudezzz"), (0x9000, "ExifVersion"), (0x9003, "DateTimeOriginal"),
        (0x9004, "DateTimeDigitized"), (0x9010, "OffsetTime"), (0x9011, "OffsetTimeOriginal"),
        (0x9012, "OffsetTimeDigitized"), (0x9101, "ComponentsConfiguration"),
        (0x9102, "CompressedBitsPerPixel"), (0x9201, "ShutterSpeedValue"), (0x9202, "ApertureValue"),
        (0x9203, "BrightnessValue"), (0x9204, "ExposureBiasValue"), (0x9205, "MaxApertureValue"),
        (0x9206, "SubjectDistance"), (0x9207, "MeteringMode"), (0x9208, "LightSource"), (0x9209, "Flash"),
        (0x920a, "FocalLength"), (0x9214, "SubjectArea"), (0x927c, "MakerNote"), (0x9286, "UserComment"),
        (0x9290, "SubSecTime"), (0x9291, "SubSecTimeOriginal"), (0x9292, "SubSecTimeDigitized"),
        (0x9400, "Temperature"), (0x9401, "Humidity"), (0x9402, "Pressure"), (0x9403, "WaterDepth"),
        (0x9404, "Acceleration"), (0x9405, "CameraElevationAngle"), (0xa000, "FlashpixVersion"),
        (0xa001, "ColorSpace"), (0xa002, "PixelXDimension"), (0xa003, "PixelYDimension"),
        (0xa004, "RelatedSoundFile"), (0xa005, "InteropIFDPointer"), (0xa20b, "FlashEnergy"),
        (0xa20c, "SpatialFrequencyResponse"), (0xa20e, "FocalPlaneXResolution"),
        (0xa20f, "FocalPlaneYResolution"), (0xa210, "FocalPlaneResolutionUnit"), (0xa214, "SubjectLocation"),
        (0xa215, "ExposureIndex"), (0xa217, "SensingMethod"), (0xa300, "FileSource"), (0xa301, "SceneType"),
        (0xa302, "CFAPattern"), (0xa401, "CustomRendered"), (0xa402, "ExposureMode"),
        (0xa403, "WhiteBalance"), (0xa404, "DigitalZoomRatio"), (0xa405, "FocalLengthIn35mmFilm"),
        (0xa406, "SceneCaptureType"), (0xa407, "GainControl"), (0xa408, "Contrast"), (0xa409, "Saturation"),
        (0xa40a, "Sharpness"), (0xa40b, "DeviceSettingDescription"), (0xa40c, "SubjectDistanceRange"),
        (0xa420, "ImageUniqueID"), (0xa430, "CameraOwnerName"), (0xa431, "BodySerialNumber"),
        (0xa432, "LensSpecification"), (0xa433, "LensMake"), (0xa434, "LensModel"),
        (0xa435, "LensSerialNumber"), (0xa460, "CompositeImage"),
        (0xa461, "SourceImageNumberOfCompositeImage"), (0xa462, "SourceExposureTimesOfCompositeImage"),
        (0xa500, "Gamma"),
    ]),
    (Context::Gps, &[
        (0x0000, "GPSVersionID"), (0x0001, "GPSLatitudeRef"), (0x0002, "GPSLatitude"),
        (0x0003, "GPSLongitudeRef"), (0x0004, "GPSLongitude"), (0x0005, "GPSAltitudeRef"),
        (0x0006, "GPSAltitude"), (0x0007, "GPSTimeStamp"), (0x0008, "GPSSatellites"), (0x0009, "GPSStatus"),
        (0x000a, "GPSMeasureMode"), (0x000b, "GPSDOP"), (0x000c, "GPSSpeedRef"), (0x000d, "GPSSpeed"),
        (0x000e, "GPSTrackRef"), (0x000f, "GPSTrack"), (0x0010, "GPSImgDirectionRef"),
        (0x0011, "GPSImgDirection"), (0x0012, "GPSMapDatum"), (0x0013, "GPSDestLatitudeRef"),
        (0x0014, "GPSDestLatitude"), (0x0015, "GPSDestLongitudeRef"), (0x0016, "GPSDestLongitude"),
        (0x0017, "GPSDestBearingRef"), (0x0018, "GPSDestBearing"), (0x0019, "GPSDestDistanceRef"),
        (0x001a, "GPSDestDistance"), (0x001b, "GPSProcessingMethod"), (0x001c, "GPSAreaInformation"),
        (0x001d, "GPSDateStamp"), (0x001e, "GPSDifferential"), (0x001f, "GPSHPositioningError"),
    ]),
    (Context::Interop, &[
        (0x0001, "InteroperabilityIndex"), (0x0002, "InteroperabilityVersion"),
        (0x1000, "RelatedImageFileFormat"), (0x1001, "RelatedImageWidth"), (0x1002, "RelatedImageLength"),
    ]),
];

/// The name of tag `number` in an IFD of kind `context`, if it is a standard one.
pub(crate) fn name(context: Context, number: u16) -> Option<&'static str> {
    let (_, names) = NAMES.iter().find(|(c, _)| *c == context)?;
    names.iter().find(|(n, _)| *n == number).map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    use exif::{Context, Tag};

    /// Every name is the reader's own, and the reader knows no tag this table lacks.
    #[test]
    fn same_names_as_the_reader() {
        for &context in &[Context::Tiff, Context::Exif, Context::Gps, Context::Interop] {
            for number in 0..=u16::MAX {
                let tag = Tag(context, number);
                let theirs = tag.description().map(|_| tag.to_string());
                assert_eq!(super::name(context, number).map(str::to_string), theirs, "{context:?} 0x{number:04x}");
            }
        }
    }
}
