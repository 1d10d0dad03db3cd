//! Device rules: serial numbers, make and model, software.

use super::{add_field, fields_named, finding};
use crate::meta::Metadata;
use crate::report::{FindingId, Category, Finding, Severity};

const MODEL_TAGS: &[&str] =
    &["Make", "Model", "LensMake", "LensModel", "Lens", "HostComputer", "UniqueCameraModel", "CameraModelName"];

const SOFTWARE_TAGS: &[&str] = &[
    "Software",
    "CreatorTool",
    "HistorySoftwareAgent",
    "OriginatingProgram",
    "ProcessingSoftware",
    "RawDevelopingSoftware",
    "ImageEditingSoftware",
    "MetadataEditingSoftware",
    "CameraFirmware",
    "FirmwareVersion",
];

pub(super) fn rules(meta: &Metadata, out: &mut Vec<Finding>) {
    let mut serial = finding(FindingId::DeviceSerial, Severity::Medium, Category::Device);
    meta.fields
        .iter()
        .filter(|f| f.tag.contains("SerialNumber") && !f.tag.ends_with("SerialNumberFormat"))
        .filter(|f| f.value.chars().any(|c| c.is_ascii_alphanumeric()) && f.value.trim_matches('0') != "")
        .for_each(|f| add_field(&mut serial, f));
    out.push(serial);

    let mut model = finding(FindingId::DeviceModel, Severity::Low, Category::Device);
    fields_named(meta, MODEL_TAGS).for_each(|f| add_field(&mut model, f));
    out.push(model);

    let mut software = finding(FindingId::Software, Severity::Info, Category::Device);
    fields_named(meta, SOFTWARE_TAGS).for_each(|f| add_field(&mut software, f));
    // PNG writers name themselves in a "Software" keyword, already matched above.
    out.push(software);
}
